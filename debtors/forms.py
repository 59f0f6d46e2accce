"""Debtor forms: parse input; debtors.services decides."""

from django import forms

from debtors.models import Debtor, DebtorGroup


class DebtorForm(forms.ModelForm):
    number = forms.IntegerField(
        label="Debtor number",
        required=False,
        min_value=1,
        help_text="Leave empty for the next free number.",
    )

    class Meta:
        model = Debtor
        fields = [
            "number",
            "kind",
            "name",
            "email",
            "phone",
            "address",
            "postal_code",
            "city",
            "vat_number",
            "ean",
            "payment_terms_days",
            "group",
            "can_be_shared",
            "notes",
            "active",
        ]
        widgets = {"kind": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            del self.fields["number"]  # a debtor's number does not change

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "number"}


class DebtorFilterForm(forms.Form):
    q = forms.CharField(label="Search debtors", required=False)
    group = forms.ModelChoiceField(
        queryset=DebtorGroup.objects.none(),
        required=False,
        empty_label="All groups",
        label="Debtor group",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = DebtorGroup.objects.all()  # type: ignore[attr-defined]  # ModelChoiceField


class DebtorGroupForm(forms.ModelForm):
    class Meta:
        model = DebtorGroup
        fields = ["name"]
