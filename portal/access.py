"""The portal's gate: who is signed in, for which customer, allowed what.

Every portal view is wrapped in `portal_view`. It finds the signed-in user's contact
person (with their customer and portal permissions, in one query) and puts them on the
request; views reach every object through `request.portal_customer`, never through an
id from the URL alone, so another customer's ids give 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from config.http import AuthenticatedHttpRequest
from contacts.models import ContactPerson
from customers.models import Customer
from portal.models import PortalAccess


class PortalHttpRequest(AuthenticatedHttpRequest):
    """The request of a portal view, for the type checker: `portal_view` puts the signed-in
    contact person, their portal access and their customer on it."""

    portal_person: ContactPerson
    portal_access: PortalAccess
    portal_customer: Customer


def portal_person_of(user) -> ContactPerson | None:
    """The contact person whose portal login `user` is, if they may use the portal now."""
    if not (user.is_authenticated and user.is_portal_user):
        return None
    return (
        ContactPerson.objects.select_related("customer", "portal_access")
        .filter(portal_user=user, portal_access__isnull=False)
        .first()
    )


def may_use_portal(person: ContactPerson | None) -> bool:
    return person is not None and person.is_active


def portal_view(permission: str | None = None):
    """Wrap a portal view: signed-in portal users only, holding `permission` if given.

    Staff signed in on the staff side get 403 here; the portal is not theirs. A portal user
    whose person was made inactive, or whose access was revoked, is signed out at once.
    """

    def decorator(view):
        @login_not_required  # the portal has its own login page; handled below
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("portal:login"))
            if not request.user.is_portal_user:
                raise PermissionDenied("The customer portal is for customers' contact persons.")
            person = portal_person_of(request.user)
            if person is None or not may_use_portal(person):
                logout(request)
                messages.error(request, "Your portal access has been switched off.")
                return redirect("portal:login")
            request.portal_person = person
            request.portal_access = person.portal_access
            request.portal_customer = person.customer
            if permission and not request.portal_access.allows(permission):
                raise PermissionDenied("Your portal permissions do not include this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def portal_contact_or_404(request, person_id) -> ContactPerson:
    """One of the signed-in user's own customer's contact persons; 404 for anyone else's."""
    persons = request.portal_customer.contact_persons.select_related("portal_access")
    return get_object_or_404(persons, pk=person_id)
