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
