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
