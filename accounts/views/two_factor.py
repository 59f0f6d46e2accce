"""Staff's second factor: give a code after the password, set up an authenticator, and
manage backup codes (accounts.two_factor holds the rules)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts import two_factor
from accounts.forms import SecondFactorForm
from accounts.models import SecuritySettings
from config.http import AuthenticatedHttpRequest, local_url

# The one-time display of new backup codes, between the POST that made them and the page.
NEW_CODES = "kartotek_new_backup_codes"


def _next_url(request: HttpRequest, default: str = "home") -> str:
    return local_url(request, request.POST.get("next") or request.GET.get("next")) or default


@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator app (or a backup code)."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.has_authenticator(user):
        return redirect("accounts:two_factor_setup")
    form = SecondFactorForm(request.POST if request.method == "POST" else None, user=user)
    if form.is_valid():
        two_factor.sign_in(request, form.matched_device)
        return redirect(_next_url(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request, "")}
    )


@login_required
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Scan the QR code, type the first code: the authenticator is set up."""
    user = request.user
    if two_factor.has_authenticator(user) and not user.is_verified():
        # Replacing an authenticator needs the current one first.
        return redirect("accounts:two_factor_verify")
    device = two_factor.pending_device(user)
    form = SecondFactorForm(
        request.POST if request.method == "POST" else None, user=user, device=device
    )
    if form.is_valid():
        request.session[NEW_CODES] = two_factor.confirm(request, device)
        messages.success(request, "Two-factor sign-in is on. Keep your backup codes safe.")
        codes_page = reverse("accounts:two_factor_backup_codes")
        return redirect(f"{codes_page}?{urlencode({'next': _next_url(request, '')})}")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code(device),
            "secret": two_factor.secret_text(device),
            "replacing": two_factor.has_authenticator(user),
            "next": _next_url(request, ""),
        },
    )


@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own sign-in security: authenticator on or off, backup codes left."""
    return render(
        request,
        "accounts/two_factor_overview.html",
        {
            "enabled": two_factor.has_authenticator(request.user),
            "codes_left": two_factor.backup_codes_left(request.user),
            "required": SecuritySettings.load().require_two_factor,
        },
    )


@login_required
def backup_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New backup codes: shown once, right after they were made."""
    if request.method == "POST":
        if not request.user.is_verified():
            return redirect("accounts:two_factor_verify")
        request.session[NEW_CODES] = two_factor.new_backup_codes(request.user)
        messages.success(request, "New backup codes made; the earlier ones no longer work.")
        return redirect("accounts:two_factor_backup_codes")
    codes = request.session.pop(NEW_CODES, None)
    if codes is None:
        return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor_backup_codes.html",
        {"codes": codes, "next": _next_url(request, "")},
    )


@login_required
@require_POST
def turn_off(request: AuthenticatedHttpRequest) -> HttpResponse:
    if SecuritySettings.load().require_two_factor:
        messages.error(request, "Two-factor sign-in is required for all staff here.")
    elif not request.user.is_verified():
        return redirect("accounts:two_factor_verify")
    else:
        two_factor.turn_off(request)
        messages.success(request, "Two-factor sign-in is off; records now ask you to set it up.")
    return redirect("accounts:two_factor")
