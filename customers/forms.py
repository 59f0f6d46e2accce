"""Forms for customers and the back-end customer settings: they parse input, the services
decide (customers.services)."""

import re

from django import forms

from config import crypto
from customers.models import Customer, CustomerSettings
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
}


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
        cleaned = super().clean()
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
        }
        ssn = None
        if "ssn" in self.fields:
            if self.cleaned_data.get("remove_ssn"):
                ssn = ""
            elif self.cleaned_data["ssn"] or self.instance._state.adding:
                ssn = self.cleaned_data["ssn"]
        return CustomerChange(fields=fields, ssn=ssn)


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
    class Meta:
        model = CustomerSettings
        fields = [name for _, _, names in SETTINGS_SECTIONS for name in names]
        widgets = {"record_delete_window": forms.Select, "record_edit_window": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_therapist_calendar"].empty_label = "All calendars"
        self.fields["secondary_debtor_group"].empty_label = "Any debtor group"
        self.fields["secondary_therapist_calendar"].empty_label = "—"

    def sections(self):
        for heading, note, names in SETTINGS_SECTIONS:
            yield heading, note, [self[name] for name in names]


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
