"""Customers (a clinic's clients or patients) and the groups they are kept in."""

import re
import uuid
from datetime import date

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config import crypto
from config.phones import StoredPhoneNumberField
from config.search import Fold
from customers.ssn_search import MASKED_SSN

SEARCHABLE_TEXT_FIELDS = ("first_name", "last_name", "company_name", "email")
# What the list's Name column starts with (Customer.list_name): a business's company name,
# a person's surname (their first name when they have none). The list sorts by it, through
# the index of the same expression.
LIST_NAME_SORT = models.Case(
    models.When(kind="business", then=models.F("company_name")),
    models.When(last_name="", then=models.F("first_name")),
    default=models.F("last_name"),
)
# ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
NON_DIGITS = re.compile(r"[^0-9]")


class CustomerGroup(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="customergroup_name_unique_ci",
                violation_error_message="A customer group with this name already exists.",
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


class CustomerQuerySet(models.QuerySet):
    def search(self, text: str) -> "CustomerQuerySet":
        """Customers matching what was typed.

        Text with letters is looked for inside names, company names and email addresses,
        case and accents aside ("sorensen" finds "Sørensen"): inside `search_text`, which
        the database keeps and a trigram index serves. Digits (with spaces, dashes, a
        plus) are a customer number or part of a phone number, the phone (stored E.164)
        served by a trigram index of its own. Social security numbers are not searched
        here (see with_ssn and customers.ssn_search): a search term travels in the URL,
        and an SSN must never reach a URL or an access log.
        """
        text = text.replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
        if not text:
            return self
        if any(character.isalpha() for character in text):
            return self.filter(search_text__contains=Fold(models.Value(text)))
        digits = NON_DIGITS.sub("", text)
        if not digits:
            return self.none()
        matches = models.Q(number=int(digits)) if len(digits) <= 18 else models.Q(pk__in=[])
        if len(digits) >= 3:
            matches |= models.Q(phone__contains=digits)
        return self.filter(matches)

    def with_ssn(self, ssn: str) -> "CustomerQuerySet":
        """Customers whose social security number is exactly `ssn` (in any spelling)."""
        return self.filter(ssn_index=crypto.blind_index(ssn))

    def with_ssn_index(self, index: bytes | None) -> "CustomerQuerySet":
        """Customers whose SSN has this blind index (none for None: a token that was not one)."""
        return self.none() if index is None else self.filter(ssn_index=index)

    def for_list(self) -> "CustomerQuerySet":
        return self.select_related("group")

    def for_profile(self) -> "CustomerQuerySet":
        return self.select_related(
            "group", "debtor", "secondary_debtor", "primary_therapist", "secondary_therapist"
        )


class Customer(models.Model):
    class Kind(models.TextChoices):
        PRIVATE = "private", "Private"
        BUSINESS = "business", "Business"

    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        UNDISCLOSED = "undisclosed", "Prefers not to say"

    # A UUID: it stands in URLs and binds the encrypted SSN to this row.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveBigIntegerField(
        "customer number",
        unique=True,
        error_messages={
            "unique": _("Another customer already has this customer number. Type another one.")
        },
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRIVATE)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    company_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    # Read back without the parser: the list shows 50 of them (config/phones.py).
    phone = StoredPhoneNumberField(blank=True)
    address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    # AES-GCM token (config.crypto); never plaintext. Set through customers.services only.
    ssn_encrypted = models.BinaryField(null=True, editable=False)
    # Keyed HMAC of the normalised SSN: exact search and the "unique" rule. NULL when empty.
    ssn_index = models.BinaryField(null=True, editable=False, db_index=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=12, choices=Gender.choices, blank=True)
    group = models.ForeignKey(
        CustomerGroup,
        on_delete=models.PROTECT,
        related_name="customers",
        null=True,
        blank=True,
    )
    # Who pays. Set through customers.services.customer_set_debtor (the sharing rules).
    debtor = models.ForeignKey(
        "debtors.Debtor",
        on_delete=models.PROTECT,
        related_name="customers",
        null=True,
        blank=True,
    )
    secondary_debtor = models.ForeignKey(
        "debtors.Debtor",
        on_delete=models.PROTECT,
        related_name="secondary_customers",
        null=True,
        blank=True,
    )
    # Primary/secondary therapist (setting "Primary/secondary therapist"); which calendars
    # may be chosen is CustomerSettings.therapist_calendars.
    primary_therapist = models.ForeignKey(
        "customers.Calendar",
        on_delete=models.PROTECT,
        related_name="primary_customers",
        null=True,
        blank=True,
    )
    secondary_therapist = models.ForeignKey(
        "customers.Calendar",
        on_delete=models.PROTECT,
        related_name="secondary_customers",
        null=True,
        blank=True,
    )
    # Values of the extra fields ("spaces"), keyed by ExtraField id (see models/fields.py).
    extra_fields = models.JSONField(default=dict, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Set by a GDPR erasure that kept the customer's identity with their records (privacy
    # app): nothing but the identity may be stored again until the records are purged.
    erased_on = models.DateField("erased on", null=True, blank=True, editable=False)
    # Optimistic locking: an edit based on an older version is refused (customer_update).
    version = models.PositiveIntegerField(default=1, editable=False)
    # What search() looks in: names and email, lower case without accents, kept by the
    # database (never out of date) and indexed for trigram search.
    search_text = models.GeneratedField(
        expression=Fold(
            Concat(
                *(
                    part
                    for name in SEARCHABLE_TEXT_FIELDS
                    for part in (models.F(name), models.Value(" "))
                ),
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "company_name", "number"]
        permissions = [("export_customer", "Can export customers to CSV")]
        indexes = [
            GinIndex(OpClass("search_text", name="gin_trgm_ops"), name="customer_search_trgm"),
            GinIndex(OpClass("phone", name="gin_trgm_ops"), name="customer_phone_trgm"),
            # The list's sort orders, so a page is read in index order instead of sorted.
            models.Index(
                fields=["last_name", "first_name", "company_name", "number"],
                name="customer_name_order",
            ),
            # The list in name order. It carries every column the search reads, so a broad
            # search walks it without reading a customer row per entry (customers.listing).
            models.Index(
                LIST_NAME_SORT,
                "first_name",
                "number",
                name="customer_list_name_order",
                include=["id", "kind", "last_name", "company_name", "search_text", "phone"],
            ),
            models.Index(fields=["created", "number"], name="customer_created_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="business", company_name__gt="")
                    | (
                        models.Q(kind="private")
                        & (models.Q(first_name__gt="") | models.Q(last_name__gt=""))
                    )
                ),
                name="customer_has_a_name",
                violation_error_message="A private customer needs a name; a business customer "
                "needs a company name.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    @property
    def name(self) -> str:
        if self.kind == self.Kind.BUSINESS:
            return self.company_name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def list_name(self) -> str:
        """The name as the list shows and sorts it: "Surname, First name" (a company: its name)."""
        if self.kind == self.Kind.BUSINESS:
            return self.company_name
        return ", ".join(part for part in (self.last_name, self.first_name) if part)

    @property
    def is_business(self) -> bool:
        return self.kind == self.Kind.BUSINESS

    @property
    def ssn(self) -> str:
        """The decrypted social security number ("" when none). Raises on a bad ciphertext."""
        if self.ssn_encrypted is None:
            return ""
        return crypto.decrypt(self.ssn_encrypted, **self._ssn_binding())

    @property
    def masked_ssn(self) -> str:
        # No digits at all: the last four with the date of birth beside them would be a
        # whole Danish CPR number, shown without anyone pressing "Show".
        return MASKED_SSN

    def _ssn_binding(self) -> dict[str, str]:
        return {"table": self._meta.db_table, "row_id": str(self.id), "field": "ssn"}

    def set_ssn(self, value: str) -> None:
        """Encrypt `value` onto this row (bound to its id) and index it; "" clears both."""
        value = value.strip()
        if not value:
            self.ssn_encrypted = None
            self.ssn_index = None
            return
        self.ssn_encrypted = crypto.encrypt(value, **self._ssn_binding())
        self.ssn_index = crypto.blind_index(value)

    def age(self, today: date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        today = today or timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def alert_age(self, settings, today: date | None = None) -> int | None:
        """The age the age alert icon shows, or None when it does not show: the setting is
        on (CustomerSettings.shows_age_alert) and the customer is younger. A list passes
        `today`, read once for all its rows."""
        if not settings.shows_age_alert:
            return None
        age = self.age(today)
        return age if age is not None and age < settings.age_alert_age else None
