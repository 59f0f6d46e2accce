"""Staff sign-in: login required everywhere, clear failures, throttling, portal users kept out."""

import pytest
from django.urls import reverse

LOGIN_URL = reverse("accounts:login")


def test_pages_redirect_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("customers:list"))
    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next=/customers/"


def test_admin_redirects_anonymous_visitors_to_a_login(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response.url


def test_login_page_is_open_to_anonymous_visitors(client, db):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_correct_password_signs_in_and_lands_on_customer_list(client, therapist, password):
    response = client.post(LOGIN_URL, {"username": therapist.username, "password": password})
    assert response.status_code == 302
    assert client.get(response.url, follow=True).request["PATH_INFO"] == "/customers/"


def test_wrong_password_shows_message_and_does_not_sign_in(client, therapist):
    response = client.post(LOGIN_URL, {"username": therapist.username, "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_login_is_refused_after_five_failures_even_with_right_password(client, therapist, password):
    for _ in range(4):
        response = client.post(LOGIN_URL, {"username": therapist.username, "password": "nope"})
        assert response.status_code == 200
    response = client.post(LOGIN_URL, {"username": therapist.username, "password": "nope"})
    assert response.status_code == 429
    response = client.post(LOGIN_URL, {"username": therapist.username, "password": password})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_username_leaves_other_users_able_to_sign_in(
    client, therapist, receptionist, password
):
    for _ in range(5):
        client.post(LOGIN_URL, {"username": therapist.username, "password": "nope"})
    response = client.post(LOGIN_URL, {"username": receptionist.username, "password": password})
    assert response.status_code == 302


def test_lockout_is_per_address(client, therapist, password):
    for _ in range(5):
        client.post(
            LOGIN_URL, {"username": therapist.username, "password": "x"}, REMOTE_ADDR="10.0.0.66"
        )
    response = client.post(
        LOGIN_URL, {"username": therapist.username, "password": password}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 302


def test_portal_user_cannot_sign_in_on_staff_login(client, portal_user, password):
    response = client.post(LOGIN_URL, {"username": portal_user.username, "password": password})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/customers/", "/admin/", "/"])
def test_signed_in_portal_user_gets_403_on_staff_pages(client_for, portal_user, path):
    response = client_for(portal_user).get(path)
    assert response.status_code == 403


def test_logout_needs_post_and_signs_out(client_for, therapist):
    client = client_for(therapist)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(therapist):
    assert therapist.password.startswith("argon2")
