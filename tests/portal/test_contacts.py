"""Account › Contacts in the portal: the list, search, view, add, edit and delete, with the
rules on permissions (only Admin access grants, nobody grants more than they hold, nobody
deletes themselves)."""

from datetime import date

import pytest
from django.core import mail

from contacts.models import ContactPerson
from customers.models import Customer
from portal.models import Permission, PortalAccess
from tests.contacts.person_data import person_form_data
from tests.factories import ContactPersonFactory, ContactPersonPhoneFactory, portal_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(portal_customer):
    """A contact allowed to edit contacts, but not to grant permissions."""
    return portal_contact(
        customer=portal_customer,
        permissions=[Permission.EDIT_CONTACT],
        first_name="Eddie",
        last_name="Editor",
        email="eddie@nordlys.example",
    )


@pytest.fixture
def colleague(portal_customer):
    person = ContactPersonFactory(
        customer=portal_customer,
        title="Mr",
        first_name="Ole",
        last_name="Lund",
        email="ole@nordlys.example",
    )
    ContactPersonPhoneFactory(person=person, number="+4521212121")
    return person


def _client(client_for, person):
    return client_for(person.portal_user)


def test_the_list_shows_title_name_phone_email_of_every_contact(
    client_for, portal_admin, colleague
):
    page = _client(client_for, portal_admin).get("/portal/contacts/").content.decode()
    for heading in ("Title", "Name", "Phone", "Email"):
        assert f'<th scope="col">{heading}</th>' in page
    assert '<th scope="col" class="text-end">Actions</th>' in page
    assert "Ole Lund" in page
    assert "+45 21 21 21 21" in page
    assert "ole@nordlys.example" in page
    assert "Add Contact" in page


def test_add_contact_is_not_offered_without_edit_contact(client_for, portal_limited):
    page = _client(client_for, portal_limited).get("/portal/contacts/").content.decode()
    assert "Add Contact" not in page
    assert "Search Contacts" in page


def test_search_finds_by_name_and_status(client_for, portal_limited, colleague, portal_customer):
    ContactPersonFactory(customer=portal_customer, first_name="Olga", last_name="Berg")
    ContactPersonFactory(
        customer=portal_customer, first_name="Oliver", last_name="Stone", is_active=False
    )
    client = _client(client_for, portal_limited)
    found = client.get("/portal/contacts/search/", {"q": "ol", "status": "active"}).content
    assert b"Ole" in found and b"Olga" in found and b"Oliver" not in found
    inactive = client.get("/portal/contacts/search/", {"q": "ol", "status": "inactive"}).content
    assert b"Oliver" in inactive and b"Olga" not in inactive


def test_the_search_page_asks_before_searching(client_for, portal_limited, colleague):
    page = _client(client_for, portal_limited).get("/portal/contacts/search/").content.decode()
    assert "press Enter or Search" in page
    assert "Ole Lund" not in page


def test_view_contact_shows_account_information_and_portal_permissions(
    client_for, portal_limited, portal_admin
):
    page = _client(client_for, portal_limited).get(f"/portal/contacts/{portal_admin.pk}/")
    text = page.content.decode()
    assert "Account information" in text
    assert "Customer Portal permissions" in text
    assert "Admin access" in text
    assert f"/portal/contacts/{portal_admin.pk}/edit/" not in text  # a limited user


def test_an_admin_adds_a_contact_with_permissions_and_an_invitation(
    client_for, portal_admin, worker
):
    data = person_form_data(
        first_name="Nina",
        last_name="New",
        email="nina@nordlys.example",
        phones=[("mobile", "DK", "22 33 44 55")],
    ) | {"portal-login": "on", "portal-access_billing": "on"}
    response = _client(client_for, portal_admin).post("/portal/contacts/new/", data)
    assert response.status_code == 302
    nina = ContactPerson.objects.get(last_name="New")
    assert nina.customer == portal_admin.customer
    assert nina.portal_access.permissions == {Permission.BILLING}
    assert str(nina.phones.get().number) == "+4522334455"
    worker.run()
    (message,) = mail.outbox
    assert message.to == ["nina@nordlys.example"]


def test_the_add_form_keeps_the_staff_rules(client_for, portal_admin):
    data = person_form_data(last_name="", email="")
    response = _client(client_for, portal_admin).post("/portal/contacts/new/", data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in text
    # Every error at once, each at its field (the staff form's rule).
    assert response.context["form"].errors["email"] == [
        "Enter an email address or at least one phone number."
    ]
    assert ContactPerson.objects.count() == 1


def test_an_editor_adds_contacts_but_cannot_grant_permissions(client_for, editor, worker):
    data = person_form_data(last_name="Sneaky", email="sneaky@nordlys.example") | {
        "portal-login": "on",
        "portal-admin_access": "on",
    }
    response = _client(client_for, editor).post("/portal/contacts/new/", data)
    assert response.status_code == 302
    sneaky = ContactPerson.objects.get(last_name="Sneaky")
    assert sneaky.portal_user is None
    assert not PortalAccess.objects.filter(person=sneaky).exists()
    worker.run()
    assert not mail.outbox


def test_an_editor_cannot_raise_another_contacts_permissions(client_for, editor, portal_limited):
    data = person_form_data(first_name="Lis", last_name="Limited", email="lis@nordlys.example") | {
        "portal-login": "on",
        "portal-admin_access": "on",
        "portal-edit_contact": "on",
    }
    response = _client(client_for, editor).post(f"/portal/contacts/{portal_limited.pk}/edit/", data)
    assert response.status_code == 302
    portal_limited.portal_access.refresh_from_db()
    assert portal_limited.portal_access.permissions == frozenset()


def test_an_editor_cannot_edit_or_delete_a_contact_holding_more(client_for, editor, portal_admin):
    client = _client(client_for, editor)
    data = person_form_data(last_name="Admin", email="editor-owns-this@nordlys.example")
    assert client.post(f"/portal/contacts/{portal_admin.pk}/edit/", data).status_code == 403
    assert client.post(f"/portal/contacts/{portal_admin.pk}/delete/").status_code == 403
    portal_admin.refresh_from_db()
    assert portal_admin.email == "ada@nordlys.example"


def test_an_admin_changes_and_removes_others_permissions(client_for, portal_admin, editor):
    data = person_form_data(
        first_name="Eddie", last_name="Editor", email="eddie@nordlys.example"
    ) | {"portal-login": "on", "portal-access_reports": "on"}
    _client(client_for, portal_admin).post(f"/portal/contacts/{editor.pk}/edit/", data)
    editor.portal_access.refresh_from_db()
    assert editor.portal_access.permissions == {Permission.REPORTS}


def test_an_admin_cannot_change_their_own_permissions(client_for, portal_admin):
    data = person_form_data(first_name="Ada", last_name="Admin", email="ada@nordlys.example")
    # No box ticked: an attempt to drop their own Admin access (and login).
    response = _client(client_for, portal_admin).post(
        f"/portal/contacts/{portal_admin.pk}/edit/", data
    )
    assert response.status_code == 302
    portal_admin.refresh_from_db()
    assert portal_admin.portal_access.admin_access


def test_nobody_grants_a_permission_they_do_not_hold(portal_customer, editor, portal_limited):
    from django.core.exceptions import PermissionDenied

    from portal.services import AccessChange, portal_access_update

    # Even were an editor handed the form, the service refuses.
    with pytest.raises(PermissionDenied):
        portal_access_update(
            person=portal_limited,
            change=AccessChange(login=True, permissions=frozenset({Permission.BILLING})),
            by=editor.portal_user,
            actor=editor.portal_access,
            site_url="http://testserver",
        )


def test_every_user_edits_their_own_details_but_not_their_status(client_for, portal_limited):
    data = person_form_data(
        first_name="Lis", last_name="Limited-Berg", email="lis@nordlys.example", is_active=None
    )
    data.pop("is_active")
    client = _client(client_for, portal_limited)
    page = client.get(f"/portal/contacts/{portal_limited.pk}/edit/").content.decode()
    assert 'name="is_active"' not in page
    response = client.post(f"/portal/contacts/{portal_limited.pk}/edit/", data)
    assert response.status_code == 302
    portal_limited.refresh_from_db()
    assert portal_limited.last_name == "Limited-Berg"
    assert portal_limited.is_active


def test_save_returns_to_the_view_page_when_edited_from_there(client_for, portal_admin, colleague):
    data = person_form_data(first_name="Ole", last_name="Lund", email="ole.l@nordlys.example")
    url = f"/portal/contacts/{colleague.pk}/edit/"
    view = f"/portal/contacts/{colleague.pk}/"
    response = _client(client_for, portal_admin).post(url, data | {"next": view})
    assert response["Location"] == view


def test_save_returns_to_the_list_when_edited_from_there(client_for, portal_admin, colleague):
    data = person_form_data(first_name="Ole", last_name="Lund", email="ole.l@nordlys.example")
    url = f"/portal/contacts/{colleague.pk}/edit/"
    response = _client(client_for, portal_admin).post(
        url, data | {"next": "/portal/contacts/?page=2"}
    )
    assert response["Location"] == "/portal/contacts/?page=2"


@pytest.mark.parametrize("target", ["https://evil.example/", "/customers/", "//evil.example/"])
def test_save_never_returns_outside_the_portal(client_for, portal_admin, colleague, target):
    data = person_form_data(first_name="Ole", last_name="Lund", email="ole.l@nordlys.example")
    url = f"/portal/contacts/{colleague.pk}/edit/"
    response = _client(client_for, portal_admin).post(url, data | {"next": target})
    assert response["Location"] == f"/portal/contacts/{colleague.pk}/"


def test_delete_asks_first_and_says_what_goes(client_for, portal_admin, colleague):
    page = _client(client_for, portal_admin).get("/portal/contacts/").content.decode()
    assert "Confirm Delete" in page
    assert "This cannot be undone" in page
    confirm = _client(client_for, portal_admin).get(f"/portal/contacts/{colleague.pk}/delete/")
    assert "Delete <strong>Mr Ole Lund</strong>?" in confirm.content.decode()
    assert ContactPerson.objects.filter(pk=colleague.pk).exists()


def test_delete_removes_the_contact_and_their_login(client_for, portal_admin, portal_limited):
    user_id = portal_limited.portal_user_id
    response = _client(client_for, portal_admin).post(
        f"/portal/contacts/{portal_limited.pk}/delete/"
    )
    assert response["Location"] == "/portal/contacts/"
    assert not ContactPerson.objects.filter(pk=portal_limited.pk).exists()
    from accounts.models import User

    assert not User.objects.filter(pk=user_id).exists()


def test_nobody_deletes_their_own_contact(client_for, portal_admin):
    client = _client(client_for, portal_admin)
    page = client.get("/portal/contacts/").content.decode()
    assert f"/portal/contacts/{portal_admin.pk}/delete/" not in page
    assert client.post(f"/portal/contacts/{portal_admin.pk}/delete/").status_code == 403
    assert ContactPerson.objects.filter(pk=portal_admin.pk).exists()


def test_a_limited_user_sees_no_edit_or_delete_actions(client_for, portal_limited, colleague):
    page = _client(client_for, portal_limited).get("/portal/contacts/").content.decode()
    assert f"/portal/contacts/{colleague.pk}/edit/" not in page
    assert f"/portal/contacts/{colleague.pk}/delete/" not in page
    assert f"/portal/contacts/{colleague.pk}/" in page


def test_changing_an_email_to_another_logins_address_is_refused(
    client_for, portal_admin, portal_limited, portal_outsider
):
    data = person_form_data(first_name="Lis", last_name="Limited", email="otto@other.example")
    data |= {"portal-login": "on"}
    response = _client(client_for, portal_admin).post(
        f"/portal/contacts/{portal_limited.pk}/edit/", data
    )
    assert "Another portal login already uses this email address" in response.content.decode()
    portal_limited.refresh_from_db()
    assert portal_limited.email == "lis@nordlys.example"


def test_no_contact_can_be_added_for_an_erased_customer(client_for, portal_admin):
    Customer.objects.filter(pk=portal_admin.customer_id).update(erased_on=date(2026, 1, 5))
    data = person_form_data(first_name="Nina", last_name="New", email="nina@nordlys.example")
    response = _client(client_for, portal_admin).post("/portal/contacts/new/", data)
    assert response.status_code == 200
    assert [error.code for error in response.context["form"].non_field_errors().as_data()] == [
        "erased"
    ]
    assert not ContactPerson.objects.filter(last_name="New").exists()
