"""Sessions: a new key at sign-in, idle and absolute timeouts, all of a user's sessions
ended by a new password or a deactivation, and no caching of signed-in pages."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession

LOGIN_URL = reverse("accounts:login")
CUSTOMERS = reverse("customers:list")
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def sign_in(client, user, password):
    response = client.post(LOGIN_URL, {"username": user.username, "password": password})
    assert response.status_code == 302
    return client.cookies["sessionid"].value


def test_signing_in_gives_a_new_session_key(client, receptionist, password):
    client.get(LOGIN_URL)
    client.session.save()
    before = client.cookies["sessionid"].value
    after = sign_in(client, receptionist, password)
    assert after != before
    assert not UserSession.objects.filter(session_key=before).exists()


def test_a_session_ends_after_thirty_minutes_without_a_request(client, receptionist, password):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, receptionist, password)
        clock.shift(timedelta(minutes=29))
        assert client.get(CUSTOMERS).status_code == 200
        clock.shift(timedelta(minutes=30, seconds=1))
        response = client.get(CUSTOMERS, follow=True)
    assert response.request["PATH_INFO"] == LOGIN_URL
    assert b"signed out after 30 minutes without activity" in response.content


def test_each_request_restarts_the_idle_time(client, receptionist, password):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, receptionist, password)
        for _ in range(6):
            clock.shift(timedelta(minutes=25))
            assert client.get(CUSTOMERS).status_code == 200


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(client, receptionist, password):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, receptionist, password)
        for _ in range(35):  # 11 h 40 min of steady work
            clock.shift(timedelta(minutes=20))
            assert client.get(CUSTOMERS).status_code == 200
        clock.shift(timedelta(minutes=21))
        response = client.get(CUSTOMERS, follow=True)
    assert response.request["PATH_INFO"] == LOGIN_URL
    assert b"a session lasts at most 12 hours" in response.content


def test_the_idle_timeout_is_configurable(client, receptionist, password, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, receptionist, password)
        clock.shift(timedelta(minutes=6))
        assert client.get(CUSTOMERS).status_code == 302


def test_a_partial_request_after_the_timeout_reloads_the_whole_page(client, receptionist, password):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, receptionist, password)
        clock.shift(timedelta(hours=1))
        response = client.get(CUSTOMERS, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == LOGIN_URL


def test_a_new_password_ends_every_session_of_the_user(receptionist, password, administrator):
    desk, laptop, other = Client(), Client(), Client()
    sign_in(desk, receptionist, password)
    sign_in(laptop, receptionist, password)
    other.force_login(administrator)
    receptionist.set_password("a new long passphrase 42")
    receptionist.save()
    assert not UserSession.objects.filter(user_id=receptionist.pk).exists()
    assert desk.get(CUSTOMERS).status_code == 302
    assert laptop.get(CUSTOMERS).status_code == 302
    assert other.get(CUSTOMERS).status_code == 200


def test_deactivating_a_user_ends_their_sessions(receptionist, password):
    desk = Client()
    sign_in(desk, receptionist, password)
    receptionist.is_active = False
    receptionist.save()
    assert not UserSession.objects.filter(user_id=receptionist.pk).exists()
    assert desk.get(CUSTOMERS).status_code == 302


def test_changing_ones_own_password_keeps_only_the_session_that_changed_it(administrator, password):
    here, elsewhere = Client(), Client()
    sign_in(here, administrator, password)
    sign_in(elsewhere, administrator, password)
    response = here.post(
        reverse("admin:auth_user_password_change", args=[administrator.pk]),
        {
            "password1": "another long passphrase 7",
            "password2": "another long passphrase 7",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert here.get(reverse("admin:index")).status_code == 200
    assert elsewhere.get(reverse("admin:index")).status_code == 302
    assert UserSession.objects.filter(user_id=administrator.pk).count() == 1


def test_signed_in_pages_are_never_stored_by_caches(client, receptionist, portal_admin):
    client.force_login(receptionist)
    response = client.get(CUSTOMERS)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    portal = Client()
    portal.force_login(portal_admin.portal_user)
    assert "no-store" in portal.get(reverse("portal:home"))["Cache-Control"]


# With a cache every app server shares (Redis, memcached), sessions are read from it first
# (accounts.cached_sessions). The tests' locmem cache is shared within the test process,
# which is what a shared cache is to several servers.


def test_sessions_are_cached_only_when_the_cache_is_shared_by_every_server():
    from django.conf import settings as configured

    assert configured.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert not configured.SHARED_CACHE
    assert configured.SESSION_ENGINE == "accounts.sessions"


def test_a_cached_session_signed_out_elsewhere_is_signed_out_everywhere(
    settings, receptionist, password
):
    settings.SESSION_ENGINE = "accounts.cached_sessions"
    desk = Client()
    key = sign_in(desk, receptionist, password)
    copy = Client()
    copy.cookies["sessionid"] = key
    assert copy.get(CUSTOMERS).status_code == 200
    desk.post(reverse("accounts:logout"))
    assert copy.get(CUSTOMERS).status_code == 302


def test_a_new_password_ends_cached_sessions_too(settings, receptionist, password):
    settings.SESSION_ENGINE = "accounts.cached_sessions"
    desk, laptop = Client(), Client()
    sign_in(desk, receptionist, password)
    sign_in(laptop, receptionist, password)
    assert laptop.get(CUSTOMERS).status_code == 200  # now in the cache
    receptionist.set_password("a new long passphrase 42")
    receptionist.save()
    assert desk.get(CUSTOMERS).status_code == 302
    assert laptop.get(CUSTOMERS).status_code == 302
