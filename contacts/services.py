"""Writes to the contact directory and to customers' chosen contacts."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from contacts.models import Contact, ContactCategory, ContactPerson, CustomerContact
from customers.models import Customer
from customers.services import refuse_if_erased


@dataclass(frozen=True)
class CategoryDeletion:
    """What deleting a category takes with it, for the warning."""

    contacts: int
    customer_links: int
    customers: int


def category_deletion(category: ContactCategory) -> CategoryDeletion:
    links = CustomerContact.objects.filter(contact__category=category)
    return CategoryDeletion(
        contacts=category.contacts.count(),
        customer_links=links.count(),
        customers=links.values("customer").distinct().count(),
    )


@transaction.atomic
def category_delete(*, category: ContactCategory) -> CategoryDeletion:
    """Delete a category with its contacts and their places on customers' profiles."""
    counts = category_deletion(category)
    category.delete()
    return counts


@transaction.atomic
def contact_delete(*, contact: Contact) -> int:
    """Delete a directory contact; it leaves every customer profile it was on. Returns
    how many profiles that was."""
    links, _ = CustomerContact.objects.filter(contact=contact).delete()
    contact.delete()
    return links


@transaction.atomic
def customer_contact_add(*, customer: Customer, contact: Contact) -> CustomerContact:
    """Put a directory contact on a customer's profile (once; again is a no-op)."""
    refuse_if_erased(customer)
    link, _ = CustomerContact.objects.get_or_create(customer=customer, contact=contact)
    return link


@transaction.atomic
def customer_contact_remove(*, customer: Customer, contact: Contact) -> None:
    """Take a contact off a customer's profile; the directory contact itself stays."""
    CustomerContact.objects.filter(customer=customer, contact=contact).delete()


# --- A customer's contact persons ---------------------------------------------------------


class PrimaryNotAllowed(ValidationError):
    pass


def contact_person_set_primary(*, person: ContactPerson) -> None:
    """Make `person` the customer's primary contact (the one before stops being it).

    Only private customers have one. The customer row is locked first, so two people
    choosing different primaries at once end with the later choice, never with an error
    or two primaries (the partial unique constraint would refuse that anyway).
    """
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=person.customer_id)
        if customer.is_business:
            raise PrimaryNotAllowed("Only private customers have a primary contact.")
        if not ContactPerson.objects.filter(pk=person.pk, customer=customer).exists():
            raise PrimaryNotAllowed("This person is no longer among the customer's contacts.")
        customer.contact_persons.filter(is_primary=True).exclude(pk=person.pk).update(
            is_primary=False
        )
        customer.contact_persons.filter(pk=person.pk).update(is_primary=True)
    person.is_primary = True


def primary_contact(customer: Customer) -> ContactPerson | None:
    """The private customer's primary contact, if one is set."""
    if customer.is_business:
        return None
    return customer.contact_persons.filter(is_primary=True).first()


@dataclass(frozen=True)
class Addressee:
    name: str
    address_lines: list[str]


def letter_addressee(customer: Customer) -> Addressee:
    """Whom letters about `customer` are addressed to: the primary contact of a private
    customer, when there is one, otherwise the customer."""
    primary = primary_contact(customer)
    if primary:
        return Addressee(primary.name, primary.address_lines)
    place = f"{customer.postal_code} {customer.city}".strip()
    return Addressee(customer.name, [line for line in (customer.address, place) if line])


def contact_person_delete(*, person: ContactPerson) -> None:
    """Delete a contact person; their portal login, if any, goes with them (a trigger
    on ContactPerson, so deleting the whole customer takes the logins too)."""
    person.delete()
