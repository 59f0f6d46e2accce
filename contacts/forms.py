"""Forms of the contact directory."""

from django import forms

from contacts.models import Contact, ContactCategory


class CategoryForm(forms.ModelForm):
    class Meta:
        model = ContactCategory
        fields = ["name"]
        labels = {"name": "Category name"}


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
        help_texts = {"email": "An email address or a phone number is required."}


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
