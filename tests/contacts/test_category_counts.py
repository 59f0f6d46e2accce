"""How many contacts each category holds: a column the database keeps (triggers on the
contacts table), so the directory page reads it instead of counting the directory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts import services, transfer
from contacts.models import Contact, ContactCategory
from tests.factories import ContactCategoryFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return dict(ContactCategory.objects.values_list("name", "contact_count"))


def test_creating_contacts_counts_them_in_their_category():
    doctors, insurers = (
        ContactCategoryFactory(name="Doctors"),
        ContactCategoryFactory(name="Insurers"),
    )
    ContactFactory.create_batch(2, category=doctors)
    Contact.objects.bulk_create(
        [Contact(category=insurers, last_name=f"Holm {n}", email=f"{n}@x.dk") for n in range(3)]
    )
    assert _counts() == {"Doctors": 2, "Insurers": 3}


def test_moving_a_contact_moves_its_count():
    doctors, insurers = (
        ContactCategoryFactory(name="Doctors"),
        ContactCategoryFactory(name="Insurers"),
    )
    contact, _ = ContactFactory.create_batch(2, category=doctors)
    contact.category = insurers
    contact.save()
    assert _counts() == {"Doctors": 1, "Insurers": 1}
    Contact.objects.filter(category=doctors).update(category=insurers)
    assert _counts() == {"Doctors": 0, "Insurers": 2}


def test_deleting_contacts_uncounts_them():
    doctors = ContactCategoryFactory(name="Doctors")
    first, *_ = ContactFactory.create_batch(3, category=doctors)
    services.contact_delete(contact=first)
    assert _counts() == {"Doctors": 2}
    Contact.objects.all().delete()
    assert _counts() == {"Doctors": 0}


def test_deleting_a_category_leaves_the_other_counts_right():
    doctors, insurers = (
        ContactCategoryFactory(name="Doctors"),
        ContactCategoryFactory(name="Insurers"),
    )
    ContactFactory.create_batch(2, category=doctors)
    ContactFactory(category=insurers)
    services.category_delete(category=doctors)
    assert _counts() == {"Insurers": 1}


def test_an_import_counts_every_imported_contact_in_one_statement():
    doctors = ContactCategoryFactory(name="Doctors")
    ContactFactory(category=doctors)
    text = "Last name or organisation name,Email\n" + "".join(
        f"Holm {n},holm{n}@x.dk\n" for n in range(5)
    )
    preview = transfer.read_csv(text)
    with CaptureQueriesContext(connection) as queries:
        assert transfer.import_rows(category=doctors, rows=preview.good) == 5
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert _counts() == {"Doctors": 6}


def test_the_directory_page_shows_the_kept_counts_without_counting(
    client_for, receptionist, customer_settings
):
    customer_settings(show_contacts=True)
    ContactFactory.create_batch(2, category=ContactCategoryFactory(name="Doctors"))
    with CaptureQueriesContext(connection) as queries:
        content = client_for(receptionist).get("/contacts/").content.decode()
    assert "2 contacts" in content
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
