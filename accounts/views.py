"""Staff sign-in and sign-out, password reset, and the page shown while a login is
throttled."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from accounts import ratelimits, tasks
from accounts.forms import StaffAuthenticationForm, StaffPasswordResetForm
from accounts.middleware import PORTAL_PREFIX


class StaffLoginView(auth_views.LoginView):
    form_class = StaffAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, refusing at the address field once too many links were asked
    for it or from this client (accounts.ratelimits)."""

    def form_valid(self, form):
        if ratelimits.reset_limited(self.request, form.cleaned_data["email"]):
            form.add_error("email", ratelimits.RESET_LIMITED)
            return self.form_invalid(form)
        return super().form_valid(form)


class StaffPasswordResetView(LimitedPasswordResetView):
    """Mails a one-time link to a staff member's address. The page answers the same for
    any address, so it does not tell who works here."""

    form_class = StaffPasswordResetForm
    template_name = "accounts/password_reset.html"
    # The e-mail itself is written and sent by the worker (accounts.tasks).
    email_template_name = tasks.BODY_TEMPLATE
    subject_template_name = tasks.SUBJECT_TEMPLATE
    success_url = reverse_lazy("accounts:password_reset_done")


class StaffPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class StaffPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link's page: a new password, then signing in again (with the second factor)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is changed. Sign in with it.")
        return response


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """What django-axes answers once a username has failed too often from one address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # The portal's login page is throttled the same way and answers with its own page.
    # (accounts cannot import portal: its form is the portal login template's to label.)
    portal = request.path.startswith(PORTAL_PREFIX)
    template = "portal/login.html" if portal else "accounts/login.html"
    form = StaffAuthenticationForm(request, initial={"username": request.POST.get("username")})
    if portal:
        form.fields["username"].label = "Email address"
    context = {"form": form, "locked_out_minutes": minutes}
    return render(request, template, context, status=429)
