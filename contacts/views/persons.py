"""Staff pages of a customer's contact persons: the actions of the Persons tab (the tab
itself is contacts.tab)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from config.forms import show_service_errors
from config.http import AuthenticatedHttpRequest
from contacts import services
from contacts.forms import ContactPersonForm, PrimaryConfirmForm
from contacts.history import preference_history
from contacts.models import ContactPerson
from customers.models import Customer, CustomerSettings
from customers.profile import tab_url
from customers.services import erased_refusal


def _to_persons_tab(customer_id) -> HttpResponse:
    return redirect(tab_url(customer_id, "persons"))


def _get_person(person_id) -> ContactPerson:
    # portal_access and portal_user: the portal panel of the person's page reads them.
    persons = ContactPerson.objects.select_related("customer", "portal_access", "portal_user")
    return get_object_or_404(persons, pk=person_id)


@permission_required("contacts.add_contactperson", raise_exception=True)
def person_create(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    customer = get_object_or_404(Customer, id=customer_id)
    if refusal := erased_refusal(customer):
        messages.error(request, refusal)
        return _to_persons_tab(customer.id)
    settings = CustomerSettings.for_request(request)
    form = ContactPersonForm(
        request.POST or None,
        instance=ContactPerson(customer=customer),
        sms_enabled=settings.sms_enabled,
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.contact_person_create(customer=customer, **form.person_input())
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s added to %(customer)s's contact persons.")
                % {"person": person.name, "customer": customer.name},
            )
            return _to_persons_tab(customer.id)
    cancel_url = tab_url(customer.id, "persons")
    context = {"form": form, "customer": customer, "person": None, "cancel_url": cancel_url}
    return render(request, "contacts/person_form.html", context)


@permission_required("contacts.change_contactperson", raise_exception=True)
def person_edit(request: AuthenticatedHttpRequest, person_id) -> HttpResponse:
    person = _get_person(person_id)
    settings = CustomerSettings.for_request(request)
    form = ContactPersonForm(
        request.POST or None, instance=person, sms_enabled=settings.sms_enabled
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_person_update(person=person, **form.person_input())
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": person.name})
            return redirect("contacts:person", person.pk)
    cancel_url = reverse("contacts:person", args=[person.pk])
    context = {
        "form": form,
        "customer": person.customer,
        "person": person,
        "cancel_url": cancel_url,
    }
    return render(request, "contacts/person_form.html", context)


@permission_required("contacts.view_contactperson", raise_exception=True)
def person_detail(request: AuthenticatedHttpRequest, person_id) -> HttpResponse:
    person = _get_person(person_id)
    context = {
        "person": person,
        "customer": person.customer,
        "phones": person.phones.all(),
        "history": preference_history(person),
    }
    return render(request, "contacts/person_detail.html", context)


@permission_required("contacts.delete_contactperson", raise_exception=True)
def person_delete(request: AuthenticatedHttpRequest, person_id) -> HttpResponse:
    person = _get_person(person_id)
    if request.method == "POST":
        services.contact_person_delete(person=person)
        messages.success(request, _("%(name)s deleted.") % {"name": person.name})
        return _to_persons_tab(person.customer_id)
    return render(
        request,
        "contacts/person_confirm_delete.html",
        {"person": person, "customer": person.customer},
    )


@permission_required("contacts.change_contactperson", raise_exception=True)
def person_set_primary(request: AuthenticatedHttpRequest, person_id) -> HttpResponse:
    """Actions › Set as primary contact: confirmed by typing the word "primary"."""
    person = _get_person(person_id)
    form = PrimaryConfirmForm(request.POST or None)
    if person.customer.is_business:
        messages.error(request, "Only private customers have a primary contact.")
        return _to_persons_tab(person.customer_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_person_set_primary(person=person)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is now the primary contact.") % {"name": person.name}
            )
            return _to_persons_tab(person.customer_id)
    context = {"form": form, "person": person, "customer": person.customer}
    return render(request, "contacts/person_set_primary.html", context)
