"""Which invoices a list shows (the staff list, a customer's Invoices tab)."""

from django.utils import timezone

from billing.forms import InvoiceFilterForm
from billing.models import Invoice

Status = InvoiceFilterForm.Status


def invoices_with_status(status: str):
    """Invoices and credit notes with `open_amount`, those of `status` (InvoiceFilterForm)."""
    invoices = Invoice.objects.with_open_amount().select_related("customer")
    if status == Status.OPEN:
        return invoices.filter(kind=Invoice.Kind.INVOICE, open_amount__gt=0)
    if status == Status.OVERDUE:
        return invoices.filter(
            kind=Invoice.Kind.INVOICE, open_amount__gt=0, due_on__lt=timezone.localdate()
        )
    if status == Status.PAID:
        return invoices.filter(kind=Invoice.Kind.INVOICE, open_amount__lte=0)
    return invoices


def matching(invoices, text: str):
    text = text.strip()
    if not text:
        return invoices
    if text.isdigit():
        return invoices.filter(number=int(text))
    return invoices.filter(debtor_name__icontains=text)
