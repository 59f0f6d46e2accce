"""Staff's second factor: an authenticator app (TOTP) with one-time backup codes.

django-otp holds the devices and checks codes (with its own throttling of wrong codes);
this module says when a second factor is due and enrols a user. A session is "verified"
(request.user.is_verified()) once a code was given in it.

- Staff with an authenticator give a code after their password, before any page
  (accounts.middleware.TwoFactorMiddleware).
- While SecuritySettings.require_two_factor is on, staff without one set it up first.
- Records always need a verified session (`required`), whatever the setting.
"""

import base64
import functools

import segno
from django.contrib import messages
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecuritySettings

BACKUP_CODES = 10
# Remembered in the session at sign-in, so unverified requests do not look it up each time.
HAS_DEVICE = "kartotek_has_authenticator"


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def remember_authenticator(session, user) -> None:
    session[HAS_DEVICE] = has_authenticator(user)


def pending_step(request) -> str | None:
    """The URL of the step an unverified staff member must take first, or None."""
    session = request.session
    if HAS_DEVICE not in session:
        remember_authenticator(session, request.user)
    if session[HAS_DEVICE]:
        return reverse("accounts:two_factor_verify")
    if SecuritySettings.load().require_two_factor:
        return reverse("accounts:two_factor_setup")
    return None


def health_data_step_url(request) -> str:
    """Where an unverified session goes before health data is shown: the code, or setting
    up an authenticator (whatever the setting), then back to this page."""
    step = pending_step(request) or reverse("accounts:two_factor_setup")
    query = QueryDict(mutable=True)
    query["next"] = request.get_full_path()
    return f"{step}?{query.urlencode(safe='/')}"  # as redirect_to_login spells it


def required(view):
    """A view that reads or writes health data: only in a session verified with a code."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_verified():
            messages.info(request, "Records need your second factor: enter a code first.")
            return redirect(health_data_step_url(request))
        return view(request, *args, **kwargs)

    return wrapper


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device, kept until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code(device: TOTPDevice) -> str:
    """The otpauth:// link as an SVG data URI (the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def confirm(request, device: TOTPDevice) -> list[str]:
    """The code for `device` was right: it becomes the user's authenticator (replacing an
    earlier one), the session is verified and new backup codes are returned."""
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_backup_codes(user)
    sign_in(request, device)
    request.session[HAS_DEVICE] = True
    return codes


def sign_in(request, device) -> None:
    """The session is verified with `device`; it gets a new key, as at any sign-in."""
    request.session.cycle_key()
    otp_login(request, device)


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Ten new one-time codes; the earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Backup codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def turn_off(request) -> None:
    user = request.user
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session[HAS_DEVICE] = False
