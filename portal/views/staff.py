"""Staff pages: granting a contact person portal access, changing and revoking it.

They live outside /portal/ (under /portal-access/), so portal users never reach them.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.ratelimits import INVITE_LIMITED, invitation_limited
from config.forms import show_service_errors
from config.http import AuthenticatedHttpRequest
from contacts.models import ContactPerson
from portal import services
from portal.forms import PortalPermissionsForm
from portal.models import Permission
from portal.views import site_url


def _get_person(person_id) -> ContactPerson:
    persons = ContactPerson.objects.select_related("customer", "portal_access", "portal_user")
    return get_object_or_404(persons, pk=person_id)


@permission_required("portal.change_portalaccess", raise_exception=True)
def access_edit(request: AuthenticatedHttpRequest, person_id) -> HttpResponse:
    """Grant portal access with permissions (sending the invitation), or change them."""
    person = _get_person(person_id)
    access = getattr(person, "portal_access", None)
    form = PortalPermissionsForm(
        # Bound on any POST: a post with no box ticked is an empty dict.
        request.POST if request.method == "POST" else None,
        access=access,
        assignable=frozenset(Permission.values),
        with_login=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            note = services.portal_access_update(
                person=person, change=form.change(), by=request.user, site_url=site_url(request)
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, note or "Nothing changed.")
            return redirect("contacts:person", person.pk)
    context = {
        "form": form,
        "person": person,
        "customer": person.customer,
        "access": access,
        "invitation_days": settings.PORTAL_INVITATION_DAYS,
    }
    return render(request, "portal/staff/access_form.html", context)


@require_POST
@permission_required("portal.change_portalaccess", raise_exception=True)
def access_invite(request: AuthenticatedHttpRequest, person_id) -> HttpResponse:
    person = _get_person(person_id)
    if not hasattr(person, "portal_access"):
        messages.error(request, f"{person.name} has no portal access to invite to.")
    elif invitation_limited(request, person.pk):
        messages.error(request, INVITE_LIMITED)
    else:
        services.portal_invitation_send(person=person, site_url=site_url(request))
        messages.success(
            request,
            # Portal access always comes with a portal login (portal.services grants both).
            _("A new invitation is on its way to %(email)s.") % {"email": person.portal_user.email},  # type: ignore[union-attr]
        )
    return redirect("contacts:person", person.pk)


@permission_required("portal.delete_portalaccess", raise_exception=True)
def access_revoke(request: AuthenticatedHttpRequest, person_id) -> HttpResponse:
    person = _get_person(person_id)
    if not hasattr(person, "portal_access"):
        return redirect("contacts:person", person.pk)
    if request.method == "POST":
        services.portal_access_revoke(person=person)
        messages.success(request, f"{person.name} can no longer sign in to the customer portal.")
        return redirect("contacts:person", person.pk)
    context = {"person": person, "customer": person.customer}
    return render(request, "portal/staff/access_confirm_revoke.html", context)
