"""Choosing directory contacts onto a customer's profile (the Contacts tab's type-ahead)
and taking them off again."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from config.http import AuthenticatedHttpRequest
from config.replica import reads_from_replica
from contacts import services
from contacts.forms import ContactChoiceForm
from contacts.models import Contact, CustomerContact
from contacts.views.common import (
    contacts_shown,
    to_contacts_tab,
)
from customers.models import Customer

CHOICES_SHOWN = 20


@contacts_shown
@permission_required(["customers.change_customer", "contacts.view_contact"], raise_exception=True)
@reads_from_replica
def customer_contact_choose(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    """Search the directory (htmx type-ahead) and put the chosen contact on the profile."""
    customer = get_object_or_404(Customer, id=customer_id)
    if request.method == "POST":
        choice = ContactChoiceForm(request.POST)
        if not choice.is_valid():
            messages.error(request, "That contact no longer exists.")
        else:
            contact = choice.cleaned_data["contact"]
            try:
                services.customer_contact_add(customer=customer, contact=contact)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request,
                    _("%(contact)s added to %(customer)s's contacts.")
                    % {"contact": contact.name, "customer": customer.name},
                )
        return to_contacts_tab(customer)
    query = request.GET.get("q", "").strip()
    # Contacts already on the profile are found too, and said to be: "no match" for a
    # name the user can see on the tab would send them looking for a typo.
    already_chosen = CustomerContact.objects.filter(customer=customer, contact=OuterRef("pk"))
    choices = (
        Contact.objects.annotate(already_chosen=Exists(already_chosen))
        .select_related("category")
        .search(query, CHOICES_SHOWN)
    )
    context = {"customer": customer, "query": query, "choices": choices}
    return render(request, "contacts/partials/choices.html", context)


@contacts_shown
@permission_required("customers.change_customer", raise_exception=True)
def customer_contact_remove(
    request: AuthenticatedHttpRequest, customer_id, contact_id: int
) -> HttpResponse:
    customer = get_object_or_404(Customer, id=customer_id)
    link = get_object_or_404(
        CustomerContact.objects.select_related("contact"), customer=customer, contact_id=contact_id
    )
    if request.method == "POST":
        services.customer_contact_remove(customer=customer, contact=link.contact)
        messages.success(
            request,
            _("%(contact)s removed from %(customer)s's contacts (still in the directory).")
            % {"contact": link.contact.name, "customer": customer.name},
        )
        return to_contacts_tab(customer)
    context = {"customer": customer, "contact": link.contact}
    return render(request, "contacts/customer_contact_confirm_remove.html", context)
