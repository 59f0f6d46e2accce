"""Staff pages of one directory contact: create (from its category's page), edit, delete,
and the customers whose profiles show it."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from config.http import AuthenticatedHttpRequest, local_url
from config.pagination import KeysetPaginator
from contacts import services
from contacts.forms import ContactForm
from contacts.models import Contact, ContactCategory
from contacts.views.common import (
    contacts_shown,
    customer_from_query,
    places_removed,
    with_customer,
)
from contacts.views.directory import category_page
from customers.models import Customer

CUSTOMERS_PER_PAGE = 50


@contacts_shown
@permission_required("contacts.add_contact", raise_exception=True)
def contact_create(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponse:
    """The new-contact form of the category page posts here; what needs correcting (or a
    possible duplicate) comes back on the category page, at the form."""
    category = get_object_or_404(ContactCategory, pk=category_id)
    customer = customer_from_query(request)
    target = with_customer(reverse("contacts:category", args=[category.pk]), customer)
    if request.method != "POST":
        return redirect(f"{target}#new-contact")
    form = ContactForm(request.POST, instance=Contact(category=category))
    duplicates = []
    if form.is_valid():
        # A hint, not a rule: the user sees the look-alikes and may save anyway.
        if not request.POST.get("save_anyway"):
            duplicates = list(Contact.objects.possible_duplicates(form.instance)[:5])
        if not duplicates:
            contact = form.save()
            messages.success(request, _("Contact %(name)s created.") % {"name": contact.name})
            separator = "&" if customer else "?"
            return redirect(f"{target}{separator}page=last#contact-{contact.pk}")
    return category_page(request, category, contact_form=form, duplicates=duplicates)


@contacts_shown
@permission_required("contacts.change_contact", raise_exception=True)
def contact_edit(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """Edit a directory contact. It is the same contact on every customer's profile that
    shows it, and the page says so; saving returns to where the user came from (`next`)."""
    contacts = Contact.objects.select_related("category").with_customer_count()
    contact = get_object_or_404(contacts, pk=contact_id)
    customer = customer_from_query(request)
    back = local_url(request, request.POST.get("next") or request.GET.get("next")) or reverse(
        "contacts:category", args=[contact.category_id]
    )
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Contact %(name)s saved.") % {"name": contact.name})
        return redirect(back)
    context = {
        "form": form,
        "category": contact.category,
        "contact": contact,
        "customer": customer,
        "back": back,
    }
    return render(request, "contacts/contact_form.html", context)


@contacts_shown
@permission_required("contacts.delete_contact", raise_exception=True)
def contact_delete(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """Delete a directory contact, after a warning that says on how many customers'
    profiles it is (it goes from all of them)."""
    contact = get_object_or_404(
        Contact.objects.select_related("category").with_customer_count(), pk=contact_id
    )
    customer = customer_from_query(request)
    if request.method == "POST":
        gone = services.contact_delete(contact=contact)
        deleted = gettext("Contact %(name)s deleted.") % {"name": contact.name}
        messages.success(request, f"{deleted} {places_removed(gone)}")
        return redirect(
            with_customer(reverse("contacts:category", args=[contact.category_id]), customer)
        )
    context = {"contact": contact, "category": contact.category, "customer": customer}
    return render(request, "contacts/contact_confirm_delete.html", context)


@contacts_shown
@permission_required(["contacts.view_contact", "customers.view_customer"], raise_exception=True)
def contact_customers(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """The customers whose profiles show this contact."""
    contact = get_object_or_404(Contact.objects.select_related("category"), pk=contact_id)
    customers = Customer.objects.filter(directory_links__contact=contact)
    # Customer.Meta's ordering (its customer_name_order index); the number makes it unique.
    page = KeysetPaginator(
        customers,
        ordering=("last_name", "first_name", "company_name", "number"),
        per_page=CUSTOMERS_PER_PAGE,
    ).page_for(request.GET)
    context = {"contact": contact, "category": contact.category, "page": page}
    return render(request, "contacts/contact_customers.html", context)
