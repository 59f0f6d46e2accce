"""Staff pages of billing: the cash register (a sale and its lines), the invoice list and
an invoice (printed as it is shown: the buttons and the menu are left off paper)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from billing import listing, money, services
from billing.forms import CreditForm, InvoiceFilterForm, PaymentForm, SaleForm, SaleLineForm
from billing.models import Invoice, Sale
from config.forms import show_service_errors
from config.http import AuthenticatedHttpRequest
from config.pagination import KeysetPaginator
from config.replica import reads_from_replica
from customers.models import Customer, CustomerSettings, Reservation

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
def invoice_detail(request: AuthenticatedHttpRequest, invoice_id: int) -> HttpResponse:
    invoice = get_object_or_404(
        Invoice.objects.with_open_amount().select_related("customer", "credits"), pk=invoice_id
    )
    payment_form = PaymentForm(
        initial={"amount": invoice.open_amount, "paid_on": timezone.localdate()}
    )
    credit_form = CreditForm()
    if request.method == "POST":
        if "pay" in request.POST:
            if not request.user.has_perm("billing.add_payment"):
                raise PermissionDenied
            payment_form = PaymentForm(request.POST)
            if payment_form.is_valid():
                try:
                    services.payment_register(
                        invoice=invoice, by=request.user, **payment_form.cleaned_data
                    )
                except ValidationError as error:
                    show_service_errors(payment_form, error)
                else:
                    messages.success(request, _("Payment registered."))
                    return redirect("billing:invoice", invoice.pk)
        elif "credit" in request.POST:
            if not request.user.has_perm("billing.add_invoice"):
                raise PermissionDenied
            credit_form = CreditForm(request.POST)
            if credit_form.is_valid():
                try:
                    note = services.invoice_credit(
                        invoice=invoice, by=request.user, reason=credit_form.cleaned_data["reason"]
                    )
                except ValidationError as error:
                    show_service_errors(credit_form, error)
                else:
                    messages.success(
                        request, _("Credit note %(number)s issued.") % {"number": note.number}
                    )
                    return redirect("billing:invoice", note.pk)
    context = {
        "payment_form": payment_form,
        "credit_form": credit_form,
        "invoice": invoice,
        "lines": invoice.lines.order_by("position"),
        "vat_by_rate": invoice_vat_by_rate(invoice),
        "payments": invoice.payments.order_by("paid_on", "id"),
        "credit_notes": invoice.credit_notes.order_by("number"),
    }
    return render(request, "billing/invoice_detail.html", context)


def invoice_vat_by_rate(invoice: Invoice) -> list[dict]:
    """The invoice's net amount and VAT for each VAT rate, lowest rate first."""
    rates = invoice.lines.order_by("vat_rate").values("vat_rate")
    return [dict(row) for row in rates.annotate(net=Sum("net"), vat=Sum("vat"))]


def _draft_or_404(sale_id: int) -> Sale:
    return get_object_or_404(
        Sale.objects.select_related("customer", "reservation", "therapist", "debtor"), pk=sale_id
    )


@require_POST
@permission_required("billing.add_sale", raise_exception=True)
def sale_start(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    """Start a sale for the customer, from one of their reservations (?reservation=) or
    from scratch."""
    customer = get_object_or_404(Customer, id=customer_id)
    reservation = None
    if reservation_id := request.POST.get("reservation"):
        reservation = get_object_or_404(Reservation, pk=reservation_id, customer=customer)
    sale = services.sale_start(customer=customer, by=request.user, reservation=reservation)
    messages.success(request, _("Sale started for %(name)s.") % {"name": customer.name})
    return redirect("billing:sale", sale.pk)


@permission_required("billing.view_sale", raise_exception=True)
def sale_detail(request: AuthenticatedHttpRequest, sale_id: int) -> HttpResponse:
    """The cash register: the sale's lines, who treated and who pays, and Invoice."""
    sale = _draft_or_404(sale_id)
    settings = CustomerSettings.load()
    may_change_price = request.user.has_perm(services.sales.CHANGE_PRICE)
    form = SaleForm(instance=sale, settings=settings)
    line_form = SaleLineForm(may_change_price=may_change_price)
    if request.method == "POST":
        if not request.user.has_perm("billing.change_sale"):
            raise PermissionDenied
        if "add_line" in request.POST:
            line_form = SaleLineForm(request.POST, may_change_price=may_change_price)
            if line_form.is_valid():
                try:
                    services.sale_line_add(sale=sale, by=request.user, **line_form.cleaned_data)
                except ValidationError as error:
                    show_service_errors(line_form, error)
                else:
                    messages.success(request, _("Line added."))
                    return redirect("billing:sale", sale.pk)
        else:
            form = SaleForm(request.POST, instance=sale, settings=settings)
            if form.is_valid():
                try:
                    data = form.cleaned_data
                    services.sale_update(
                        sale=sale,
                        therapist=data["therapist"],
                        debtor=data["debtor"],
                        split=data.get("split") or "",
                        second_debtor=data.get("second_debtor"),
                        split_value=data.get("split_value"),
                    )
                except ValidationError as error:
                    show_service_errors(form, error)
                else:
                    messages.success(request, _("Sale saved."))
                    return redirect("billing:sale", sale.pk)
    sale.refresh_from_db()
    lines = [
        (
            line,
            money.line_amounts(
                line.quantity, line.unit_price, line.discount_percent, line.vat_rate
            ),
        )
        for line in sale.lines.order_by("position")
    ]
    context = {
        "sale": sale,
        "form": form,
        "line_form": line_form,
        "lines": lines,
        "total": sum((amounts.gross for _, amounts in lines), money.ZERO),
        "invoices": sale.invoices.order_by("number"),
    }
    return render(request, "billing/sale.html", context)


@require_POST
@permission_required("billing.change_sale", raise_exception=True)
def sale_line_remove(
    request: AuthenticatedHttpRequest, sale_id: int, position: int
) -> HttpResponse:
    sale = _draft_or_404(sale_id)
    try:
        services.sale_line_remove(sale=sale, position=position)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Line removed."))
    return redirect("billing:sale", sale.pk)


@require_POST
@permission_required("billing.add_invoice", raise_exception=True)
def sale_invoice(request: AuthenticatedHttpRequest, sale_id: int) -> HttpResponse:
    """Issue the sale's invoice (two when split)."""
    sale = _draft_or_404(sale_id)
    try:
        invoices = services.sale_issue(sale=sale, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("billing:sale", sale.pk)
    numbers = ", ".join(str(invoice.number) for invoice in invoices)
    messages.success(
        request,
        ngettext("Invoice %(numbers)s issued.", "Invoices %(numbers)s issued.", len(invoices))
        % {"numbers": numbers},
    )
    return redirect("billing:invoice", invoices[0].pk)
