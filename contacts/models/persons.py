"""A customer's own contact persons: a company's employees, a child patient's parents.

Each has typed phone numbers, communication preferences (email, SMS, letter) whose every
change is kept by a database trigger (consent must be shown later, whoever or whatever
changed it), and, for private customers, at most one is the primary contact: letters are
addressed to them and their name shows in the customer's details panel.
"""

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField

from accounts.models import User

PREFERENCE_FIELDS = ("prefers_email", "prefers_sms", "prefers_letter")
USER_TABLE = User._meta.db_table


class ContactPersonQuerySet(models.QuerySet):
    def search(self, text: str) -> "ContactPersonQuerySet":
        """Persons whose first name, surname or "first surname" contains `text`."""
        text = text.replace("\x00", "").strip()
        if not text:
            return self
        full_name = models.functions.Concat("first_name", models.Value(" "), "last_name")
        return self.alias(full_name=full_name).filter(
            models.Q(full_name__icontains=text) | models.Q(last_name__icontains=text)
        )

    def with_status(self, status: str) -> "ContactPersonQuerySet":
        """ "active", "inactive", or anything else for all."""
        if status in ("active", "inactive"):
            return self.filter(is_active=status == "active")
        return self


@pghistory.track(
    # One label for both, so each event's diff is against the one before it.
    pghistory.InsertEvent("preferences", trigger_name="preferences_insert"),
    pghistory.UpdateEvent(
        "preferences",
        trigger_name="preferences_update",
        condition=pghistory.AnyChange(*PREFERENCE_FIELDS),
    ),
    fields=list(PREFERENCE_FIELDS),
    model_name="PreferenceChange",
    obj_field=pghistory.ObjForeignKey(related_name="preference_changes"),
    append_only=True,
)
class ContactPerson(models.Model):
    class Title(models.TextChoices):
        MR = "Mr"
        MRS = "Mrs"
        MS = "Ms"
        MX = "Mx"
        DR = "Dr"
        PROF = "Prof"

    # A UUID: portal URLs carry it, and must not be guessable or countable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="contact_persons"
    )
    title = models.CharField(max_length=4, choices=Title, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField("surname", max_length=100)
    description = models.CharField(
        "description or position",
        max_length=200,
        blank=True,
        help_text="E.g. Mother, Office manager, Caseworker.",
    )
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField("active", default=True)
    prefers_email = models.BooleanField("email", default=False)
    prefers_sms = models.BooleanField("SMS", default=False)
    prefers_letter = models.BooleanField("letter", default=False)
    is_primary = models.BooleanField("primary contact", default=False, editable=False)
    # The person's login to the customer portal, if they have one. Deleting the person
    # deletes it, by a trigger: also when the person goes with their customer.
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="contact_person",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["customer", "last_name", "first_name", "id"]),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="portal_login_goes_with_person",
                operation=pgtrigger.Delete,
                when=pgtrigger.After,
                condition=pgtrigger.Q(old__portal_user__isnull=False),
                # The table name is the model's own, not input.
                func=f"DELETE FROM {USER_TABLE} WHERE id = OLD.portal_user_id; RETURN NULL;",  # noqa: S608
            ),
            # A portal user signs in with their e-mail address, and staff see their name on
            # what they send (appointment requests): the login follows the person, whichever
            # page or script changed them.
            pgtrigger.Trigger(
                name="portal_login_follows_person",
                operation=pgtrigger.Update,
                when=pgtrigger.After,
                condition=pgtrigger.Q(new__portal_user__isnull=False)
                & (
                    pgtrigger.Q(old__email__df=pgtrigger.F("new__email"))
                    | pgtrigger.Q(old__first_name__df=pgtrigger.F("new__first_name"))
                    | pgtrigger.Q(old__last_name__df=pgtrigger.F("new__last_name"))
                ),
                func=(
                    f"UPDATE {USER_TABLE} SET username = lower(NEW.email), email = NEW.email, "  # noqa: S608
                    "first_name = left(NEW.first_name, 150), last_name = left(NEW.last_name, 150) "
                    "WHERE id = NEW.portal_user_id; RETURN NULL;"
                ),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(is_primary=True),
                name="contactperson_one_primary_per_customer",
                violation_error_message="This customer already has a primary contact.",
            ),
            models.CheckConstraint(
                condition=models.Q(portal_user__isnull=True) | ~models.Q(email=""),
                name="contactperson_portal_login_has_email",
                violation_error_message=(
                    "This person signs in to the customer portal with their email address, "
                    "so it cannot be removed while they have portal access."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    @property
    def address_lines(self) -> list[str]:
        place = f"{self.postal_code} {self.city}".strip()
        return [line for line in (self.address, place) if line]


class ContactPersonPhone(models.Model):
    class Kind(models.TextChoices):
        MOBILE = "mobile", "Mobile"
        OFFICE = "office", "Office"
        HOME = "home", "Home"
        OTHER = "other", "Other"

    person = models.ForeignKey(ContactPerson, on_delete=models.CASCADE, related_name="phones")
    kind = models.CharField("type", max_length=10, choices=Kind, default=Kind.MOBILE)
    # Stored E.164 ("+4520304050"); entered with a country picker and shown with it.
    number = PhoneNumberField("phone number")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "number"],
                name="contactpersonphone_once_per_person",
                violation_error_message="This number is already listed for the person.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number.as_international}"
