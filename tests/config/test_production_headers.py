"""The security headers and cookie flags a production deployment sends.

The settings are those config/settings.py computes in a production environment (read in a
fresh process, as a deployment starts), applied to this test run, then a real sign-in over
HTTPS is made and its answer inspected.
"""

import json

import pytest
from django.urls import reverse

from tests.config.helpers import production_environment, run_python

PRODUCTION_SETTINGS = (
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
)
HOST = "kartotek.clinic.example"


@pytest.fixture(scope="module")
def production_values():
    code = (
        "import django, json; django.setup()\n"
        "from django.conf import settings as s\n"
        f"print(json.dumps({{name: getattr(s, name) for name in {PRODUCTION_SETTINGS!r}}}))"
    )
    result = run_python(code, env=production_environment())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, value)
    settings.ALLOWED_HOSTS = [HOST]
    return production_values


def test_production_answers_plain_http_with_a_redirect_to_https(client, db, production):
    response = client.get(reverse("accounts:login"), HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response.url.startswith(f"https://{HOST}/")


def test_production_pages_send_the_security_headers(client, db, production):
    response = client.get(reverse("accounts:login"), secure=True, HTTP_HOST=HOST)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_production_cookies_are_secure_http_only_and_same_site(
    client, receptionist, password, production
):
    login = reverse("accounts:login")
    client.get(login, secure=True, HTTP_HOST=HOST)
    response = client.post(
        login,
        {"username": receptionist.username, "password": password},
        secure=True,
        HTTP_HOST=HOST,
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name
    signed_in_page = client.get(reverse("customers:list"), secure=True, HTTP_HOST=HOST)
    assert "no-store" in signed_in_page["Cache-Control"]
