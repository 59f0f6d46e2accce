"""Staff's second factor: enrolment, the code after the password, the administrator's
requirement, and records that always need it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecuritySettings
from records import services
from tests.factories import (
    CustomerFactory,
    authenticator,
    login_with_second_factor,
    totp_code,
)

LOGIN_URL = reverse("accounts:login")
VERIFY_URL = reverse("accounts:two_factor_verify")
SETUP_URL = reverse("accounts:two_factor_setup")


def sign_in_with_password(client, user, password, next_url=""):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN_URL, data)


def require_two_factor(required=True):
    settings = SecuritySettings.load()
    settings.require_two_factor = required
    settings.save()


def test_staff_with_an_authenticator_must_give_a_code_before_any_page(client, therapist, password):
    authenticator(therapist)
    sign_in_with_password(client, therapist, password)
    response = client.get(reverse("customers:list"))
    assert response.status_code == 302
    assert response.url.startswith(VERIFY_URL)
    assert "next=/customers/" in response.url


def test_the_right_code_opens_the_pages_and_verifies_the_session(client, therapist, password):
    device = authenticator(therapist)
    sign_in_with_password(client, therapist, password)
    response = client.post(VERIFY_URL, {"code": totp_code(device), "next": "/customers/"})
    assert response.status_code == 302
    assert response.url == "/customers/"
    assert client.get(reverse("customers:list")).status_code == 200


@pytest.mark.parametrize("next_url", ["customers", "https://evil.example/", "//evil.example/"])
def test_a_next_that_is_not_a_path_of_this_site_leads_to_the_start_page(
    client, therapist, password, next_url
):
    device = authenticator(therapist)
    sign_in_with_password(client, therapist, password)
    response = client.post(VERIFY_URL, {"code": totp_code(device), "next": next_url})
    assert response.status_code == 302
    assert response.url == "/"


def test_a_wrong_code_is_refused_with_a_message_next_to_the_field(client, therapist, password):
    device = authenticator(therapist)
    sign_in_with_password(client, therapist, password)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY_URL, {"code": wrong})
    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert client.get(reverse("customers:list")).status_code == 302


def test_wrong_codes_are_throttled_so_codes_cannot_be_guessed(client, therapist, password):
    device = authenticator(therapist)
    sign_in_with_password(client, therapist, password)
    client.post(VERIFY_URL, {"code": "000000"})
    # Right after a wrong code even the right one is refused: guesses are slowed down
    # exponentially (django-otp's throttling), and the page says how long to wait.
    response = client.post(VERIFY_URL, {"code": totp_code(device)})
    assert b"Too many wrong codes: wait" in response.content
    assert client.get(reverse("customers:list")).status_code == 302


def test_a_code_used_once_cannot_be_used_again(client, therapist, password):
    device = authenticator(therapist)
    code = totp_code(device)
    sign_in_with_password(client, therapist, password)
    assert client.post(VERIFY_URL, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in_with_password(client, therapist, password)
    response = client.post(VERIFY_URL, {"code": code})
    assert b"That code is not right" in response.content


def test_enrolment_shows_a_qr_code_and_the_key_and_turns_on_with_the_first_code(client, therapist):
    client.force_login(therapist)
    response = client.get(SETUP_URL)
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=therapist, confirmed=False)
    response = client.post(SETUP_URL, {"code": totp_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response.url)
    codes = re.findall(r"<li class=\"col\">([a-z2-7]+)</li>", codes_page.content.decode())
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=therapist).count() == 10
    # Shown once only.
    assert client.get(reverse("accounts:two_factor_backup_codes")).status_code == 302


def test_a_backup_code_signs_in_once(client, therapist, password):
    authenticator(therapist)
    client.force_login(therapist)
    login_with_second_factor(client, therapist)
    client.post(reverse("accounts:two_factor_backup_codes"))
    code = StaticToken.objects.filter(device__user=therapist).first().token
    client.post(reverse("accounts:logout"))
    sign_in_with_password(client, therapist, password)
    assert client.post(VERIFY_URL, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in_with_password(client, therapist, password)
    assert b"That code is not right" in client.post(VERIFY_URL, {"code": code}).content


def test_an_authenticator_cannot_be_replaced_without_the_current_one(client, therapist, password):
    authenticator(therapist)
    sign_in_with_password(client, therapist, password)
    response = client.get(SETUP_URL)
    assert response.status_code == 302
    assert response.url == VERIFY_URL
    assert not TOTPDevice.objects.filter(user=therapist, confirmed=False).exists()


def test_turning_off_needs_a_verified_session(client, therapist, password):
    authenticator(therapist)
    sign_in_with_password(client, therapist, password)
    client.post(reverse("accounts:two_factor_turn_off"))
    assert TOTPDevice.objects.filter(user=therapist).exists()


def test_the_administrator_setting_makes_everyone_set_it_up_first(client, receptionist):
    require_two_factor()
    client.force_login(receptionist)
    response = client.get(reverse("customers:list"))
    assert response.status_code == 302
    assert response.url.startswith(SETUP_URL)


def test_without_the_setting_staff_without_an_authenticator_work_as_before(client, receptionist):
    client.force_login(receptionist)
    assert client.get(reverse("customers:list")).status_code == 200


def test_it_cannot_be_turned_off_while_the_clinic_requires_it(client, therapist):
    require_two_factor()
    login_with_second_factor(client, therapist)
    response = client.post(reverse("accounts:two_factor_turn_off"), follow=True)
    assert b"required for all staff" in response.content
    assert TOTPDevice.objects.filter(user=therapist).exists()


def test_the_setting_is_read_fresh_after_an_administrator_changes_it(client, receptionist):
    client.force_login(receptionist)
    assert client.get(reverse("customers:list")).status_code == 200
    require_two_factor()
    assert client.get(reverse("customers:list")).status_code == 302


@pytest.fixture
def record(therapist):
    return services.record_create(customer=CustomerFactory(), title="Knee", by=therapist)


def test_records_pages_always_need_a_second_factor(client, therapist, record):
    client.force_login(therapist)
    response = client.get(reverse("records:entry_create", args=[record.pk]))
    assert response.status_code == 302
    assert response.url.startswith(SETUP_URL)
    login_with_second_factor(client, therapist)
    assert client.get(reverse("records:entry_create", args=[record.pk])).status_code == 200


def test_the_record_tab_shows_no_health_data_before_the_second_factor(client, therapist, record):
    client.force_login(therapist)
    url = reverse("customers:detail", args=[record.customer_id]) + "?tab=record"
    html = client.get(url).content.decode()
    assert "Knee" not in html
    assert "open only after you have given a second factor" in html


def test_writing_an_entry_without_a_second_factor_changes_nothing(client, therapist, record):
    client.force_login(therapist)
    client.post(
        reverse("records:entry_create", args=[record.pk]), {"title": "Visit", "body": "Notes"}
    )
    assert not record.entries.exists()


def test_portal_users_are_never_asked_for_a_second_factor(client, portal_admin, password):
    require_two_factor()
    response = client.post(
        reverse("portal:login"), {"username": portal_admin.email, "password": password}
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_verified_session_reads_no_device_row_per_request(client, therapist):
    """The user's confirmed authenticators come with the user (accounts.backends): a
    verified page load reads the session and the user, not the device."""
    login_with_second_factor(client, therapist)
    client.get(reverse("customers:list"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("customers:list")).status_code == 200
    device_reads = [q for q in queries.captured_queries if q["sql"].startswith('SELECT "otp_')]
    assert device_reads == []


@pytest.mark.parametrize("change", ["delete", "unconfirm", "other user"])
def test_a_session_loses_its_second_factor_with_its_authenticator(
    client, therapist, receptionist, change
):
    require_two_factor()
    device = authenticator(therapist)
    login_with_second_factor(client, therapist)
    assert client.get(reverse("customers:list")).status_code == 200
    if change == "delete":
        device.delete()
    elif change == "unconfirm":
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    else:
        TOTPDevice.objects.filter(pk=device.pk).update(user=receptionist)
    response = client.get(reverse("customers:list"))
    assert response.status_code == 302
    assert response.url.startswith((VERIFY_URL, SETUP_URL))
