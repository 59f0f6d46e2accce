"""Who reaches which portal page: the permission matrix, other customers' ids, the boundary
between the portal and the staff side, and contacts switched off mid-session."""

import pytest

from portal.models import Permission
from tests.factories import ContactPersonFactory, portal_contact

pytestmark = pytest.mark.django_db

# Page -> the permission it needs (None: every portal user). {other} is another contact of
# the same customer, holding no permissions.
PAGES = {
    "contacts": ("/portal/contacts/", None),
    "search": ("/portal/contacts/search/?q=a", None),
    "view": ("/portal/contacts/{other}/", None),
    "add": ("/portal/contacts/new/", Permission.EDIT_CONTACT),
    "edit": ("/portal/contacts/{other}/edit/", Permission.EDIT_CONTACT),
    "delete": ("/portal/contacts/{other}/delete/", Permission.EDIT_CONTACT),
    "billing": ("/portal/billing/", Permission.BILLING),
    "reports": ("/portal/reports/", Permission.REPORTS),
    "appointment": ("/portal/appointments/request/", Permission.WORK_ORDER),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("held", [None, *Permission])
def test_each_permission_opens_exactly_its_pages(client_for, portal_customer, held, page):
    user = portal_contact(customer=portal_customer, permissions=[held] if held else [])
    other = ContactPersonFactory(customer=portal_customer)
    url, needed = PAGES[page]
    response = client_for(user.portal_user).get(url.format(other=other.pk))
    allowed = needed is None or held in (needed, Permission.ADMIN)
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(
    "url",
    [
        "/portal/contacts/{id}/",
        "/portal/contacts/{id}/edit/",
        "/portal/contacts/{id}/delete/",
    ],
)
def test_another_customers_contact_is_not_found(client_for, portal_admin, portal_outsider, url):
    client = client_for(portal_admin.portal_user)
    response = client.get(url.format(id=portal_outsider.pk))
    assert response.status_code == 404
    assert portal_outsider.last_name not in response.content.decode()


def test_another_customers_contact_cannot_be_changed_or_deleted_by_post(
    client_for, portal_admin, portal_outsider
):
    client = client_for(portal_admin.portal_user)
    edit = client.post(f"/portal/contacts/{portal_outsider.pk}/edit/", {"last_name": "Hacked"})
    delete = client.post(f"/portal/contacts/{portal_outsider.pk}/delete/")
    assert (edit.status_code, delete.status_code) == (404, 404)
    portal_outsider.refresh_from_db()
    assert portal_outsider.last_name == "Outsider"


def test_lists_and_search_show_only_the_users_own_customers_contacts(
    client_for, portal_admin, portal_outsider
):
    client = client_for(portal_admin.portal_user)
    listed = client.get("/portal/contacts/").content.decode()
    assert "Ada" in listed
    assert "Outsider" not in listed
    found = client.get("/portal/contacts/search/?q=Otto&status=").content.decode()
    assert "No contact matches this search" in found
    assert "Outsider" not in found


def test_billing_and_reports_show_only_the_users_own_customer(
    client_for, portal_admin, portal_outsider
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import DebtorFactory

    other = portal_outsider.customer
    other.debtor = DebtorFactory(name="Secret Payer A/S")
    other.save()
    other.reservations.create(service="Secret session", start=timezone.now() + timedelta(days=1))
    client = client_for(portal_admin.portal_user)
    assert "Secret Payer" not in client.get("/portal/billing/").content.decode()
    assert "Secret session" not in client.get("/portal/reports/").content.decode()


@pytest.mark.parametrize("url", ["/customers/", "/contacts/", "/debtors/", "/admin/"])
def test_a_portal_user_never_reaches_staff_pages(client_for, portal_admin, url):
    response = client_for(portal_admin.portal_user).get(url)
    assert response.status_code == 403


def test_the_staff_portal_access_pages_refuse_portal_users(
    client_for, portal_admin, portal_limited
):
    client = client_for(portal_admin.portal_user)
    assert client.get(f"/portal-access/{portal_limited.pk}/").status_code == 403


def test_staff_signed_in_cannot_use_the_portal(client_for, administrator):
    response = client_for(administrator).get("/portal/contacts/")
    assert response.status_code == 403


def test_signed_out_visitors_are_sent_to_the_portal_login(client):
    response = client.get("/portal/contacts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/?next=/portal/contacts/")


def test_a_contact_made_inactive_is_signed_out_at_the_next_page(client_for, portal_limited):
    client = client_for(portal_limited.portal_user)
    portal_limited.is_active = False
    portal_limited.save()
    response = client.get("/portal/contacts/", follow=True)
    assert response.redirect_chain[-1][0] == "/portal/login/"
    assert "switched off" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_revoked_access_ends_the_session(client_for, portal_limited):
    from portal.services import portal_access_revoke

    client = client_for(portal_limited.portal_user)
    portal_access_revoke(person=portal_limited)
    response = client.get("/portal/contacts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


def test_portal_pages_are_not_cached(client_for, portal_limited):
    response = client_for(portal_limited.portal_user).get("/portal/contacts/")
    assert "no-store" in response["Cache-Control"]


def test_the_contacts_page_runs_a_fixed_number_of_queries(
    client_for, portal_admin, django_assert_max_num_queries
):
    client = client_for(portal_admin.portal_user)
    for _ in range(30):
        person = ContactPersonFactory(customer=portal_admin.customer)
        person.phones.create(kind="mobile", number="+4520000000")
    with django_assert_max_num_queries(6):
        response = client.get("/portal/contacts/")
    assert response.content.decode().count("Actions<span") == 25
