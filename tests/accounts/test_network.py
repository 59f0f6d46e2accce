"""The client address used by throttling comes only from the header the proxy overwrites."""

from django.test import RequestFactory

from accounts.network import client_ip


def test_without_proxy_setting_the_socket_address_is_used(settings):
    settings.CLIENT_IP_HEADER = ""
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "192.0.2.10"


def test_configured_header_is_used_and_forwarded_for_is_ignored(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = RequestFactory().get(
        "/",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="198.51.100.7",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7",
    )
    assert client_ip(request) == "198.51.100.7"


def test_garbage_in_configured_header_falls_back_to_socket_address(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="'; drop table")
    assert client_ip(request) == "10.0.0.1"


def sign_in(client, user, given: str = "nope", **headers):
    """Post the sign-in form as `user` with the password `given` (a wrong one unless said)."""
    return client.post(
        "/accounts/login/", {"username": user.username, "password": given}, **headers
    )


def test_rotating_forwarded_for_does_not_escape_login_throttling(client, therapist, password):
    for n in range(5):
        sign_in(client, therapist, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = sign_in(client, therapist, password, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_behind_a_proxy_rotating_forwarded_for_does_not_escape_throttling(
    client, therapist, password, settings
):
    # The proxy overwrites X-Real-IP with the client's address; the client controls only
    # X-Forwarded-For, which is never read.
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    proxy = {"HTTP_X_REAL_IP": "198.51.100.7"}
    for n in range(5):
        sign_in(client, therapist, **proxy, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = sign_in(client, therapist, password, **proxy, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_an_attacker_cannot_lock_a_user_out_from_other_addresses(
    client, therapist, password, settings
):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(6):
        sign_in(client, therapist, HTTP_X_REAL_IP="198.51.100.7")
    # The therapist, at the clinic's own address, still signs in.
    response = sign_in(client, therapist, password, HTTP_X_REAL_IP="192.0.2.10")
    assert response.status_code == 302


def test_an_attacker_trying_every_username_locks_only_those_pairs(
    client, therapist, receptionist, administrator, password
):
    for user in (therapist, receptionist):
        for _ in range(5):
            sign_in(client, user, REMOTE_ADDR="198.51.100.7")
    response = sign_in(client, administrator, password, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302
