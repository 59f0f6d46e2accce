"""Forms of the contact directory and of customers' contact persons."""

from django import forms
from phonenumber_field.formfields import SplitPhoneNumberField

from accounts.models import login_name_taken
from contacts.models import Contact, ContactCategory, ContactPerson, ContactPersonPhone
from contacts.models.directory import CATEGORY_NAME_TAKEN, NO_EMAIL_OR_PHONE


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
    """A contact person with their phone numbers (`.phones`, an inline formset).

    Communication preferences follow the fields as they are filled: the page's script
    ticks them as the user types (and says so in `preferences_scripted`); a post without
    the script gets the same default here, once, when a field is newly filled. The SMS
    preference exists only while SMS is on in the back-end settings.
    """

    preferences_scripted = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ContactPerson
        fields = [
            "title",
            "first_name",
            "last_name",
            "description",
            "email",
            "address",
            "postal_code",
            "city",
            "is_active",
            "prefers_email",
            "prefers_sms",
            "prefers_letter",
        ]

    def __init__(self, *args, sms_enabled: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not sms_enabled:
            del self.fields["prefers_sms"]
        self.phones: BasePhoneFormSet = PhoneFormSet(
            self.data or None, instance=self.instance, prefix="phones"
        )  # type: ignore[assignment]  # inlineformset_factory(formset=BasePhoneFormSet)
        # What was filled before this post, for the preference defaults. The saved
        # phones are the formset's initial forms: no query of their own.
        self._had = self._filled(
            email=self.instance.email,
            address=self.instance.address,
            mobile=any(form.instance.kind == "mobile" for form in self.phones.initial_forms),
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        login = self.instance.portal_user_id
        if login and not email:
            raise forms.ValidationError(
                "This person signs in to the customer portal with their email address. "
                "Revoke their portal access before removing it."
            )
        if login and login_name_taken(email, except_user_id=login):
            raise forms.ValidationError("Another portal login already uses this email address.")
        return email

    @property
    def preference_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PREFERENCE_SOURCES if name in self.fields]

    @staticmethod
    def _filled(*, email, address, mobile) -> dict[str, bool]:
        return {
            "prefers_email": bool(email),
            "prefers_letter": bool(address),
            "prefers_sms": bool(mobile),
        }

    def clean(self):
        cleaned = super().clean() or {}  # Django's returns cleaned_data, never None
        # Checked with every other field, so one submit shows all that is wrong. A phone
        # number with an error of its own is reported there, not as "no number".
        if (
            "email" not in self.errors
            and not cleaned.get("email")
            and self.phones.is_valid()
            and not self.phones.numbers()
        ):
            self.add_error("email", "Enter an email address or at least one phone number.")
        return cleaned

    def is_valid(self) -> bool:
        phones_valid = self.phones.is_valid()
        if not (super().is_valid() and phones_valid):
            return False
        numbers = self.phones.numbers()
        if not self.cleaned_data.get("preferences_scripted"):
            has = self._filled(
                email=self.cleaned_data.get("email"),
                address=self.cleaned_data.get("address"),
                mobile=any(kind == "mobile" for kind, _ in numbers),
            )
            for preference in self.fields.keys() & PREFERENCE_SOURCES.keys():
                if has[preference] and not self._had[preference]:
                    setattr(self.instance, preference, True)
        return True

    def save(self, commit: bool = True) -> ContactPerson:
        person = super().save(commit=commit)
        if commit:
            self.phones.instance = person
            self.phones.save()
        return person


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
