"""The customer profile's two tabs of the contacts app: Persons (the customer's own contact
persons) and Contacts (directory contacts chosen onto the customer).

Registered on the profile by contacts.apps; the pages behind the tabs' buttons are in
contacts.views.
"""

from django.db.models.functions import Lower
from django.http import HttpRequest

from config.pagination import KeysetPaginator
from contacts.forms import CategoryForm
from contacts.models import CustomerContact
from customers.models import Customer, CustomerSettings

PERSONS_PER_PAGE = 25


def persons_shown(request: HttpRequest, settings: CustomerSettings) -> bool:
    return request.user.has_perm("contacts.view_contactperson")


def persons_context(request: HttpRequest, customer: Customer) -> dict:
    """The Persons tab: the customer's contact persons, searchable by name and status."""
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    persons = customer.contact_persons.search(query).with_status(status).prefetch_related("phones")
    # The primary contact first, then by name.
    page = KeysetPaginator(
        persons,
        ordering=("-is_primary", "last_name", "first_name", "id"),
        per_page=PERSONS_PER_PAGE,
    ).page_for(request.GET)
    return {"page": page, "person_query": query, "person_status": status}


def contacts_shown(request: HttpRequest, settings: CustomerSettings) -> bool:
    """Only while "Show contacts" is on in Back-end › Customer, like the directory."""
    return settings.show_contacts and request.user.has_perm("contacts.view_contact")


def contacts_context(request: HttpRequest, customer: Customer) -> dict:
    """The Contacts tab: the customer's chosen contacts, grouped by category."""
    links = (
        CustomerContact.objects.filter(customer=customer)
        .select_related("contact__category")
        .order_by(Lower("contact__category__name"), "contact__last_name", "contact__id")
    )
    return {"contact_links": links, "category_form": CategoryForm()}
