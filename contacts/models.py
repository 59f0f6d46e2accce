"""The contact directory: categories of professionals (doctors, insurers, caseworkers ...)
and their contacts, global for all customers, chosen onto customers' profiles.

Deleting a category takes its contacts and their links to customers with it (the guide
asks for that), after a warning that counts what goes (contacts.views.category_delete).
"""

from django.contrib.postgres.search import TrigramSimilarity
from django.db import models
from django.db.models.functions import Concat, Lower
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


class ContactQuerySet(models.QuerySet):
    def search(self, text: str) -> "ContactQuerySet":
        """Contacts whose name, organisation, description, email or category contain
        `text`, or whose phone numbers contain its digits."""
        text = text.replace("\x00", "").strip()
        if not text:
            return self.none()
        matches = models.Q(category__name__icontains=text)
        for name in ("first_name", "last_name", "organisation", "description", "email"):
            matches |= models.Q(**{f"{name}__icontains": text})
        digits = "".join(c for c in text if "0" <= c <= "9")
        if len(digits) >= 3 and not any(c.isalpha() for c in text):
            matches |= models.Q(phone__contains=digits) | models.Q(mobile__contains=digits)
        return self.filter(matches)

    def possible_duplicates(self, contact: "Contact") -> "ContactQuerySet":
        """Other contacts with a similar name and the same email or phone number."""
        same_reach = models.Q()
        if contact.email:
            same_reach |= models.Q(email__iexact=contact.email)
        for number in filter(None, (contact.phone, contact.mobile)):
            same_reach |= models.Q(phone=number) | models.Q(mobile=number)
        if not same_reach:
            return self.none()
        name = f"{contact.first_name} {contact.last_name}".strip()
        full_name = Concat("first_name", models.Value(" "), "last_name")
        return (
            self.filter(same_reach)
            .exclude(pk=contact.pk)
            .annotate(name_similarity=TrigramSimilarity(full_name, name))
            .filter(name_similarity__gte=DUPLICATE_NAME_SIMILARITY)
            .select_related("category")
        )


# How alike two names must be (pg_trgm similarity, 0-1) to call contacts possible
# duplicates: "Ida Holm" and "Ida Holm-Berg" are, "Ida Holm" and "Bo Berg" are not.
DUPLICATE_NAME_SIMILARITY = 0.45


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

    objects = ContactQuerySet.as_manager()

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
