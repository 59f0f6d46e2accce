"""Granting portal access sends a one-time, expiring link to choose a password; revoking
takes the login away; a forgotten password is reset the same way."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import User
from contacts.models import ContactPerson
from portal.models import Permission, PortalAccess
from tests.factories import ContactPersonFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and fresh passphrase"


@pytest.fixture
def person(portal_customer):
    return ContactPersonFactory(
        customer=portal_customer, first_name="Nina", last_name="New", email="Nina@Nordlys.example"
    )


def _grant(client, person, *permissions):
    return client.post(f"/portal-access/{person.pk}/", {p: "on" for p in permissions})


def _link(message) -> str:
    return re.search(r"http://testserver(/portal/\S+)", message.body).group(1)


def _set_password(client, link, password=NEW_PASSWORD):
    page = client.get(link, follow=True)
    return client.post(
        page.request["PATH_INFO"], {"new_password1": password, "new_password2": password}
    )


def test_granting_access_creates_a_login_and_emails_an_invitation(
    client_for, receptionist, person, worker
):
    response = _grant(client_for(receptionist), person, Permission.BILLING, Permission.REPORTS)
    assert response.status_code == 302
    person.refresh_from_db()
    access = person.portal_access
    assert access.permissions == {Permission.BILLING, Permission.REPORTS}
    assert person.portal_user.username == "nina@nordlys.example"  # signs in with the email
    assert not person.portal_user.has_usable_password()
    worker.run()
    (message,) = mail.outbox
    assert message.to == ["Nina@Nordlys.example"]
    assert "/portal/welcome/" in message.body
    access.refresh_from_db()
    assert access.invited is not None  # when it went out


def test_the_invitation_link_sets_a_password_and_signs_in(
    client_for, client, receptionist, person, worker
):
    _grant(client_for(receptionist), person)
    worker.run()
    response = _set_password(client, _link(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert client.get("/portal/contacts/").status_code == 200
    person.refresh_from_db()
    assert person.portal_access.invited is None
    assert person.portal_user.check_password(NEW_PASSWORD)


def test_the_invitation_link_works_only_once(client_for, client, receptionist, person, worker):
    _grant(client_for(receptionist), person)
    worker.run()
    link = _link(mail.outbox[0])
    _set_password(client, link)
    client.logout()
    person.refresh_from_db()
    page = client.get(link, follow=True)
    assert "This link no longer works" in page.content.decode()
    response = _set_password(client, link, "another strong passphrase")
    person.portal_user.refresh_from_db()
    assert person.portal_user.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_the_invitation_link_expires_after_the_configured_days(
    client_for, client, receptionist, person, settings, worker
):
    _grant(client_for(receptionist), person)
    worker.run()
    link = _link(mail.outbox[0])
    days = settings.PORTAL_INVITATION_DAYS
    with time_machine.travel(timezone.now() + timedelta(days=days, minutes=1)):
        page = client.get(link, follow=True)
    assert "This link no longer works" in page.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=days, minutes=-5)):
        page = client.get(link, follow=True)
    assert "Set password and sign in" in page.content.decode()


def test_a_staff_login_cannot_use_an_invitation_link(client, administrator):
    from portal.services import invitation_path

    page = client.get(invitation_path(administrator), follow=True)
    assert "This link no longer works" in page.content.decode()


def test_granting_needs_an_email_address(client_for, receptionist, portal_customer, worker):
    person = ContactPersonFactory(customer=portal_customer, email="")
    person.phones.create(number="+4520304050")
    response = _grant(client_for(receptionist), person)
    assert response.status_code == 200
    assert "Portal access needs an email address" in response.content.decode()
    assert not PortalAccess.objects.filter(person=person).exists()
    worker.run()
    assert not mail.outbox


def test_an_email_already_used_by_another_login_is_refused(
    client_for, receptionist, portal_customer, portal_outsider
):
    person = ContactPersonFactory(customer=portal_customer, email="OTTO@other.example")
    response = _grant(client_for(receptionist), person)
    assert "Another portal login already uses this email address" in response.content.decode()
    assert User.objects.filter(kind="portal").count() == 1


def test_staff_without_the_permission_cannot_grant(client_for, nobody, person):
    response = _grant(client_for(nobody), person, Permission.ADMIN)
    assert response.status_code == 403
    assert not PortalAccess.objects.exists()


def test_staff_change_permissions_without_a_new_invitation(
    client_for, receptionist, portal_limited, worker
):
    response = _grant(client_for(receptionist), portal_limited, Permission.WORK_ORDER)
    assert response.status_code == 302
    portal_limited.portal_access.refresh_from_db()
    assert portal_limited.portal_access.permissions == {Permission.WORK_ORDER}
    worker.run()
    assert not mail.outbox


def test_a_new_invitation_can_be_sent(client_for, receptionist, portal_limited, worker):
    client_for(receptionist).post(f"/portal-access/{portal_limited.pk}/invite/")
    worker.run()
    (message,) = mail.outbox
    assert message.to == [portal_limited.email]


def test_revoking_asks_first_then_deletes_the_login(client_for, receptionist, portal_limited):
    client = client_for(receptionist)
    confirm = client.get(f"/portal-access/{portal_limited.pk}/revoke/").content.decode()
    assert "Revoke portal access of" in confirm
    assert portal_limited.portal_user.username in confirm
    assert PortalAccess.objects.filter(person=portal_limited).exists()
    user_id = portal_limited.portal_user_id
    client.post(f"/portal-access/{portal_limited.pk}/revoke/")
    portal_limited.refresh_from_db()
    assert portal_limited.portal_user is None
    assert not User.objects.filter(pk=user_id).exists()
    assert not PortalAccess.objects.filter(person=portal_limited).exists()


def test_the_persons_page_shows_portal_access(client_for, receptionist, portal_admin):
    page = client_for(receptionist).get(f"/contacts/persons/{portal_admin.pk}/").content.decode()
    assert "Signs in as <strong>ada@nordlys.example</strong>" in page
    assert "Admin access" in page


def test_the_login_follows_a_changed_email_address_and_name(portal_limited):
    ContactPerson.objects.filter(pk=portal_limited.pk).update(
        email="Lis.New@Nordlys.example", last_name="Berg"
    )
    user = User.objects.get(pk=portal_limited.portal_user_id)
    assert user.username == "lis.new@nordlys.example"
    assert user.email == "Lis.New@Nordlys.example"
    assert user.get_full_name() == "Lis Berg"


def test_a_person_with_a_login_keeps_an_email_address(client_for, receptionist, portal_limited):
    from tests.contacts.person_data import person_form_data

    response = client_for(receptionist).post(
        f"/contacts/persons/{portal_limited.pk}/edit/",
        person_form_data(email="", phones=[("mobile", "DK", "20304050")]),
    )
    assert "Revoke their portal access before removing it" in response.content.decode()
    portal_limited.refresh_from_db()
    assert portal_limited.email == "lis@nordlys.example"


def test_forgotten_password_gets_a_one_time_reset_link(client, portal_limited, worker):
    response = client.post("/portal/password/", {"email": "LIS@nordlys.example"})
    assert response["Location"] == "/portal/password/sent/"
    worker.run()
    (message,) = mail.outbox
    response = _set_password(client, _link(message))
    assert response.status_code == 302
    portal_limited.portal_user.refresh_from_db()
    assert portal_limited.portal_user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("email", ["nobody@nowhere.example", "alice@clinic.example"])
def test_password_reset_answers_the_same_for_unknown_and_staff_addresses(
    client, administrator, email, worker
):
    response = client.post("/portal/password/", {"email": email})
    assert response["Location"] == "/portal/password/sent/"
    worker.run()
    assert not mail.outbox
