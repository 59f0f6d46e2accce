"""The contact directory: doctors, insurers ... in categories, chosen onto customers."""

from contacts.models.directory import Contact, ContactCategory, CustomerContact

__all__ = [
    "Contact",
    "ContactCategory",
    "CustomerContact",
]
