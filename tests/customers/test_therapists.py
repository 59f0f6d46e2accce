"""Primary and secondary therapist on the customer, chosen from the calendars the settings
allow (all, one calendar, or for the secondary "Only primary": none); the server refuses
any other choice. Calendars are kept on their own Back-end page."""

import pytest
from django.urls import reverse

from customers.models import Calendar, Customer
from tests.customers.test_customer_form import _edit_url, _form_data
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client_for, receptionist):
    return client_for(receptionist)


@pytest.fixture
def calendars(db):
    return {
        name: Calendar.objects.create(name=name, therapist=UserFactory(username=name.lower()))
        for name in ("Tobias", "Maja", "Karl")
    }


def choices(response, name):
    """The option labels of the select `name` on the page."""
    form = response.context["form"]
    return [label for value, label in form.fields[name].choices if value != ""]


def test_the_fields_exist_only_while_the_setting_is_on(staff, calendars, customer_settings):
    customer = CustomerFactory()
    customer_settings(therapists_enabled=False)
    page = staff.get(_edit_url(customer))
    assert "primary_therapist" not in page.context["form"].fields
    staff.post(_edit_url(customer), _form_data(customer, primary_therapist=calendars["Maja"].pk))
    customer.refresh_from_db()
    assert customer.primary_therapist is None


def test_all_calendars_can_be_chosen_and_are_shown_on_the_profile(
    staff, calendars, customer_settings
):
    customer_settings(therapists_enabled=True)
    customer = CustomerFactory()
    assert choices(staff.get(_edit_url(customer)), "primary_therapist") == [
        "Karl",
        "Maja",
        "Tobias",
    ]
    staff.post(
        _edit_url(customer),
        _form_data(
            customer,
            primary_therapist=calendars["Maja"].pk,
            secondary_therapist=calendars["Karl"].pk,
        ),
    )
    customer.refresh_from_db()
    assert (customer.primary_therapist.name, customer.secondary_therapist.name) == ("Maja", "Karl")
    profile = staff.get(f"/customers/{customer.id}/").content.decode()
    assert "Primary therapist" in profile and "Maja" in profile and "Karl" in profile


def test_a_configured_calendar_is_the_only_choice_and_the_server_refuses_others(
    staff, calendars, customer_settings
):
    customer_settings(therapists_enabled=True, primary_therapist_calendar=calendars["Tobias"])
    customer = CustomerFactory()
    assert choices(staff.get(_edit_url(customer)), "primary_therapist") == ["Tobias"]
    response = staff.post(
        _edit_url(customer), _form_data(customer, primary_therapist=calendars["Maja"].pk)
    )
    assert "Select a valid choice." in response.content.decode()
    customer.refresh_from_db()
    assert customer.primary_therapist is None


def test_the_service_refuses_a_calendar_outside_the_settings(calendars, customer_settings):
    from django.core.exceptions import ValidationError

    from customers.services import CustomerChange, customer_update

    settings = customer_settings(
        therapists_enabled=True,
        secondary_therapist_choice="calendar",
        secondary_therapist_calendar=calendars["Karl"],
    )
    assert list(settings.therapist_calendars("secondary")) == [calendars["Karl"]]
    customer = CustomerFactory()
    with pytest.raises(ValidationError, match="cannot be chosen as secondary therapist"):
        customer_update(
            customer=customer,
            change=CustomerChange(fields={"secondary_therapist": calendars["Maja"]}),
            version=customer.version,
        )


def test_only_primary_means_no_secondary_therapist(staff, calendars, customer_settings):
    customer_settings(therapists_enabled=True, secondary_therapist_choice="only_primary")
    customer = CustomerFactory()
    page = staff.get(_edit_url(customer))
    assert "primary_therapist" in page.context["form"].fields
    assert "secondary_therapist" not in page.context["form"].fields
    staff.post(_edit_url(customer), _form_data(customer, secondary_therapist=calendars["Karl"].pk))
    customer.refresh_from_db()
    assert customer.secondary_therapist is None


def test_the_secondary_cannot_be_the_primary(staff, calendars, customer_settings):
    customer_settings(therapists_enabled=True)
    customer = CustomerFactory()
    maja = calendars["Maja"].pk
    response = staff.post(
        _edit_url(customer), _form_data(customer, primary_therapist=maja, secondary_therapist=maja)
    )
    assert "already the primary one" in response.content.decode()


def test_a_choice_made_before_the_settings_changed_stays_until_changed(
    staff, calendars, customer_settings
):
    customer_settings(therapists_enabled=True)
    customer = CustomerFactory(primary_therapist=calendars["Maja"])
    customer_settings(primary_therapist_calendar=calendars["Tobias"])
    staff.post(
        _edit_url(customer),
        _form_data(customer, primary_therapist=calendars["Maja"].pk, city="Vejle"),
    )
    customer.refresh_from_db()
    assert (customer.city, customer.primary_therapist.name) == ("Vejle", "Maja")


def test_inactive_calendars_cannot_be_chosen(staff, calendars, customer_settings):
    customer_settings(therapists_enabled=True)
    Calendar.objects.filter(name="Karl").update(active=False)
    assert choices(staff.get("/customers/new/"), "primary_therapist") == ["Maja", "Tobias"]


def test_calendars_are_created_one_per_therapist(client_for, administrator, calendars):
    client = client_for(administrator)
    newcomer = UserFactory(username="nina", first_name="Nina", last_name="Nurse")
    page = client.get(reverse("customers:calendar_create"))
    therapists = [label for value, label in page.context["form"].fields["therapist"].choices]
    assert "Nina Nurse" in therapists
    assert calendars["Maja"].therapist.get_full_name() not in therapists
    response = client.post(
        reverse("customers:calendar_create"),
        {"name": "Nina", "therapist": newcomer.pk, "active": "on"},
        follow=True,
    )
    assert "Calendar “Nina” created." in response.content.decode()
    assert Calendar.objects.get(name="Nina").therapist == newcomer


def test_staff_without_the_permission_cannot_keep_calendars(client_for, nobody):
    client = client_for(nobody)
    assert client.get(reverse("customers:calendars")).status_code == 403
    assert client.post(reverse("customers:calendar_create"), {"name": "x"}).status_code == 403
    assert not Calendar.objects.exists()
    assert Customer.objects.count() == 0


def test_the_empty_choice_says_there_is_no_therapist(staff, calendars, customer_settings):
    customer_settings(therapists_enabled=True)
    customer = CustomerFactory()
    content = staff.get(_edit_url(customer)).content.decode()
    assert '<option value="" selected>No primary therapist</option>' in content
    assert '<option value="" selected>No secondary therapist</option>' in content
    booking = staff.get(reverse("customers:reservation_create", args=[customer.pk]))
    assert '<option value="" selected>No secondary therapist</option>' in booking.content.decode()
    assert ">None</option>" not in booking.content.decode()


def test_the_calendar_list_counts_customers_in_singular_and_plural(
    client_for, administrator, calendars
):
    CustomerFactory(primary_therapist=calendars["Maja"])
    CustomerFactory.create_batch(2, primary_therapist=calendars["Karl"])
    content = client_for(administrator).get("/customers/calendars/").content.decode()
    assert "<td>1 customer</td>" in content
    assert "<td>2 customers</td>" in content
    assert "<td>0 customers</td>" in content


def test_under_only_primary_the_profile_shows_no_secondary_therapist(
    staff, calendars, customer_settings
):
    customer_settings(therapists_enabled=True)
    customer = CustomerFactory(secondary_therapist=calendars["Karl"])
    customer_settings(secondary_therapist_choice="only_primary")
    content = staff.get(f"/customers/{customer.id}/").content.decode()
    assert "Secondary therapist" not in content
    assert "Karl" not in content


def test_only_primary_asks_before_taking_secondary_therapists_away(
    client_for, administrator, calendars, customer_settings
):
    from customers.models import CustomerSettings
    from tests.customers.test_settings_page import _post_values

    customer_settings(therapists_enabled=True)
    CustomerFactory.create_batch(2, secondary_therapist=calendars["Karl"])
    untouched = CustomerFactory(primary_therapist=calendars["Maja"])
    client = client_for(administrator)
    data = _post_values(secondary_therapist_choice="only_primary")

    asked = client.post("/customers/settings/", data).content.decode()
    assert "2 customers have a secondary therapist." in asked
    assert 'name="remove_secondary_therapists"' in asked
    assert CustomerSettings.load().secondary_therapist_choice == "all"
    assert Customer.objects.filter(secondary_therapist__isnull=False).count() == 2

    data["remove_secondary_therapists"] = "on"
    saved = client.post("/customers/settings/", data, follow=True).content.decode()
    assert "The secondary therapist was removed from 2 customers." in saved
    assert CustomerSettings.load().secondary_therapist_choice == "only_primary"
    assert not Customer.objects.filter(secondary_therapist__isnull=False).exists()
    untouched.refresh_from_db()
    assert untouched.primary_therapist.name == "Maja"


def test_only_primary_saves_without_asking_when_nobody_has_a_secondary_therapist(
    client_for, administrator, customer_settings
):
    from customers.models import CustomerSettings
    from tests.customers.test_settings_page import _post_values

    client = client_for(administrator)
    assert (
        'name="remove_secondary_therapists"'
        not in client.get("/customers/settings/").content.decode()
    )
    client.post("/customers/settings/", _post_values(secondary_therapist_choice="only_primary"))
    assert CustomerSettings.load().secondary_therapist_choice == "only_primary"


def test_the_admin_asks_the_same_before_taking_secondary_therapists_away(
    client_for, administrator, calendars, customer_settings
):
    from customers.models import CustomerSettings
    from tests.customers.test_settings_page import _post_values

    customer_settings(therapists_enabled=True)
    CustomerFactory(secondary_therapist=calendars["Karl"])
    url = "/admin/customers/customersettings/1/change/"
    data = _post_values(secondary_therapist_choice="only_primary")
    asked = client_for(administrator).post(url, data).content.decode()
    assert "1 customer has a secondary therapist." in asked
    assert CustomerSettings.load().secondary_therapist_choice == "all"
    client_for(administrator).post(url, data | {"remove_secondary_therapists": "on"})
    assert CustomerSettings.load().secondary_therapist_choice == "only_primary"
    assert Customer.objects.get().secondary_therapist is None
