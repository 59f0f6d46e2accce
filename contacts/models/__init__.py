"""The contact directory (doctors, insurers ... in categories, chosen onto customers) and
each customer's own contact persons."""

from contacts.models.directory import Contact, ContactCategory, CustomerContact
from contacts.models.persons import ContactPerson, ContactPersonPhone
from contacts.models.words import ContactWord

__all__ = [
    "Contact",
    "ContactCategory",
    "ContactPerson",
    "ContactPersonPhone",
    "ContactWord",
    "CustomerContact",
]
