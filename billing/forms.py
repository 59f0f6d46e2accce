from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import Payment, PriceItem, Sale
from billing.services.sales import second_debtors
from customers.models import Calendar
from debtors.models import Debtor


class InvoiceFilterForm(forms.Form):
    class Status:
        OPEN = "open"
        OVERDUE = "overdue"
        PAID = "paid"
        ALL = "all"

    STATUSES = [
        (Status.OPEN, _("Open")),
        (Status.OVERDUE, _("Overdue")),
        (Status.PAID, _("Paid or credited")),
        (Status.ALL, _("All")),
    ]

    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)
    q = forms.CharField(label=_("Number or debtor"), max_length=100, required=False)


class SaleForm(forms.ModelForm):
    """Who treated and who pays (the sale's own fields; the rules are in the service)."""

    class Meta:
        model = Sale
        fields = ["therapist", "debtor", "split", "second_debtor", "split_value"]

    def __init__(self, *args, settings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["therapist"].queryset = Calendar.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["debtor"].queryset = Debtor.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]
        if settings.secondary_debtor_enabled:
            self.fields["second_debtor"].queryset = second_debtors(settings).order_by("name")  # type: ignore[attr-defined]
        else:
            for name in ("split", "second_debtor", "split_value"):
                del self.fields[name]


class SaleLineForm(forms.Form):
    item: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Service or product"), queryset=PriceItem.objects.none()
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=9, decimal_places=2, min_value=Decimal("0.01"), initial=1
    )
    discount_percent = forms.DecimalField(
        label=_("Discount (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        initial=0,
    )
    unit_price = forms.DecimalField(
        label=_("Price (DKK)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        help_text=_("Empty: the price list's."),
    )

    def __init__(self, *args, may_change_price: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = PriceItem.objects.filter(active=True)  # type: ignore[attr-defined]
        if not may_change_price:
            del self.fields["unit_price"]


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (DKK)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)


class CreditForm(forms.Form):
    reason = forms.CharField(label=_("Why is it credited?"), max_length=500)
