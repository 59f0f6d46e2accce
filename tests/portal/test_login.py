"""The portal's own sign-in: e-mail and password, throttled like staff, closed to staff
and to contacts switched off."""

import pytest

pytestmark = pytest.mark.django_db

LOGIN = "/portal/login/"


def test_a_portal_user_signs_in_with_their_email_in_any_case(client, portal_limited, password):
    response = client.post(LOGIN, {"username": " LIS@Nordlys.example ", "password": password})
    assert response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_sign_in_returns_to_the_portal_page_asked_for(client, portal_limited, password):
    data = {"username": "lis@nordlys.example", "password": password}
    response = client.post(f"{LOGIN}?next=/portal/contacts/", data)
    assert response["Location"] == "/portal/contacts/"


def test_sign_in_never_sends_on_to_a_staff_page(client, portal_limited, password):
    data = {"username": "lis@nordlys.example", "password": password}
    response = client.post(f"{LOGIN}?next=/customers/", data)
    assert response["Location"] == "/portal/"


def test_staff_cannot_sign_in_to_the_portal(client, receptionist, password):
    response = client.post(LOGIN, {"username": receptionist.username, "password": password})
    assert response.status_code == 200
    assert "do not match a portal login" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_contact_cannot_sign_in(client, portal_limited, password):
    portal_limited.is_active = False
    portal_limited.save()
    response = client.post(LOGIN, {"username": "lis@nordlys.example", "password": password})
    assert "Your portal access is switched off" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_refused_with_a_clear_message(client, portal_limited):
    response = client.post(LOGIN, {"username": "lis@nordlys.example", "password": "nope"})
    assert "do not match a portal login" in response.content.decode()


def test_the_portal_login_is_throttled_like_staff(client, portal_limited, password):
    for _ in range(5):
        client.post(LOGIN, {"username": "lis@nordlys.example", "password": "nope"})
    response = client.post(LOGIN, {"username": "lis@nordlys.example", "password": password})
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed sign-in attempts" in text
    assert "Customer portal" in text  # the portal's own page, not the staff one
    assert "_auth_user_id" not in client.session


def test_signing_out_returns_to_the_portal_login(client_for, portal_limited):
    client = client_for(portal_limited.portal_user)
    response = client.post("/portal/logout/")
    assert response["Location"] == LOGIN
    assert client.get("/portal/").status_code == 302
