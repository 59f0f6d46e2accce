"""Forms of the contact directory and of customers' contact persons."""

from django import forms
from phonenumber_field.formfields import SplitPhoneNumberField

from contacts.models import Contact, ContactCategory, ContactPerson, ContactPersonPhone
from contacts.models.directory import CATEGORY_NAME_TAKEN, NO_EMAIL_OR_PHONE
from contacts.services import PERSON_FIELDS, Phone, check_email_or_phone


class CategoryForm(forms.ModelForm):
    class Meta:
        model = ContactCategory
        fields = ["name"]
        labels = {"name": "Category name"}

    def clean_name(self) -> str:
        # The unique constraint (on the lower-cased name) is the rule; asked here too, its
        # refusal shows at the name field instead of at the top of the form.
        name = self.cleaned_data["name"]
        taken = ContactCategory.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(CATEGORY_NAME_TAKEN, code="unique")
        return name


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "title",
            "first_name",
            "last_name",
            "organisation",
            "description",
            "email",
            "phone",
            "mobile",
            "address",
            "postal_code",
            "city",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    REACH_FIELDS = ("email", "phone", "mobile")

    def clean(self):
        cleaned = super().clean() or {}  # Django's returns cleaned_data, never None
        # The database's contact_has_email_or_phone says the same; said here, the message
        # sits at the email and phone fields instead of at the top of the form.
        has_errors = any(name in self.errors for name in self.REACH_FIELDS)
        if not has_errors and not any(cleaned.get(name) for name in self.REACH_FIELDS):
            self.add_error("email", forms.ValidationError(NO_EMAIL_OR_PHONE, code="email_or_phone"))
        return cleaned


class ContactChoiceForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=Contact.objects.all())


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns as in the CSV export; UTF-8. Rows with errors are shown first.",
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."
            ) from None


# --- A customer's contact persons ---------------------------------------------------------

# Which field fills which communication preference: an email address means email, a mobile
# number SMS, a postal address a letter.
PREFERENCE_SOURCES = {
    "prefers_email": "email",
    "prefers_sms": "mobile number",
    "prefers_letter": "address",
}


class PhoneForm(forms.ModelForm):
    number = SplitPhoneNumberField(label="Phone number", required=False)

    class Meta:
        model = ContactPersonPhone
        fields = ["kind", "number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        country, number = self.fields["number"].widget.widgets
        country.attrs.update({"aria-label": "Country", "class": "form-select phone-country"})
        number.attrs.update({"aria-label": "Number", "class": "form-control", "type": "tel"})

    def clean(self):
        cleaned = super().clean() or {}  # Django's returns cleaned_data, never None
        if not cleaned.get("number") and not self.errors and self.instance.pk:
            cleaned["DELETE"] = True  # an emptied number goes, as if "Remove" was ticked
        return cleaned


class BasePhoneFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Before the formset's own unique check, so the message sits at the number.
        seen = set()
        for form in self.forms:
            number = form.cleaned_data.get("number") if hasattr(form, "cleaned_data") else None
            if not number or form.cleaned_data.get("DELETE"):
                continue
            if number in seen:
                form.add_error("number", "This number is already listed above.")
            seen.add(number)
        super().clean()

    def numbers(self) -> list[tuple[str | None, object]]:
        """(kind, number) of every phone that will be kept."""
        return [
            (form.cleaned_data.get("kind"), form.cleaned_data["number"])
            for form in self.forms
            if form.cleaned_data.get("number") and not form.cleaned_data.get("DELETE")
        ]


PhoneFormSet = forms.inlineformset_factory(
    ContactPerson,
    ContactPersonPhone,
    form=PhoneForm,
    formset=BasePhoneFormSet,
    extra=1,
    can_delete=True,
)


class ContactPersonForm(forms.ModelForm):
    """A contact person with their phone numbers (`.phones`, an inline formset): parsed
    here, written by contacts.services (`contact_person_create` / `_update`) from
    `person_input()`, which holds the rules across fields.

    Communication preferences follow the fields as they are filled: the page's script
    ticks them as the user types (and says so in `preferences_scripted`); a post without
    the script gets the same default from the service. The SMS preference exists only
    while SMS is on in the back-end settings.
    """

    preferences_scripted = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ContactPerson
        fields = list(PERSON_FIELDS)

    def __init__(self, *args, sms_enabled: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.sms_enabled = sms_enabled
        if not sms_enabled:
            del self.fields["prefers_sms"]
        self.phones: BasePhoneFormSet = PhoneFormSet(
            self.data or None, instance=self.instance, prefix="phones"
        )  # type: ignore[assignment]  # inlineformset_factory(formset=BasePhoneFormSet)

    @property
    def preference_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PREFERENCE_SOURCES if name in self.fields]

    def clean(self):
        cleaned = super().clean() or {}  # Django's returns cleaned_data, never None
        # The rule is the service's; asked here too, so one submit shows all that is wrong.
        # A phone number with an error of its own is reported there, not as "no number".
        if "email" not in self.errors and self.phones.is_valid():
            try:
                check_email_or_phone(email=cleaned.get("email", ""), phones=self.phone_list())
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def validate_constraints(self) -> None:
        # The model's constraints across fields (a portal login keeps its email) are
        # checked by the service, which says what to do instead.
        pass

    def is_valid(self) -> bool:
        phones_valid = self.phones.is_valid()
        return super().is_valid() and phones_valid

    def phone_list(self) -> list[Phone]:
        return [Phone(kind or "", number) for kind, number in self.phones.numbers()]

    def person_input(self) -> dict:
        """The keyword arguments of contact_person_create / _update, from a valid form."""
        fields = {name: self.cleaned_data[name] for name in PERSON_FIELDS if name in self.fields}
        return {
            "fields": fields,
            "phones": self.phone_list(),
            "preferences_scripted": self.cleaned_data.get("preferences_scripted", False),
            "sms_enabled": self.sms_enabled,
        }


class PrimaryConfirmForm(forms.Form):
    WORD = "primary"

    confirmation = forms.CharField(
        label=f"Type “{WORD}” to confirm",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"].strip()
        if typed.casefold() != self.WORD:
            raise forms.ValidationError(f"Type the word “{self.WORD}” to confirm.")
        return typed
