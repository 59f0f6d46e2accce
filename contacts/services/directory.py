"""Writes to the contact directory and to customers' chosen contacts."""

from dataclasses import dataclass

from django.db import transaction

from contacts.models import Contact, ContactCategory, CustomerContact
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
