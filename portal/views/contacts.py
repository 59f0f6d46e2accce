"""Account › Contacts: the customer's contact persons as the portal user sees them.

Every view reaches persons through `request.portal_customer` (portal.access), so another
customer's contact gives 404. What the user may do to a contact is asked of their
PortalAccess (may_edit, may_delete, may_change_permissions_of), never decided here.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from config.forms import show_service_errors
from config.pagination import KeysetPaginator
from config.replica import reads_from_replica
from contacts.forms import ContactPersonForm
from contacts.models import ContactPerson
from contacts.services import (
    contact_person_create,
    contact_person_delete,
    contact_person_update,
)
from customers.models import CustomerSettings
from portal.access import PortalHttpRequest, portal_contact_or_404, portal_view
from portal.forms import PortalPermissionsForm
from portal.services import portal_access_update
from portal.views import site_url
from portal.views.auth import portal_path

CONTACTS_PER_PAGE = 25
# ContactPerson.Meta's ordering, on its (customer, last_name, first_name, id) index.
CONTACTS_ORDER = ("last_name", "first_name", "id")


def _contacts(request: PortalHttpRequest):
    return request.portal_customer.contact_persons.select_related("portal_access").prefetch_related(
        "phones"
    )


def _page(request: PortalHttpRequest, contacts):
    paginator = KeysetPaginator(contacts, ordering=CONTACTS_ORDER, per_page=CONTACTS_PER_PAGE)
    return paginator.page_for(request.GET)


@portal_view()
@reads_from_replica
def contact_list(request: PortalHttpRequest) -> HttpResponse:
    page = _page(request, _contacts(request))
    return render(request, "portal/contact_list.html", {"page": page})


@portal_view()
@reads_from_replica
def contact_search(request: PortalHttpRequest) -> HttpResponse:
    """Search Contacts: by name and status, submitted with Enter or the Search button."""
    searched = "q" in request.GET or "status" in request.GET
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    page = None
    if searched:
        found = _contacts(request).search(query).with_status(status)
        page = _page(request, found)
    context = {"page": page, "searched": searched, "query": query, "status": status}
    return render(request, "portal/contact_search.html", context)


@portal_view()
def contact_detail(request: PortalHttpRequest, person_id) -> HttpResponse:
    person = portal_contact_or_404(request, person_id)
    context = {"person": person, "phones": person.phones.all()}
    return render(request, "portal/contact_detail.html", context)


def _back(request: PortalHttpRequest, default: str) -> str:
    """Where Save and Cancel return to: the page the user came from, if a portal page."""
    return portal_path(request.POST.get("next") or request.GET.get("next", ""), request) or default


def _permissions_form(request: PortalHttpRequest, person: ContactPerson):
    """The portal permissions of `person`, changeable only by a portal admin (not their own)."""
    access = request.portal_access
    return PortalPermissionsForm(
        request.POST or None,
        prefix="portal",
        access=getattr(person, "portal_access", None),
        assignable=access.assignable if access.may_change_permissions_of(person) else frozenset(),
    )


def _save_contact(
    request: PortalHttpRequest, person: ContactPerson, form, permissions_form
) -> str | None:
    """Save the contact and, when the user may, their portal access, all or nothing.
    Returns the message about portal access, or None when a service refused."""
    try:
        with transaction.atomic():
            if person._state.adding:
                person = contact_person_create(customer=person.customer, **form.person_input())
            else:
                person = contact_person_update(person=person, **form.person_input())
            note = ""
            if request.portal_access.may_change_permissions_of(person):
                note = portal_access_update(
                    person=person,
                    change=permissions_form.change(),
                    by=request.user,
                    actor=request.portal_access,
                    site_url=site_url(request),
                )
    except ValidationError as error:
        show_service_errors(form, error)
        return None
    return note


def _contact_form_page(request, *, person: ContactPerson, form, default_back: str):
    permissions_form = _permissions_form(request, person)
    back = _back(request, default_back)
    if request.method == "POST" and form.is_valid() and permissions_form.is_valid():
        note = _save_contact(request, person, form, permissions_form)
        if note is not None:
            saved = _("%(name)s saved.") % {"name": person.name}
            messages.success(request, " ".join(filter(None, [saved, note])))
            return redirect(back)
    context = {
        "form": form,
        "permissions_form": permissions_form,
        "person": person if not person._state.adding else None,
        "cancel_url": back,
        "next": back,
    }
    return render(request, "portal/contact_form.html", context)


@portal_view()
def contact_create(request: PortalHttpRequest) -> HttpResponse:
    if not request.portal_access.may_add_contacts():
        raise PermissionDenied("Your portal permissions do not include adding contacts.")
    person = ContactPerson(customer=request.portal_customer)
    form = ContactPersonForm(
        request.POST or None, instance=person, sms_enabled=_sms_enabled(request)
    )
    return _contact_form_page(
        request, person=person, form=form, default_back=reverse("portal:contacts")
    )


@portal_view()
def contact_edit(request: PortalHttpRequest, person_id) -> HttpResponse:
    person = portal_contact_or_404(request, person_id)
    if not request.portal_access.may_edit(person):
        raise PermissionDenied("Your portal permissions do not include editing this contact.")
    form = ContactPersonForm(
        request.POST or None, instance=person, sms_enabled=_sms_enabled(request)
    )
    if person == request.portal_person:
        del form.fields["is_active"]  # switching yourself off would lock you out
    default_back = reverse("portal:contact", args=[person.pk])
    return _contact_form_page(request, person=person, form=form, default_back=default_back)


@portal_view()
def contact_delete(request: PortalHttpRequest, person_id) -> HttpResponse:
    """Confirm Delete: a pop-up on the list; this page when the pop-up cannot open."""
    person = portal_contact_or_404(request, person_id)
    if not request.portal_access.may_delete(person):
        raise PermissionDenied("You cannot delete this contact.")
    if request.method == "POST":
        contact_person_delete(person=person)
        messages.success(request, _("%(name)s deleted.") % {"name": person.name})
        return redirect("portal:contacts")
    return render(request, "portal/contact_confirm_delete.html", {"person": person})


def _sms_enabled(request: PortalHttpRequest) -> bool:
    return CustomerSettings.for_request(request).sms_enabled
