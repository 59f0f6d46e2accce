"""Extra customer fields ("spaces"): administrators define them (text, long text, number,
date, yes/no, choice) in an order; customer information shows and validates them; deleting
a field hides it and keeps its values."""

import pytest
from django.urls import reverse

from customers.models import ExtraField
from tests.customers.test_customer_form import _edit_url, _form_data
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def extra(label, kind="text", **fields):
    position = ExtraField.objects.count() + 1
    return ExtraField.objects.create(label=label, kind=kind, position=position, **fields)


def field_name(field):
    return f"extra_{field.pk}"


@pytest.fixture
def staff(client_for, receptionist):
    return client_for(receptionist)


@pytest.fixture
def admin_client(client_for, administrator):
    return client_for(administrator)


def test_each_kind_is_saved_and_shown_on_customer_information(staff):
    fields = {
        "Referred by": extra("Referred by"),
        "History": extra("History", "long_text"),
        "Sessions granted": extra("Sessions granted", "number"),
        "Referral date": extra("Referral date", "date"),
        "Parking permit": extra("Parking permit", "yes_no"),
        "Shoe size": extra("Shoe size", "choice", options="S\nM\nL"),
    }
    customer = CustomerFactory()
    values = {
        "Referred by": "Dr. Holm",
        "History": "Two falls\nin 2025",
        "Sessions granted": "12.5",
        "Referral date": "2026-03-12",
        "Parking permit": "yes",
        "Shoe size": "M",
    }
    posted = {field_name(fields[label]): value for label, value in values.items()}
    response = staff.post(_edit_url(customer), _form_data(customer, **posted), follow=True)
    customer.refresh_from_db()
    assert customer.extra_fields == {fields[label].key: value for label, value in values.items()}
    html = response.content.decode()
    for shown in ("Dr. Holm", "Two falls<br>in 2025", "12.5", "12 Mar 2026", "Yes", ">M<"):
        assert shown in html, shown
    assert html.index("Referred by") < html.index("Shoe size")


@pytest.mark.parametrize(
    ("kind", "options", "posted", "message"),
    [
        ("number", "", "twelve", "Enter a number."),
        ("date", "", "31-02-2026", "Enter a valid date."),
        ("yes_no", "", "maybe", "Select a valid choice."),
        ("choice", "S\nM", "XL", "Select a valid choice."),
    ],
)
def test_a_bad_value_is_refused_next_to_the_field(staff, kind, options, posted, message):
    field = extra("Checked", kind, options=options)
    customer = CustomerFactory()
    response = staff.post(_edit_url(customer), _form_data(customer, **{field_name(field): posted}))
    assert message in response.content.decode()
    customer.refresh_from_db()
    assert customer.extra_fields == {}


def test_a_required_field_must_be_filled_out(staff):
    field = extra("Consent given", "yes_no", required=True)
    response = staff.post("/customers/new/", _form_data())
    assert "This field is required." in response.content.decode()
    staff.post("/customers/new/", _form_data(**{field_name(field): "no"}))
    assert CustomerFactory._meta.model.objects.get().extra_fields == {field.key: "no"}


def test_clearing_a_value_removes_it(staff):
    field = extra("Referred by")
    customer = CustomerFactory(extra_fields={field.key: "Dr. Holm"})
    staff.post(_edit_url(customer), _form_data(customer, **{field_name(field): ""}))
    customer.refresh_from_db()
    assert customer.extra_fields == {}


def test_a_deleted_field_is_hidden_and_its_values_are_kept(staff, admin_client):
    field = extra("Referred by")
    customer = CustomerFactory(extra_fields={field.key: "Dr. Holm"})
    page = admin_client.get(reverse("customers:field_delete", args=[field.pk])).content.decode()
    assert "1 customer filled it out" in page
    assert "left out of CSV exports" in page
    admin_client.post(reverse("customers:field_delete", args=[field.pk]))
    profile = staff.get(f"/customers/{customer.id}/").content.decode()
    assert "Referred by" not in profile
    assert field_name(field) not in staff.get(_edit_url(customer)).content.decode()
    # Saving the customer, even with the deleted field posted, keeps the stored value.
    staff.post(_edit_url(customer), _form_data(customer, **{field_name(field): "Someone"}))
    customer.refresh_from_db()
    assert customer.extra_fields == {field.key: "Dr. Holm"}
    # Restored, it is back with its value.
    admin_client.post(reverse("customers:field_restore", args=[field.pk]))
    assert "Dr. Holm" in staff.get(f"/customers/{customer.id}/").content.decode()


def test_a_restore_that_would_clash_with_a_field_in_use_is_refused(admin_client):
    old = extra("Referred by")
    old.mark_deleted()
    old.save()
    extra("referred by")
    response = admin_client.post(reverse("customers:field_restore", args=[old.pk]), follow=True)
    assert "cannot be restored" in response.content.decode()
    old.refresh_from_db()
    assert old.deleted is not None


def test_an_administrator_adds_a_choice_field_after_the_others(admin_client):
    extra("First")
    response = admin_client.post(
        reverse("customers:field_create"),
        {"label": "Shoe size", "kind": "choice", "options": " S \n\nM\n", "help_text": ""},
        follow=True,
    )
    field = ExtraField.objects.get(label="Shoe size")
    assert (field.options, field.position) == ("S\nM", 2)
    assert "Extra field “Shoe size” added" in response.content.decode()


def test_a_choice_field_needs_options_and_labels_are_unique(admin_client):
    extra("Referred by")
    response = admin_client.post(
        reverse("customers:field_create"), {"label": "REFERRED BY", "kind": "choice", "options": ""}
    )
    html = response.content.decode()
    assert "Give at least one option" in html
    assert "An extra field with this label already exists." in html
    assert ExtraField.objects.count() == 1


def test_the_kind_cannot_be_changed_once_the_field_exists(admin_client):
    field = extra("Sessions", "number")
    admin_client.post(
        reverse("customers:field_edit", args=[field.pk]),
        {"label": "Sessions granted", "kind": "text", "options": ""},
    )
    field.refresh_from_db()
    assert (field.label, field.kind) == ("Sessions granted", "number")


def test_fields_are_moved_up_and_down(admin_client):
    first, _, third = extra("First"), extra("Second"), extra("Third")
    admin_client.post(reverse("customers:field_move", args=[third.pk]), {"direction": "up"})
    assert list(ExtraField.objects.in_use().values_list("label", flat=True)) == [
        "First", "Third", "Second",
    ]  # fmt: skip
    admin_client.post(reverse("customers:field_move", args=[first.pk]), {"direction": "up"})
    assert ExtraField.objects.in_use().first() == first


def test_only_administrators_define_fields(staff):
    field = extra("Referred by")
    assert staff.get(reverse("customers:fields")).status_code == 403
    assert staff.get(reverse("customers:field_create")).status_code == 403
    assert staff.post(reverse("customers:field_delete", args=[field.pk])).status_code == 403
    assert staff.post(reverse("customers:field_move", args=[field.pk])).status_code == 403
    field.refresh_from_db()
    assert field.deleted is None
