"""Extra customer fields ("spaces"): fields a clinic adds to customer information itself.

The values live on the customer (`Customer.extra_fields`, keyed by the field's id, each a
canonical string: text as typed, numbers as decimals, dates as ISO dates, yes/no as
"yes"/"no", a choice as the option's text), so showing or exporting a customer reads one
row. Deleting a field only marks it deleted: it disappears from the pages, its values stay
(and go into CSV exports while "Forms – Show deleted spaces" is on), and it can be restored.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format, number_format

YES, NO = "yes", "no"


class ExtraFieldQuerySet(models.QuerySet):
    def in_use(self) -> "ExtraFieldQuerySet":
        """The fields customer information shows, in their order."""
        return self.filter(deleted__isnull=True).order_by("position", "id")

    def shown_for(self, customer) -> list[tuple[str, str]]:
        """(label, value as a person reads it) of the fields in use, for `customer`."""
        return [
            (field.label, field.display(customer.extra_fields.get(field.key)))
            for field in self.in_use()
        ]


class ExtraField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        LONG_TEXT = "long_text", "Long text"
        NUMBER = "number", "Number"
        DATE = "date", "Date"
        YES_NO = "yes_no", "Yes/no"
        CHOICE = "choice", "Choice"

    label = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    # The options of a Choice field, one per line.
    options = models.TextField(blank=True, help_text="For a Choice field: one option per line.")
    required = models.BooleanField(
        default=False, help_text="Customer information cannot be saved without it."
    )
    help_text = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    deleted = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ExtraFieldQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("label"),
                condition=models.Q(deleted__isnull=True),
                name="extrafield_label_unique_ci",
                violation_error_message="An extra field with this label already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        """Its key in `Customer.extra_fields`."""
        return str(self.pk)

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def mark_deleted(self) -> None:
        self.deleted = timezone.now()

    def display(self, stored: str | None) -> str:
        """A stored value as a person reads it ("12 Mar 2024", "Yes", "1.5")."""
        if stored in (None, ""):
            return ""
        try:
            if self.kind == self.Kind.DATE:
                return date_format(date.fromisoformat(stored), "DATE_FORMAT")
            if self.kind == self.Kind.YES_NO:
                return {YES: "Yes", NO: "No"}.get(stored, stored)
            if self.kind == self.Kind.NUMBER:
                return number_format(Decimal(stored))
        except (ValueError, InvalidOperation):
            pass  # a value stored under another kind before the field changed: as it is
        return stored
