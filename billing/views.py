"""Staff pages of billing: the invoice list and an invoice (printed as it is shown: the
buttons and the menu are left off paper)."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from billing import listing
from billing.forms import InvoiceFilterForm
from billing.models import Invoice
from config.pagination import KeysetPaginator
from config.replica import reads_from_replica

PAGE_SIZE = 50


@permission_required("billing.view_invoice", raise_exception=True)
@reads_from_replica
def invoice_list(request: HttpRequest) -> HttpResponse:
    filters = InvoiceFilterForm(request.GET or None)
    status, query = InvoiceFilterForm.Status.OPEN, ""
    if filters.is_valid():
        status = filters.cleaned_data["status"] or status
        query = filters.cleaned_data["q"]
    invoices = listing.matching(listing.invoices_with_status(status), query)
    page = KeysetPaginator(invoices, ordering=("-number",), per_page=PAGE_SIZE).page_for(
        request.GET
    )
    context = {"page": page, "filters": filters, "status": status, "query": query}
    return render(request, "billing/invoice_list.html", context)


@permission_required("billing.view_invoice", raise_exception=True)
def invoice_detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = get_object_or_404(
        Invoice.objects.with_open_amount().select_related("customer", "credits"), pk=invoice_id
    )
    context = {
        "invoice": invoice,
        "lines": invoice.lines.order_by("position"),
        "vat_by_rate": invoice_vat_by_rate(invoice),
        "payments": invoice.payments.order_by("paid_on", "id"),
        "credit_notes": invoice.credit_notes.order_by("number"),
    }
    return render(request, "billing/invoice_detail.html", context)


def invoice_vat_by_rate(invoice: Invoice) -> list[dict]:
    """The invoice's net amount and VAT for each VAT rate, lowest rate first."""
    return list(
        invoice.lines.order_by("vat_rate")
        .values("vat_rate")
        .annotate(net=Sum("net"), vat=Sum("vat"))
    )
