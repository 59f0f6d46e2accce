"""Signing in to the customer portal, out of it, and setting a password by a one-time link."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from accounts.middleware import PORTAL_PREFIX
from accounts.views.password_reset import LimitedPasswordResetView
from config.http import local_url
from portal import tasks
from portal.forms import PortalAuthenticationForm, PortalPasswordResetForm
from portal.services import portal_invitation_accepted
from portal.tokens import invitation_tokens, reset_tokens


def portal_path(url: str, request) -> str | None:
    """`url` if it is a page of this portal on this site, else None."""
    local = local_url(request, url)
    return local if local and local.startswith(PORTAL_PREFIX) else None


class PortalLoginView(auth_views.LoginView):
    form_class = PortalAuthenticationForm
    template_name = "portal/login.html"
    next_page = "portal:home"

    @method_decorator(login_not_required)  # overriding dispatch drops LoginView's marker
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_portal_user:
            return redirect("portal:home")
        return super().dispatch(request, *args, **kwargs)

    def get_redirect_url(self, request=None) -> str:
        # Only portal pages: after a portal sign-in every staff page answers 403.
        return portal_path(super().get_redirect_url(request), self.request) or ""


class PortalSetPasswordView(auth_views.PasswordResetConfirmView):
    """The invitation's (or a reset's) one-time link: choose a password, then signed in.

    The token is bound to the password, so it stops working once a password is set."""

    template_name = "portal/set_password.html"
    post_reset_login = True
    post_reset_login_backend = "accounts.backends.ModelBackend"
    success_url = reverse_lazy("portal:home")
    welcome = "Your password is set. Welcome to the customer portal."

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_portal_user else None

    def form_valid(self, form):
        response = super().form_valid(form)
        portal_invitation_accepted(user=form.user)
        messages.success(self.request, self.welcome)
        return response


class PortalInvitationView(PortalSetPasswordView):
    token_generator = invitation_tokens
    extra_context = {"purpose": "invitation"}


class PortalResetConfirmView(PortalSetPasswordView):
    token_generator = reset_tokens
    extra_context = {"purpose": "reset"}
    welcome = "Your new password is set."


class PortalPasswordResetView(LimitedPasswordResetView):
    form_class = PortalPasswordResetForm
    template_name = "portal/password_reset.html"
    # The e-mail is written and sent by the worker (portal.tasks.send_password_reset).
    email_template_name = tasks.RESET_BODY_TEMPLATE
    subject_template_name = tasks.RESET_SUBJECT_TEMPLATE
    success_url = reverse_lazy("portal:password_reset_done")


class PortalPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/password_reset_done.html"


logout = auth_views.LogoutView.as_view(next_page="portal:login")
