"""Debtors (who pays for a customer) and the groups they are kept in.

This app knows nothing of customers (DESIGN.md): customers point at debtors, and tell this
app who uses a debtor through debtors.usage.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from debtors.validators import validate_ean

SEARCHABLE_TEXT_FIELDS = ("name", "email", "vat_number", "ean")


class DebtorGroup(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="debtorgroup_name_unique_ci",
                violation_error_message="A debtor group with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude=None) -> None:
        # The constraint is on Lower(name), an expression, so Django cannot tell which field
        # it is about and would show the refusal above the form: it belongs at the name.
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise ValidationError({"name": error.messages}) from None


class DebtorQuerySet(models.QuerySet):
    def search(self, text: str) -> "DebtorQuerySet":
        """Debtors whose name, email, VAT/company number or EAN contain `text`, or whose
        debtor number is `text` (UPPER(column) LIKE, served by the trigram indexes)."""
        text = text.replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
        if not text:
            return self
        matches = models.Q()
        for field in SEARCHABLE_TEXT_FIELDS:
            matches |= models.Q(**{f"{field}__icontains": text})
        if text.isascii() and text.isdigit() and len(text) <= 18:
            matches |= models.Q(number=int(text))
        return self.filter(matches)

    def for_list(self) -> "DebtorQuerySet":
        return self.select_related("group")


class Debtor(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        COMPANY = "company", "Company"
        PUBLIC = "public", "Public institution"

    number = models.PositiveBigIntegerField(
        "debtor number",
        unique=True,
        error_messages={
            "unique": _(
                "Another debtor already has this number. Type another one, or leave it "
                "empty for the next free number."
            )
        },
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    email = models.EmailField(blank=True)
    phone = PhoneNumberField(blank=True)
    address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    vat_number = models.CharField("VAT or company number", max_length=30, blank=True)
    ean = models.CharField(
        "EAN/GLN",
        max_length=13,
        blank=True,
        validators=[validate_ean],
        help_text="13 digits, for invoices to public institutions.",
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        "payment terms (days)", default=14, validators=[MaxValueValidator(365)]
    )
    group = models.ForeignKey(
        DebtorGroup, on_delete=models.PROTECT, related_name="debtors", null=True, blank=True
    )
    can_be_shared = models.BooleanField(
        "can be shared",
        default=False,
        help_text="Several customers may use this debtor (when sharing must be activated "
        "on each debtor).",
    )
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = DebtorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "number"]
        indexes = [
            *(
                GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=f"debtor_{field}_trgm")
                for field in SEARCHABLE_TEXT_FIELDS
            ),
            # The list's order, read a page at a time from a row (config.pagination).
            models.Index(fields=["name", "number"], name="debtor_name_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="public") | ~models.Q(ean=""),
                name="debtor_public_institution_has_ean",
                violation_error_message="A public institution needs its EAN/GLN number.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"
