from django import forms
from django.utils.translation import gettext_lazy as _


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
