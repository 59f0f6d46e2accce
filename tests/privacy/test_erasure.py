"""GDPR erasure (Art. 17): what goes at once, what stays with the records and until when,
the purge, and the pages that ask before erasing."""

from datetime import UTC, date, datetime
from importlib import import_module
from io import StringIO

import pghistory.models
import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from contacts.models import ContactPerson
from contacts.services import customer_contact_add
from customers.models import Customer, CustomerExport
from customers.reservations import reservation_request
from customers.services import (
    CustomerChange,
    customer_make_own_debtor,
    customer_set_debtor,
    customer_update,
)
from debtors.models import Debtor
from privacy import erasure
from privacy.models import ErasureRequest
from records import audit
from records import services as records
from records.models import EntryVersion, Record, RecordAccess
from tests.factories import (
    ContactFactory,
    ContactPersonFactory,
    CustomerFactory,
    DebtorFactory,
    portal_contact,
)
from tests.privacy.erasure_fixtures import (
    ASKED,
    SSN,
    clinical_rows,
    customer_with_everything,
    database_text_containing,
)

# WRITTEN (the last entry) + 10 years: the records are kept through this day.
KEPT_UNTIL = date(2030, 3, 10)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def subject(administrator):
    return customer_with_everything(staff=administrator)


@pytest.fixture
def erased(subject, administrator):
    """`subject` erased at ASKED (their records kept)."""
    with time_machine.travel(ASKED, tick=False):
        erasure.erase_customer(
            customer=subject.customer,
            by=administrator,
            received=ASKED.date(),
            reason=erasure.default_reason(),
        )
    return subject


def purge(day: date, *options: str) -> str:
    out = StringIO()
    with time_machine.travel(at(day), tick=False):
        call_command("purge_records", *options, stdout=out)
    return out.getvalue()


def session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


# --- Erasing a customer with records ------------------------------------------------------


def test_erasing_a_customer_leaves_none_of_their_contact_data_anywhere_in_the_database(erased):
    for text in erased.contact_data:
        assert database_text_containing(text) == set(), text


def test_erasing_a_customer_keeps_only_their_identity_with_the_records(erased):
    customer = Customer.objects.get(pk=erased.customer.pk)
    assert (customer.name, customer.number) == ("Ingeborg Quistgaard", erased.customer.number)
    assert customer.ssn == SSN
    assert customer.date_of_birth == date(1990, 1, 1)
    assert (customer.email, str(customer.phone), customer.address, customer.city) == ("",) * 4
    assert (customer.gender, customer.group, customer.debtor, customer.extra_fields) == (
        "",
        None,
        None,
        {},
    )
    assert clinical_rows(customer.pk) == 2
    # The name is on the customer row only (and in the search column the database derives
    # from it): nowhere else, the debtor made from them included.
    assert database_text_containing("Quistgaard") == {
        ("customers_customer", "last_name"),
        ("customers_customer", "search_text"),
    }


def test_erasing_a_customer_takes_their_contact_persons_portal_login_sessions_and_sign_in_records(
    erased,
):
    assert not ContactPerson.objects.filter(customer=erased.customer).exists()
    assert not User.objects.filter(pk=erased.portal_user.pk).exists()
    assert not session_exists(erased.session_key)
    preference_change = apps.get_model("contacts", "PreferenceChange")
    assert not preference_change.objects.filter(pgh_obj_id__in=[p.pk for p in erased.persons])
    # The history's own change contexts (who changed it, from which page) go with it.
    assert not pghistory.models.Context.objects.exists()
    assert database_text_containing("Sigrid.Tottrup") == set()


def test_erasing_a_customer_anonymises_the_private_debtor_that_pays_only_for_them(subject, erased):
    debtor = Debtor.objects.get(number=subject.customer.debtor.number)
    assert (debtor.name, debtor.email, str(debtor.phone), debtor.active) == (
        erasure.ERASED_DEBTOR_NAME,
        "",
        "",
        False,
    )


def test_erasing_a_customer_records_the_request_with_counts_and_no_personal_data(erased):
    request = ErasureRequest.objects.get()
    assert request.subject_id == erased.customer.pk
    assert request.records_kept_until == KEPT_UNTIL
    assert request.reason == erasure.default_reason()
    assert request.purged_at is None
    assert request.summary["erased"]["contact_persons"] == 2
    assert request.summary["erased"]["phone_numbers"] == 2
    assert request.summary["erased"]["portal_logins_deleted"] == 1
    assert request.summary["erased"]["debtors_anonymised"] == 1
    assert request.summary["erased"]["export_search_terms"] == 1
    assert CustomerExport.objects.get().query == erasure.ERASED_SEARCH_TERM


def test_a_debtor_of_a_company_stays_and_only_its_link_goes(administrator):
    company = DebtorFactory(name="Forsikring A/S")
    customer = CustomerFactory(debtor=company)
    records.record_create(customer=customer, title="Knee", by=administrator)
    erasure.erase_customer(
        customer=customer, by=administrator, received=date.today(), reason="Kept by law."
    )
    company.refresh_from_db()
    assert (company.name, company.active) == ("Forsikring A/S", True)
    assert Customer.objects.get(pk=customer.pk).debtor is None


def test_kept_records_need_a_reason_and_nothing_changes_without_one(subject, administrator):
    with pytest.raises(ValidationError) as refused:
        erasure.erase_customer(
            customer=subject.customer, by=administrator, received=date.today(), reason="  "
        )
    assert "reason" in refused.value.error_dict
    assert Customer.objects.get(pk=subject.customer.pk).email == "ingeborg.quist@mail.example"
    assert ContactPerson.objects.filter(customer=subject.customer).count() == 2


# --- Erasing a customer without records, and one contact person ---------------------------


def test_a_customer_without_records_is_deleted_at_once_with_no_trace(administrator):
    subject = customer_with_everything(staff=administrator, with_records=False)
    request = erasure.erase_customer(
        customer=subject.customer, by=administrator, received=date.today(), reason=""
    )
    assert not Customer.objects.filter(pk=subject.customer.pk).exists()
    assert request.records_kept_until is None
    assert request.summary["erased"]["customers"] == 1
    for text in [*subject.contact_data, *subject.identity]:
        assert database_text_containing(text) == set(), text


def test_erasing_a_contact_person_leaves_the_customer_and_the_other_persons(subject, administrator):
    relative, carer = subject.persons
    request = erasure.erase_person(person=carer, by=administrator, received=date.today())
    assert not ContactPerson.objects.filter(pk=carer.pk).exists()
    assert not User.objects.filter(pk=subject.portal_user.pk).exists()
    assert not session_exists(subject.session_key)
    for text in ("Sigrid", "Tøttrup", "sigrid.tottrup@portal.example", "+4527182818"):
        assert database_text_containing(text) == set(), text
    customer = Customer.objects.get(pk=subject.customer.pk)
    assert customer.email == "ingeborg.quist@mail.example"
    assert ContactPerson.objects.get(customer=customer) == relative
    assert relative.preference_changes.count() == 2
    assert (request.subject_kind, request.customer_id) == ("person", customer.pk)
    assert request.summary["erased"]["portal_accesses"] == 1


def test_a_preference_history_context_shared_with_another_person_stays(administrator):
    customer = CustomerFactory()
    with pghistory.context(user=administrator.pk):
        leaving = ContactPersonFactory(customer=customer, prefers_email=True)
        staying = ContactPersonFactory(customer=customer, prefers_email=True)
    erasure.erase_person(person=leaving, by=administrator, received=date.today())
    assert staying.preference_changes.get().pgh_context_id is not None
    assert pghistory.models.Context.objects.count() == 1


def test_a_portal_login_something_protects_is_anonymised_and_deactivated(administrator):
    person = portal_contact(first_name="Bo", last_name="Bramsen", email="bo.bramsen@x.example")
    login = person.portal_user
    CustomerExport.objects.create(user=login, rows=1)  # PROTECTs its user
    erasure.erase_person(person=person, by=administrator, received=date.today())
    login.refresh_from_db()
    assert (login.username, login.email, login.get_full_name()) == (f"erased-{login.pk}", "", "")
    assert not login.is_active
    assert not login.has_usable_password()
    assert database_text_containing("bramsen") == set()


# --- Retention and the purge ----------------------------------------------------------------


def test_records_are_kept_until_the_years_after_the_last_entry(erased):
    assert ErasureRequest.objects.get().records_kept_until == KEPT_UNTIL


def test_without_entries_the_records_are_kept_the_years_after_the_request(administrator):
    customer = CustomerFactory()
    records.record_create(customer=customer, title="Empty", by=administrator)
    request = erasure.erase_customer(
        customer=customer, by=administrator, received=date(2024, 2, 29), reason="Kept by law."
    )
    assert request.records_kept_until == date(2034, 2, 28)


def test_the_retention_years_are_a_setting(subject, administrator, settings):
    settings.RECORD_RETENTION_YEARS = 5
    request = erasure.erase_customer(
        customer=subject.customer, by=administrator, received=ASKED.date(), reason="By law."
    )
    assert request.records_kept_until == date(2025, 3, 10)


def test_purge_keeps_the_records_through_their_last_day(erased):
    purge(date(2030, 3, 9))
    purge(KEPT_UNTIL)
    assert clinical_rows(erased.customer.pk) == 2
    assert ErasureRequest.objects.get().purged_at is None


def test_purge_deletes_records_and_customer_the_day_after_the_retention(erased):
    logged = RecordAccess.objects.filter(customer_id=erased.customer.pk).count()
    output = purge(date(2030, 3, 11))
    assert not Customer.objects.filter(pk=erased.customer.pk).exists()
    assert clinical_rows(erased.customer.pk) == 0
    assert not EntryVersion.objects.exists()
    assert not Customer.objects.with_ssn(SSN).exists()
    for text in [*erased.contact_data, *erased.identity, SSN]:
        assert database_text_containing(text) == set(), text
    # The access log is append-only and names ids only: every line stays, and the purge
    # adds its own.
    assert RecordAccess.objects.filter(customer_id=erased.customer.pk).count() == logged + 1 == 4
    request = ErasureRequest.objects.get()
    assert request.purged_at == at(date(2030, 3, 11))
    assert request.summary["purged"] == {
        "records": 1,
        "entries": 1,
        "entry_versions": 1,
        "reservations": 1,
        "customers": 1,
    }
    assert f"Purged erasure request {request.pk}" in output
    removed = "reservations: 1, records: 1, entries: 1, earlier entry versions: 1, customer rows"
    assert f"{removed} deleted: 1." in output
    assert "Purged 1 erasure request:" in output


def test_the_purge_logs_each_record_it_deletes_in_the_chained_access_log(erased):
    record_id = Record.objects.get(customer=erased.customer).pk
    purge(date(2030, 3, 11), "--dry-run")
    assert not RecordAccess.objects.filter(action=RecordAccess.Action.PURGE).exists()

    purge(date(2030, 3, 11))
    line = RecordAccess.objects.get(action=RecordAccess.Action.PURGE)
    assert (line.record_id, line.customer_id) == (record_id, erased.customer.pk)
    assert line.at == at(date(2030, 3, 11))
    assert line.user is None and line.address is None
    assert line.by == "The retention purge (manage.py purge_records)"
    verification = audit.verify()
    assert verification.broken is None
    assert verification.newest.id == line.id


def test_an_entry_written_after_the_erasure_keeps_the_records_longer(erased, administrator):
    record = Record.objects.get(customer=erased.customer)
    with time_machine.travel(at(date(2022, 1, 5)), tick=False):
        records.entry_create(record=record, title="Came back", body="Again.", by=administrator)
    assert "keeps the records until 2032-01-05" in purge(date(2030, 3, 11), "--dry-run")
    assert ErasureRequest.objects.get().records_kept_until == KEPT_UNTIL
    output = purge(date(2030, 3, 11))
    assert clinical_rows(erased.customer.pk) == 3
    assert ErasureRequest.objects.get().records_kept_until == date(2032, 1, 5)
    assert "keeps the records until 2032-01-05" in output
    purge(date(2032, 1, 6))
    assert clinical_rows(erased.customer.pk) == 0


def test_a_dry_run_changes_nothing_and_reports_what_it_would_purge(erased):
    output = purge(date(2030, 3, 11), "--dry-run")
    assert "Would purge erasure request" in output
    assert "records: 1, entries: 1, earlier entry versions: 1, customer rows deleted: 1" in output
    assert clinical_rows(erased.customer.pk) == 2
    assert ErasureRequest.objects.get().purged_at is None


def test_purging_again_removes_nothing_more(erased):
    purge(date(2030, 3, 11))
    output = purge(date(2030, 3, 12))
    assert "Purged 0 erasure requests: nothing." in output
    assert ErasureRequest.objects.get().summary["purged"]["records"] == 1


def test_purge_also_takes_what_was_added_to_the_customer_after_the_erasure(erased):
    ContactPersonFactory(customer=erased.customer, first_name="Laterus", last_name="Addedsen")
    purge(date(2030, 3, 11))
    assert database_text_containing("Addedsen") == set()
    assert ErasureRequest.objects.get().summary["purged"]["contact_persons"] == 1


# --- The pages ------------------------------------------------------------------------------


def erase_url(customer) -> str:
    return reverse("privacy:erase_customer", args=[customer.pk])


@pytest.mark.parametrize("role", ["therapist", "receptionist"])
def test_only_administrators_may_erase(role, request, client_for, subject):
    client = client_for(request.getfixturevalue(role))
    person = subject.persons[0]
    assert client.get(erase_url(subject.customer)).status_code == 403
    assert client.post(erase_url(subject.customer), {"received": "2020-06-01"}).status_code == 403
    assert client.post(reverse("privacy:erase_person", args=[person.pk])).status_code == 403
    assert not ErasureRequest.objects.exists()
    assert Customer.objects.get(pk=subject.customer.pk).email


def test_the_erase_page_names_what_goes_what_stays_and_until_when(client_for, administrator):
    with time_machine.travel(ASKED, tick=False):
        subject = customer_with_everything(staff=administrator)
        response = client_for(administrator).get(erase_url(subject.customer))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Erase Ingeborg Quistgaard" in page
    assert "email, phone, address, postal code, city, gender, group" in page
    assert "Contact persons: 2" in page
    assert "Portal logins deleted: 1" in page
    assert "Private debtors anonymised: 1" in page
    assert "1 record with 1 entry and 1 earlier version" in page
    assert "until 10 March 2030" in page
    assert "10 years after the last entry" in page
    assert erasure.default_reason() in page
    assert "cannot be undone" in page
    assert not ErasureRequest.objects.exists()


def test_without_records_the_erase_page_says_the_customer_is_deleted(client_for, administrator):
    customer = CustomerFactory(first_name="Nils", last_name="Nothingkept")
    page = client_for(administrator).get(erase_url(customer)).content.decode()
    assert "Nils Nothingkept is deleted" in page
    assert "there are no clinical records to keep" in page
    assert 'name="reason"' not in page


def test_erasing_on_the_page_keeps_records_and_returns_to_the_privacy_tab(
    client_for, administrator, subject
):
    client = client_for(administrator)
    response = client.post(
        erase_url(subject.customer), {"received": "2020-06-01", "reason": "Kept by law."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?tab=privacy")
    tab = client.get(response["Location"]).content.decode()
    assert "has been erased" in tab
    assert "records kept until" in tab
    assert "Contact persons: 2" in tab
    assert ErasureRequest.objects.get().received == date(2020, 6, 1)


def test_erasing_a_customer_without_records_returns_to_the_customer_list(client_for, administrator):
    customer = CustomerFactory(first_name="Nils", last_name="Nothingkept")
    response = client_for(administrator).post(erase_url(customer), {"received": "2024-05-01"})
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:list")
    assert not Customer.objects.filter(pk=customer.pk).exists()


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"received": "2020-06-01", "reason": ""}, "Say why the clinical records are kept."),
        ({"received": "", "reason": "Kept by law."}, "Enter the date the request was received."),
        ({"received": "2999-01-01", "reason": "By law."}, "cannot have been received after"),
    ],
)
def test_a_missing_reason_or_date_shows_a_message_and_changes_nothing(
    posted, message, client_for, administrator, subject
):
    response = client_for(administrator).post(erase_url(subject.customer), posted)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ErasureRequest.objects.exists()
    assert Customer.objects.get(pk=subject.customer.pk).email == "ingeborg.quist@mail.example"
    assert ContactPerson.objects.filter(customer=subject.customer).count() == 2


def test_the_privacy_tab_offers_erasing_the_customer_and_each_contact_person(
    client_for, administrator, subject
):
    url = reverse("customers:detail", args=[subject.customer.pk]) + "?tab=privacy"
    page = client_for(administrator).get(url).content.decode()
    assert "Erase customer…" in page
    for person in subject.persons:
        assert reverse("privacy:erase_person", args=[person.pk]) in page


def test_the_person_erase_page_asks_first_then_erases_only_them(client_for, administrator, subject):
    relative, carer = subject.persons
    client = client_for(administrator)
    url = reverse("privacy:erase_person", args=[carer.pk])
    page = client.get(url).content.decode()
    assert "Erase Sigrid Tøttrup, contact person of Ingeborg Quistgaard?" in page
    assert "their customer portal login" in page
    assert "Phone numbers of contact persons: 1" in page
    assert ContactPerson.objects.filter(pk=carer.pk).exists()
    response = client.post(url, {"received": date.today().isoformat()})
    assert response.status_code == 302
    assert not ContactPerson.objects.filter(pk=carer.pk).exists()
    assert ContactPerson.objects.filter(pk=relative.pk).exists()


def test_the_admin_shows_erasure_requests_but_never_adds_or_changes_them(
    client_for, administrator, erased
):
    client = client_for(administrator)
    request = ErasureRequest.objects.get()
    assert client.get(reverse("admin:privacy_erasurerequest_changelist")).status_code == 200
    page = client.get(reverse("admin:privacy_erasurerequest_change", args=[request.pk]))
    assert "contact persons: 2" in page.content.decode()
    assert client.get(reverse("admin:privacy_erasurerequest_add")).status_code == 403
    assert (
        client.post(reverse("admin:privacy_erasurerequest_delete", args=[request.pk])).status_code
        == 403
    )


def test_a_customer_kept_with_records_says_so_and_cannot_be_edited_again(
    erased, client, administrator
):
    customer = Customer.objects.get(pk=erased.customer.pk)
    assert customer.erased_on == ASKED.date()
    client.force_login(administrator)

    profile = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert f"Erased on {ASKED.day} " in profile
    assert reverse("customers:edit", args=[customer.pk]) not in profile
    edit = client.get(reverse("customers:edit", args=[customer.pk]), follow=True)
    assert b"only their identity is kept" in edit.content


def test_the_customer_service_refuses_to_store_contact_details_again(erased):
    customer = Customer.objects.get(pk=erased.customer.pk)
    with pytest.raises(ValidationError, match="only their identity is kept"):
        customer_update(
            customer=customer,
            change=CustomerChange(fields={"email": "back@again.example"}),
            version=customer.version,
        )
    customer.refresh_from_db()
    assert customer.email == ""


def test_no_contact_person_or_reservation_can_be_added_to_an_erased_customer(
    erased, client, administrator
):
    customer = Customer.objects.get(pk=erased.customer.pk)
    client.force_login(administrator)
    for name in ("contacts:person_create", "customers:reservation_create"):
        response = client.post(
            reverse(name, args=[customer.pk]),
            {"first_name": "New", "last_name": "Person", "service": "Booked after erasure"},
            follow=True,
        )
        assert b"only their identity is kept" in response.content, name
    assert not ContactPerson.objects.filter(customer=customer).exists()
    assert not customer.reservations.filter(service="Booked after erasure").exists()


ADDING_AGAIN = {
    "debtor": lambda customer, _: customer_set_debtor(customer=customer, debtor=DebtorFactory()),
    "own debtor": lambda customer, _: customer_make_own_debtor(customer=customer),
    "contact": lambda customer, _: customer_contact_add(
        customer=customer, contact=ContactFactory()
    ),
    "portal request": lambda customer, user: reservation_request(
        customer=customer, requested_by=user, service="Asked after erasure", start=at(KEPT_UNTIL)
    ),
}


@pytest.mark.parametrize("add", ADDING_AGAIN.values(), ids=ADDING_AGAIN.keys())
def test_no_debtor_directory_contact_or_portal_request_can_be_added_to_an_erased_customer(
    erased, portal_user, add
):
    customer = Customer.objects.get(pk=erased.customer.pk)
    with pytest.raises(ValidationError, match="only their identity is kept"):
        add(customer, portal_user)
    customer.refresh_from_db()
    assert customer.debtor_id is None
    assert not Debtor.objects.filter(name=customer.name).exists()
    assert not customer.directory_links.exists()
    assert not customer.reservations.filter(service="Asked after erasure").exists()


def test_an_erased_customer_can_still_lose_a_debtor(erased, customer_settings):
    customer_settings(secondary_debtor_enabled=True)  # switched off, it cannot change at all
    customer = Customer.objects.get(pk=erased.customer.pk)
    Customer.objects.filter(pk=customer.pk).update(secondary_debtor=DebtorFactory())
    customer_set_debtor(customer=customer, debtor=None, secondary=True)
    assert Customer.objects.get(pk=customer.pk).secondary_debtor_id is None


def test_an_erased_customers_profile_offers_nothing_to_add_and_refuses_a_posted_contact(
    erased, client, administrator
):
    customer = Customer.objects.get(pk=erased.customer.pk)
    client.force_login(administrator)
    contact = ContactFactory()
    response = client.post(
        reverse("contacts:choose", args=[customer.pk]), {"contact": contact.pk}, follow=True
    )
    assert b"only their identity is kept" in response.content
    assert not customer.directory_links.exists()
    own = client.post(reverse("customers:own_debtor", args=[customer.pk]), follow=True)
    assert b"only their identity is kept" in own.content

    profile = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    for offer in ("customers:debtor", "customers:own_debtor", "customers:reservation_create"):
        assert reverse(offer, args=[customer.pk]) not in profile, offer
    persons = client.get(reverse("customers:detail", args=[customer.pk]), {"tab": "persons"})
    assert reverse("contacts:person_create", args=[customer.pk]) not in persons.content.decode()


def test_the_erase_page_counts_records_entries_and_versions_in_the_plural(
    client_for, administrator
):
    with time_machine.travel(ASKED, tick=False):
        subject = customer_with_everything(staff=administrator)
        second = records.record_create(customer=subject.customer, title="Back", by=administrator)
        records.entry_create(record=second, title="Visit", body="Notes", by=administrator)
        response = client_for(administrator).get(erase_url(subject.customer))

    assert "2 records with 2 entries and 1 earlier version" in response.content.decode()
