"""The contact directory: categories of professionals (doctors, insurers, caseworkers ...)
and their contacts, global for all customers, chosen onto customers' profiles.

Deleting a category takes its contacts and their links to customers with it (the guide
asks for that), after a warning that counts what goes (contacts.views.category_delete).
"""

from django.db import models
from django.db.models.functions import Lower
from phonenumber_field.modelfields import PhoneNumberField


class ContactCategory(models.Model):
    name = models.CharField(max_length=100)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [Lower("name")]
        verbose_name_plural = "contact categories"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="contactcategory_name_unique_ci",
                violation_error_message="A contact category with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    category = models.ForeignKey(ContactCategory, on_delete=models.CASCADE, related_name="contacts")
    title = models.CharField(max_length=40, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField("last name or organisation name", max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    description = models.CharField(
        "description",
        max_length=200,
        blank=True,
        help_text="Position or specialty, e.g. GP, Dermatologist, Caseworker.",
    )
    email = models.EmailField(blank=True)
    phone = PhoneNumberField(blank=True)
    mobile = PhoneNumberField("mobile phone", blank=True)
    address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        # New contacts appear at the bottom of their category.
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="") | ~models.Q(phone="") | ~models.Q(mobile=""),
                name="contact_has_email_or_phone",
                violation_error_message="Enter an email address or a phone number.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)


class CustomerContact(models.Model):
    """A directory contact chosen onto a customer's profile."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="directory_links"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="customer_links")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "contact"], name="customercontact_once_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} for customer {self.customer_id}"
