"""Staff roles are groups whose permissions follow accounts.roles."""

import pytest
from django.contrib.auth.models import Group, Permission


def test_the_three_roles_exist(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Administrator", "Therapist", "Reception"} <= names


def test_administrator_holds_every_permission(administrator):
    assert administrator.get_all_permissions() == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }


@pytest.mark.parametrize("role_user", ["therapist", "receptionist"])
def test_therapist_and_reception_work_with_customers(request, role_user):
    user = request.getfixturevalue(role_user)
    assert user.has_perms(["customers.view_customer", "customers.change_customer"])


@pytest.mark.parametrize("role_user", ["therapist", "receptionist"])
def test_only_administrators_manage_users(request, role_user):
    user = request.getfixturevalue(role_user)
    assert not user.has_perm("accounts.change_user")


def test_user_without_role_may_not_view_customers(client_for, nobody):
    response = client_for(nobody).get("/customers/")
    assert response.status_code == 403
    assert b"You do not have access to this page" in response.content


def test_sync_roles_restores_a_permission_removed_by_hand(db):
    from accounts.roles import sync_roles

    therapists = Group.objects.get(name="Therapist")
    therapists.permissions.remove(Permission.objects.get(codename="view_customer"))
    sync_roles()
    assert therapists.permissions.filter(codename="view_customer").exists()


BACK_END_PERMISSIONS = [
    "customers.view_customersettings",
    "customers.change_customersettings",
    "customers.view_calendar",
    "customers.add_calendar",
    "customers.change_calendar",
    "customers.delete_calendar",
    "customers.view_extrafield",
    "customers.add_extrafield",
    "customers.view_customerexport",
    "customers.add_customergroup",
]


@pytest.mark.parametrize("permission", BACK_END_PERMISSIONS)
@pytest.mark.parametrize("role_user", ["therapist", "receptionist"])
def test_back_end_permissions_are_for_administrators_only(request, role_user, permission):
    user = request.getfixturevalue(role_user)
    assert not user.has_perm(permission)
    assert request.getfixturevalue("administrator").has_perm(permission)


@pytest.mark.parametrize("role_user", ["therapist", "receptionist"])
def test_back_end_pages_refuse_therapists_and_reception(request, client_for, role_user):
    from customers.models import Calendar

    client = client_for(request.getfixturevalue(role_user))
    for url in ("/customers/calendars/", "/customers/calendars/new/", "/customers/fields/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/customers/calendars/new/", {"name": "Mine"}).status_code == 403
    assert not Calendar.objects.exists()
