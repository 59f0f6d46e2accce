"""The back-end "Customer" settings: one row of flags that change what the pages show and
what the server accepts (shared/seeds/001_*).

Each field's verbose name and help text are the label and the one-line explanation on the
"Back-end › Customer" page and in the admin, so the wording lives here only.
"""

from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

SINGLETON_ID = 1

# Entry edit/delete windows, in minutes. None: no limit; 0: never.
WINDOW_CHOICES = [
    (0, "Never"),
    (60, "1 hour"),
    (24 * 60, "24 hours"),
    (3 * 24 * 60, "3 days"),
    (7 * 24 * 60, "7 days"),
    (30 * 24 * 60, "30 days"),
    (None, "No limit"),
]


class CustomerSettings(models.Model):
    class RecordSorting(models.TextChoices):
        NEWEST_FIRST = "newest_first", "Newest entries at the top"
        NEWEST_LAST = "newest_last", "Newest entries at the bottom"

    class SecondaryTherapistChoice(models.TextChoices):
        ALL_CALENDARS = "all", "All calendars"
        CALENDAR = "calendar", "A specific calendar"
        ONLY_PRIMARY = "only_primary", "Only primary"

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)

    # Customer information
    ssn_enabled = models.BooleanField(
        "Customer social security number",
        default=False,
        help_text="Show a social security number field under customer information.",
    )
    ssn_unique = models.BooleanField(
        "Customer social security number unique",
        default=False,
        help_text="Allow only one customer profile with a given social security number.",
    )
    show_contacts = models.BooleanField(
        "Show contacts",
        default=True,
        help_text="Keep your customers' contacts (doctor, insurer, caseworker) on a Contacts tab.",
    )
    date_of_birth_enabled = models.BooleanField(
        "Customer date of birth",
        default=True,
        help_text="Show a date of birth field under customer information.",
    )
    gender_enabled = models.BooleanField(
        "Customer gender",
        default=False,
        help_text="Show a gender field under customer information.",
    )
    group_selector_enabled = models.BooleanField(
        "Customer group selector",
        default=True,
        help_text="Show a customer group selector under customer information, so a customer "
        "can be moved to another group.",
    )
    default_customer_group = models.ForeignKey(
        "customers.CustomerGroup",
        verbose_name=_("Default customer group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The group every new customer starts in. With the selector off, customers stay "
            "in it (empty: no group)."
        ),
    )

    # Customer record (the records add-on)
    record_archive_enabled = models.BooleanField(
        "Customer record – Archive",
        default=False,
        help_text="Records add-on: allow archiving journals.",
    )
    record_editor_enabled = models.BooleanField(
        "Customer record – Editor",
        default=True,
        help_text="Records add-on: a rich-text editor (with tables) for record groups.",
    )
    record_sorting = models.CharField(
        "Customer record – Sorting",
        max_length=20,
        choices=RecordSorting.choices,
        default=RecordSorting.NEWEST_FIRST,
        help_text="Records add-on: where the newest entries of a journal are shown.",
    )
    record_delete_window = models.PositiveIntegerField(
        "Customer record – Delete entry",
        choices=WINDOW_CHOICES,
        null=True,
        blank=True,
        default=24 * 60,
        help_text="Records add-on: how long after its creation an entry can be deleted.",
    )
    record_edit_window = models.PositiveIntegerField(
        "Customer record – Edit entry",
        choices=WINDOW_CHOICES,
        null=True,
        blank=True,
        default=24 * 60,
        help_text="Records add-on: how long after its creation an entry can be edited.",
    )

    # Print reservations
    print_reservations_extra_fields = models.BooleanField(
        "Print reservations – extra fields",
        default=True,
        help_text="Include the customer's extra fields when printing reservations.",
    )
    print_reservations_record_fields = models.BooleanField(
        "Print reservations – record fields",
        default=True,
        help_text="Include record fields when printing reservations.",
    )
    print_reservations_start_time_only = models.BooleanField(
        "Print reservations – start time only",
        default=False,
        help_text="Print only the start time of each service, not when it ends.",
    )

    # Customer numbers
    auto_customer_numbers = models.BooleanField(
        "Assign customer numbers automatically",
        default=True,
        help_text="New customers get the next customer number; otherwise it is typed in.",
    )
    next_customer_number = models.PositiveBigIntegerField(
        "Next customer number",
        default=1,
        validators=[MinValueValidator(1)],
        help_text="The number the next new customer gets; the one after gets this plus one.",
    )

    # Forms
    forms_show_deleted_fields = models.BooleanField(
        "Forms – Show deleted spaces",
        default=False,
        help_text="Include deleted extra fields that were filled out in CSV exports.",
    )

    # Debtors
    can_share_debtor = models.BooleanField(
        "Can share debtor",
        default=False,
        help_text="Let several customers share one debtor.",
    )
    share_debtor_must_be_activated = models.BooleanField(
        "Must be activated on each debtor",
        default=False,
        help_text="Only debtors ticked “can be shared” may be shared.",
    )
    secondary_debtor_enabled = models.BooleanField(
        "Secondary debtor",
        default=False,
        help_text="Add a secondary debtor on the customer (preselected for split invoices).",
    )
    secondary_debtor_field_name = models.CharField(
        "Secondary debtor field name",
        max_length=60,
        default="Secondary debtor",
        help_text="The label of the secondary debtor field on the customer.",
    )
    secondary_debtor_group = models.ForeignKey(
        "debtors.DebtorGroup",
        verbose_name="Secondary debtor group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Limit the secondary debtor to debtors of this group (empty: any debtor).",
    )

    # Therapists
    therapists_enabled = models.BooleanField(
        "Primary/secondary therapist",
        default=False,
        help_text="Connect customers to a primary and possibly a secondary therapist.",
    )
    primary_therapist_calendar = models.ForeignKey(
        "customers.Calendar",
        verbose_name="Primary therapist from",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Choose the primary therapist from this calendar (empty: all calendars).",
    )
    secondary_therapist_choice = models.CharField(
        "Secondary therapist from",
        max_length=20,
        choices=SecondaryTherapistChoice.choices,
        default=SecondaryTherapistChoice.ALL_CALENDARS,
        help_text="All calendars, one specific calendar, or only the primary therapist.",
    )
    secondary_therapist_calendar = models.ForeignKey(
        "customers.Calendar",
        verbose_name="Secondary therapist calendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The calendar when “A specific calendar” is chosen above.",
    )

    # Alerts and add-ons
    age_alert_enabled = models.BooleanField(
        "Age alert icon",
        default=False,
        help_text="Show an icon on customers younger than the age below.",
    )
    age_alert_age = models.PositiveSmallIntegerField(
        "Age alert below",
        default=18,
        validators=[MinValueValidator(1), MaxValueValidator(150)],
        help_text="Customers younger than this many years get the age alert icon.",
    )
    sms_enabled = models.BooleanField(
        "SMS",
        default=False,
        help_text="Send text messages; enables the SMS communication preference.",
    )
    records_addon_enabled = models.BooleanField(
        "Records add-on",
        default=True,
        help_text="The encrypted records (journals) add-on and its Record tab.",
    )

    class Meta:
        verbose_name = "back-end customer settings"
        verbose_name_plural = "back-end customer settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=SINGLETON_ID), name="customersettings_single_row"
            ),
        ]

    CACHE_KEY = "customers.customersettings"

    def __str__(self) -> str:
        return "Back-end customer settings"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    @classmethod
    def load(cls) -> "CustomerSettings":
        """The settings row (created by migration; recreated with defaults if ever missing)."""
        return cls.objects.select_related(
            "secondary_debtor_group", "primary_therapist_calendar", "secondary_therapist_calendar"
        ).get_or_create(id=SINGLETON_ID)[0]

    def therapist_calendars(self, role: str):
        """The calendars a customer's "primary" or "secondary" therapist may be chosen
        from: all active ones, or the one configured. With "Only primary" there is no
        secondary therapist at all (an empty choice)."""
        from customers.models.calendar import Calendar

        calendars = Calendar.objects.filter(active=True)
        if role == "primary":
            chosen = self.primary_therapist_calendar_id
        elif self.secondary_therapist_choice == self.SecondaryTherapistChoice.ONLY_PRIMARY:
            return calendars.none()
        elif self.secondary_therapist_choice == self.SecondaryTherapistChoice.CALENDAR:
            chosen = self.secondary_therapist_calendar_id
        else:
            chosen = None
        return calendars.filter(pk=chosen) if chosen else calendars

    @property
    def shows_age_alert(self) -> bool:
        """Whether any customer gets the age alert icon. The icon tells the age, so it stays
        away while date of birth is switched off."""
        return self.age_alert_enabled and self.date_of_birth_enabled

    @property
    def has_secondary_therapist(self) -> bool:
        return (
            self.therapists_enabled
            and self.secondary_therapist_choice != self.SecondaryTherapistChoice.ONLY_PRIMARY
        )

    @classmethod
    def for_request(cls, request: HttpRequest) -> "CustomerSettings":
        """The settings, read at most once per request however often they are asked for,
        and from the cache when possible: every staff page's menu reads them. Like
        accounts.SecuritySettings: saving clears the cache; other worker processes without
        a shared cache (CACHE_URL) see a change within a minute. Writes that depend on the
        settings lock the row instead (customers.services._locked_settings)."""
        # Kept on the request itself (an attribute of our own, unknown to django-stubs).
        if not hasattr(request, "_customer_settings"):
            loaded = cache.get(cls.CACHE_KEY)
            if loaded is None:
                loaded = cls.load()
                cache.set(cls.CACHE_KEY, loaded, timeout=60)
            request._customer_settings = loaded  # type: ignore[attr-defined]
        return request._customer_settings  # type: ignore[attr-defined]
