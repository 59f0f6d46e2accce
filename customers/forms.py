"""Forms for customers and the back-end customer settings: they parse input, the services
decide (customers.services)."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from accounts.models import User
from config import crypto
from customers.models import Calendar, Customer, CustomerSettings, ExtraField, Reservation
from customers.models.fields import NO, YES
from customers.services import CustomerChange
from debtors.models import Debtor

# A social security number after normalisation: ASCII digits and capital letters only, so
# look-alike digits from other scripts cannot slip past the blind index.
SSN_SHAPE = re.compile(r"[0-9A-Z]{6,20}")

# Shown only when the back-end setting named beside them is on.
OPTIONAL_FIELDS = {
    "date_of_birth": "date_of_birth_enabled",
    "gender": "gender_enabled",
    "group": "group_selector_enabled",
    "primary_therapist": "therapists_enabled",
    "secondary_therapist": "therapists_enabled",
}


# The empty choice of the therapist selects, in words (Django's default reads "---------").
NO_THERAPIST = {
    "primary": gettext_lazy("No primary therapist"),
    "secondary": gettext_lazy("No secondary therapist"),
}

EXTRA_PREFIX = "extra_"
NOT_ANSWERED = ("", "—")


def extra_form_field(extra: ExtraField, stored: str | None) -> forms.Field:
    """The form field of an extra field, as its kind asks."""
    common: dict[str, Any] = {
        "label": extra.label,
        "required": extra.required,
        "help_text": extra.help_text,
    }
    Kind = ExtraField.Kind
    if extra.kind == Kind.LONG_TEXT:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), **common)
    if extra.kind == Kind.NUMBER:
        return forms.DecimalField(max_digits=18, decimal_places=6, **common)
    if extra.kind == Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if extra.kind == Kind.YES_NO:
        return forms.ChoiceField(choices=[NOT_ANSWERED, (YES, "Yes"), (NO, "No")], **common)
    if extra.kind == Kind.CHOICE:
        options = extra.option_list
        # A value whose option was removed later stays selectable, so saving keeps it.
        if stored and stored not in options:
            options = [*options, stored]
        return forms.ChoiceField(choices=[NOT_ANSWERED, *((o, o) for o in options)], **common)
    return forms.CharField(max_length=255, **common)


def extra_stored(value) -> str:
    """A cleaned form value as Customer.extra_fields keeps it."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def calendar_choices(allowed, chosen_id: int | None):
    """The `allowed` calendars by name, and the one already chosen even if it is no longer
    allowed (deactivated, or outside changed settings), so saving keeps it."""
    if chosen_id is not None:
        allowed = allowed | Calendar.objects.filter(pk=chosen_id)
    return allowed.order_by("name")


class CustomerForm(forms.ModelForm):
    ssn = forms.CharField(label="Social security number", required=False, max_length=32)
    remove_ssn = forms.BooleanField(label="Remove the social security number", required=False)
    # The version the user saw; a save based on an older one is refused (customer_update).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Customer
        fields = [
            "number",
            "kind",
            "first_name",
            "last_name",
            "company_name",
            "email",
            "phone",
            "address",
            "postal_code",
            "city",
            "date_of_birth",
            "gender",
            "group",
            "primary_therapist",
            "secondary_therapist",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"kind": "Customer type", "group": "Customer group"}
        help_texts = {"phone": "With country code, e.g. +45 20 12 34 56; Danish without it."}

    def __init__(self, *args, settings: CustomerSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.settings = settings
        editing = self.instance._state.adding is False
        for field, setting in OPTIONAL_FIELDS.items():
            if not getattr(settings, setting):
                del self.fields[field]
        if "secondary_therapist" in self.fields and not settings.has_secondary_therapist:
            del self.fields["secondary_therapist"]
        for role in ("primary", "secondary"):
            name = f"{role}_therapist"
            if name in self.fields:
                self.fields[name].queryset = calendar_choices(  # type: ignore[attr-defined]  # ModelChoiceField
                    settings.therapist_calendars(role), getattr(self.instance, f"{name}_id")
                )
                self.fields[name].empty_label = NO_THERAPIST[role]  # type: ignore[attr-defined]  # ModelChoiceField
        if "group" in self.fields:
            self.fields["group"].empty_label = gettext_lazy("No group")  # type: ignore[attr-defined]  # ModelChoiceField
            if not editing:
                self.fields["group"].initial = settings.default_customer_group_id
        if settings.auto_customer_numbers:
            del self.fields["number"]
        if not settings.ssn_enabled:
            del self.fields["ssn"]
        if not (settings.ssn_enabled and editing and self.instance.ssn_encrypted is not None):
            del self.fields["remove_ssn"]
        if editing:
            self.fields["version"].initial = self.instance.version
            if "ssn" in self.fields and self.instance.ssn_encrypted is not None:
                self.fields["ssn"].help_text = (
                    f"Stored: {self.instance.masked_ssn}. Leave empty to keep it, "
                    "or type a new number to replace it."
                )
        if "ssn" in self.fields:
            self.fields["ssn"].widget.attrs["autocomplete"] = "off"
        self.extra = list(ExtraField.objects.in_use())
        for extra in self.extra:
            stored = self.instance.extra_fields.get(extra.key)
            self.fields[f"{EXTRA_PREFIX}{extra.key}"] = extra_form_field(extra, stored)
            self.initial.setdefault(f"{EXTRA_PREFIX}{extra.key}", stored)

    def extra_bound_fields(self) -> list[forms.BoundField]:
        return [self[f"{EXTRA_PREFIX}{extra.key}"] for extra in self.extra]

    def clean_ssn(self) -> str:
        value = self.cleaned_data["ssn"].strip()
        if not value:
            return ""
        normalised = crypto.normalise_identifier(value)
        if not SSN_SHAPE.fullmatch(normalised):
            raise forms.ValidationError(
                "Enter the social security number as digits (dashes and spaces are fine)."
            )
        return value

    def clean(self):
        cleaned = super().clean() or {}  # Django's returns cleaned_data, never None
        if cleaned.get("kind") == Customer.Kind.BUSINESS:
            if not cleaned.get("company_name", "").strip():
                self.add_error("company_name", "Enter the company name.")
        else:
            for field, label in (("first_name", "first name"), ("last_name", "last name")):
                if not cleaned.get(field, "").strip():
                    self.add_error(field, f"Enter the customer's {label}.")
        return cleaned

    def change(self) -> CustomerChange:
        fields = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("number", "ssn", "remove_ssn", "version")
            and not name.startswith(EXTRA_PREFIX)
        }
        extra = {
            name.removeprefix(EXTRA_PREFIX): extra_stored(value)
            for name, value in self.cleaned_data.items()
            if name.startswith(EXTRA_PREFIX)
        }
        ssn = None
        if "ssn" in self.fields:
            if self.cleaned_data.get("remove_ssn"):
                ssn = ""
            elif self.cleaned_data["ssn"] or self.instance._state.adding:
                ssn = self.cleaned_data["ssn"]
        return CustomerChange(fields=fields, ssn=ssn, extra=extra)


# The page's sections: (heading, note, fields), in the order of the guide.
SETTINGS_SECTIONS = [
    (
        "Customer information",
        "",
        [
            "ssn_enabled",
            "ssn_unique",
            "show_contacts",
            "date_of_birth_enabled",
            "gender_enabled",
            "group_selector_enabled",
            "default_customer_group",
            "age_alert_enabled",
            "age_alert_age",
        ],
    ),
    (
        "Customer record",
        "These settings matter only with the records add-on.",
        [
            "records_addon_enabled",
            "record_archive_enabled",
            "record_editor_enabled",
            "record_sorting",
            "record_delete_window",
            "record_edit_window",
        ],
    ),
    (
        "Print reservations",
        "What is printed from the customer information page.",
        [
            "print_reservations_extra_fields",
            "print_reservations_record_fields",
            "print_reservations_start_time_only",
        ],
    ),
    (
        "Customer numbers and forms",
        "",
        ["auto_customer_numbers", "next_customer_number", "forms_show_deleted_fields"],
    ),
    (
        "Debtors",
        "",
        [
            "can_share_debtor",
            "share_debtor_must_be_activated",
            "secondary_debtor_enabled",
            "secondary_debtor_field_name",
            "secondary_debtor_group",
        ],
    ),
    (
        "Therapists",
        "",
        [
            "therapists_enabled",
            "primary_therapist_calendar",
            "secondary_therapist_choice",
            "secondary_therapist_calendar",
        ],
    ),
    ("Messages", "", ["sms_enabled"]),
]


class CustomerSettingsForm(forms.ModelForm):
    # Asked for only when "Only primary" would take customers' secondary therapists away
    # (customers.services.customer_settings_update says how many).
    remove_secondary_therapists = forms.BooleanField(
        label=gettext_lazy("Remove the secondary therapist from these customers"),
        required=False,
    )

    class Meta:
        model = CustomerSettings
        fields = [name for _, _, names in SETTINGS_SECTIONS for name in names]
        widgets = {"record_delete_window": forms.Select, "record_edit_window": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_therapist_calendar"].empty_label = "All calendars"  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["secondary_debtor_group"].empty_label = "Any debtor group"  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["default_customer_group"].empty_label = gettext_lazy("No group")  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["secondary_therapist_calendar"].empty_label = "—"  # type: ignore[attr-defined]  # ModelChoiceField

    def sections(self):
        for heading, note, names in SETTINGS_SECTIONS:
            fields = [self[name] for name in names]
            if heading == "Therapists" and self.asks_secondary_removal:
                fields.append(self["remove_secondary_therapists"])
            yield heading, note, fields

    @property
    def asks_secondary_removal(self) -> bool:
        field = self["remove_secondary_therapists"]
        return bool(field.errors) or (self.is_bound and bool(field.value()))


class SsnLookupForm(forms.Form):
    """Find customers by their whole social security number (posted: it never goes in a URL)."""

    ssn = forms.CharField(label="Social security number", max_length=32)

    def clean_ssn(self) -> str:
        value = self.cleaned_data["ssn"]
        if not SSN_SHAPE.fullmatch(crypto.normalise_identifier(value)):
            raise forms.ValidationError("Enter a whole social security number.")
        return value


class DebtorChoiceForm(forms.Form):
    """The debtor chosen for a customer; empty removes it."""

    debtor = forms.ModelChoiceField(queryset=Debtor.objects.all(), required=False)


class ExtraFieldForm(forms.ModelForm):
    """An extra field's definition. Its kind is fixed once created: stored values were
    typed for it."""

    class Meta:
        model = ExtraField
        fields = ["label", "kind", "options", "required", "help_text"]
        widgets = {"options": forms.Textarea(attrs={"rows": 4})}
        labels = {"kind": "Type"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = "The type cannot be changed once the field exists."

    def clean_label(self) -> str:
        # The unique constraint is conditional on `deleted`, which is not a form field, so
        # the model form would skip it; the database would still refuse.
        label = self.cleaned_data["label"].strip()
        taken = ExtraField.objects.in_use().filter(label__iexact=label)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("An extra field with this label already exists.")
        return label

    def clean(self):
        cleaned = super().clean() or {}  # Django's returns cleaned_data, never None
        options = [line.strip() for line in cleaned.get("options", "").splitlines()]
        options = [option for option in options if option]
        if cleaned.get("kind") == ExtraField.Kind.CHOICE:
            if not options:
                self.add_error("options", "Give at least one option, one per line.")
            elif len(options) != len(set(options)):
                self.add_error("options", "Each option can be given only once.")
            elif any(len(option) > 100 for option in options):
                self.add_error("options", "Keep each option to 100 characters.")
        cleaned["options"] = "\n".join(options) if cleaned.get("kind") == "choice" else ""
        return cleaned


class CalendarForm(forms.ModelForm):
    """A therapist's calendar: one per staff user."""

    class Meta:
        model = Calendar
        fields = ["name", "therapist", "active"]
        help_texts = {
            "therapist": "The staff member whose calendar this is.",
            "active": "Inactive calendars are kept with their reservations, but cannot be "
            "chosen for new ones or as a customer's therapist.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Calendar.objects.exclude(pk=self.instance.pk).exclude(therapist=None)
        self.fields["therapist"].queryset = (  # type: ignore[attr-defined]  # ModelChoiceField
            User.objects.filter(kind=User.Kind.STAFF, is_active=True)
            .exclude(pk__in=taken.values("therapist"))
            .order_by("first_name", "last_name", "username")
        )


DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ReservationForm(forms.ModelForm):
    """A reservation, and (with the therapist setting on) the customer's therapists, which
    can be changed here as on the profile."""

    class Meta:
        model = Reservation
        fields = ["calendar", "service", "start", "end", "status", "note"]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"end": "Optional."}

    def __init__(self, *args, settings: CustomerSettings, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calendar"].queryset = calendar_choices(  # type: ignore[attr-defined]  # ModelChoiceField
            Calendar.objects.filter(active=True), self.instance.calendar_id
        )
        self.fields["calendar"].required = False
        self.fields["calendar"].empty_label = "Not booked yet"  # type: ignore[attr-defined]  # ModelChoiceField
        self.therapist_fields = []
        if settings.therapists_enabled:
            roles = ["primary"] + (["secondary"] if settings.has_secondary_therapist else [])
            for role in roles:
                name = f"{role}_therapist"
                current = getattr(customer, f"{name}_id")
                self.fields[name] = forms.ModelChoiceField(
                    queryset=calendar_choices(settings.therapist_calendars(role), current),
                    required=False,
                    empty_label=NO_THERAPIST[role],
                    initial=current,
                    label=f"{customer.name}'s {role} therapist",
                )
                self.therapist_fields.append(name)

    def therapists(self) -> dict:
        return {
            role: self.cleaned_data.get(f"{role}_therapist") for role in ("primary", "secondary")
        }
