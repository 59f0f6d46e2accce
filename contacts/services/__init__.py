"""Writes of the contacts app, by concept: the directory and customers' chosen contacts
(`directory`), a customer's own contact persons (`persons`). Import from here."""

from contacts.services.directory import (
    CategoryDeletion,
    category_delete,
    category_deletion,
    contact_delete,
    customer_contact_add,
    customer_contact_remove,
)
from contacts.services.persons import (
    PERSON_FIELDS,
    Addressee,
    Phone,
    PrimaryNotAllowed,
    check_email_or_phone,
    check_login_email,
    contact_person_create,
    contact_person_delete,
    contact_person_set_primary,
    contact_person_update,
    letter_addressee,
    primary_contact,
)

__all__ = [
    "PERSON_FIELDS",
    "Addressee",
    "CategoryDeletion",
    "Phone",
    "PrimaryNotAllowed",
    "category_delete",
    "category_deletion",
    "check_email_or_phone",
    "check_login_email",
    "contact_delete",
    "contact_person_create",
    "contact_person_delete",
    "contact_person_set_primary",
    "contact_person_update",
    "customer_contact_add",
    "customer_contact_remove",
    "letter_addressee",
    "primary_contact",
]
