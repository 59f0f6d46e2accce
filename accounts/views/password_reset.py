"""Password reset by e-mail: staff's pages, and the throttled reset page the portal's builds
on."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from accounts import ratelimits, tasks
from accounts.forms import StaffPasswordResetForm


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
