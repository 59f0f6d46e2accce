"""The boundaries every request passes: portal users stay out of staff pages, sessions
time out, and staff give their second factor."""

import functools
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from accounts import two_factor

# Where the customer portal lives (config/urls.py mounts it here).
PORTAL_PREFIX = "/portal/"
# What a signed-in portal user may reach: the portal, and these few paths outside it.
PORTAL_USER_PATHS = (PORTAL_PREFIX, "/healthz", "/accounts/logout/", f"/{settings.STATIC_URL}")
# What staff may reach before giving their second factor.
TWO_FACTOR_FREE_PATHS = (
    "/accounts/two-factor/verify/",
    "/accounts/two-factor/setup/",
    "/accounts/logout/",
    "/healthz",
    f"/{settings.STATIC_URL}",
)
# Session keys of the timeouts (seconds since the epoch), and how stale the idle stamp
# may get before a request rewrites it.
SIGNED_IN_AT = "kartotek_signed_in_at"
SEEN_AT = "kartotek_seen_at"
SEEN_PRECISION = 60


class PortalUserBoundaryMiddleware:
    """A signed-in portal user gets 403 on every staff page and on the admin.

    Staff views check permissions too, but a portal user holds none; this makes the boundary
    structural, so a staff page that forgets a permission check still stays closed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.is_portal_user
            and not request.path.startswith(PORTAL_USER_PATHS)
        ):
            raise PermissionDenied("Portal users cannot open staff pages.")
        return self.get_response(request)


class SessionPolicyMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT without a request or SESSION_ABSOLUTE_TIMEOUT
    after sign-in, and keeps every page shown to a signed-in user out of caches.

    Sign-in stamps the session (accounts.signals); a request refreshes the idle stamp at
    most once a minute, so a busy page does not write its session on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        if signed_in:
            expired = session_expiry(request.session, time.time())
            if expired:
                logout(request)
                messages.info(request, expired)
                if request.headers.get("HX-Request") == "true":
                    # A partial would swap the sign-in page into the page: reload it whole.
                    login_url = resolve_url(settings.LOGIN_URL)
                    return HttpResponse(status=204, headers={"HX-Redirect": login_url})
        response = self.get_response(request)
        # Signed in when the request came, or when it went (a sign-in, a sign-out of an
        # inactive portal user): views need no never_cache of their own.
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


def stamp_session(session, now: float) -> None:
    session[SIGNED_IN_AT] = session[SEEN_AT] = now


def session_expiry(session, now: float) -> str:
    """Why the session has ended ("" while it has not); refreshes its idle stamp."""
    signed_in = session.get(SIGNED_IN_AT)
    seen = session.get(SEEN_AT)
    if signed_in is None or seen is None:
        stamp_session(session, now)
        return ""
    if now - signed_in > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
        hours = round(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() / 3600)
        return f"You were signed out: a session lasts at most {hours} hours. Sign in again."
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    if now - seen > idle:
        return (
            f"You were signed out after {round(idle / 60)} minutes without activity. Sign in again."
        )
    if now - seen > SEEN_PRECISION:
        session[SEEN_AT] = now
    return ""


class TwoFactorMiddleware:
    """Staff with an authenticator must give a code after their password before any page;
    while the administrator requires it, staff without one must set it up first.

    Records ask for the second factor themselves (accounts.two_factor.required), whatever
    the setting says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_portal_user
            and not user.is_verified()
            and not request.path.startswith(TWO_FACTOR_FREE_PATHS)
        ):
            step = two_factor.pending_step(request)
            if step:
                return redirect_to_login(request.get_full_path(), step, "next")
        return self.get_response(request)


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware (request.user.is_verified()), without reading the session's
    authenticator on every request: accounts.backends.ModelBackend lists the user's
    confirmed authenticators in the query that reads the user. A session whose device was
    deleted, unconfirmed or belongs to someone else is unverified as before; the device
    row itself is read only if something uses it."""

    def _verify_user_sync(self, request, user):
        confirmed = getattr(user, "confirmed_devices", None) if user.is_authenticated else None
        if confirmed is None:  # another backend signed the user in
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if persistent_id and self._normalize_persistent_id(persistent_id) in confirmed:
            user.otp_device = SimpleLazyObject(
                functools.partial(self._device_from_persistent_id, persistent_id)
            )
        elif DEVICE_ID_SESSION_KEY in request.session:
            del request.session[DEVICE_ID_SESSION_KEY]
        return user
