"""Staff sign-in, and the page shown while a login is throttled."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.forms import StaffAuthenticationForm
from accounts.middleware import PORTAL_PREFIX


class StaffLoginView(auth_views.LoginView):
    form_class = StaffAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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
