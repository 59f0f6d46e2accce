"""Issuing a sale's invoices, crediting them, registering payments.

Each raises ValidationError with a code (and params) when a rule refuses; nothing is
written then. Amounts are computed by billing.money.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from billing import money
from billing.models import Invoice, InvoiceLine, InvoiceNumbering, Payment, Sale
from debtors.models import Debtor


def _next_number() -> int:
    """The series' next number, taken under the numbering row's lock: a concurrent issue
    waits for this transaction, and a rollback gives the number back."""
    numbering, _ = InvoiceNumbering.objects.select_for_update().get_or_create(id=1)
    number = numbering.next_number
    numbering.next_number = number + 1
    numbering.save(update_fields=["next_number"])
    return number


def _issue(
    *,
    kind: str,
    customer,
    debtor: Debtor,
    lines: list[dict],
    by: User,
    issued_on: datetime.date,
    sale: Sale | None = None,
    credits: Invoice | None = None,
    reason: str = "",
) -> Invoice:
    net = sum((line["net"] for line in lines), money.ZERO)
    vat = sum((line["vat"] for line in lines), money.ZERO)
    invoice = Invoice.objects.create(
        number=_next_number(),
        kind=kind,
        credits=credits,
        sale=sale,
        customer=customer,
        debtor=debtor,
        debtor_name=debtor.name,
        debtor_address=debtor.address,
        debtor_postal_code=debtor.postal_code,
        debtor_city=debtor.city,
        debtor_vat_number=debtor.vat_number,
        debtor_ean=debtor.ean,
        debtor_email=debtor.email,
        issued_on=issued_on,
        due_on=issued_on + datetime.timedelta(days=debtor.payment_terms_days),
        net_total=net,
        vat_total=vat,
        total=net + vat,
        reason=reason,
        created_by=by,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(invoice=invoice, position=position, **line)
        for position, line in enumerate(lines, start=1)
    )
    return invoice


def sale_total(sale: Sale) -> Decimal:
    """What the sale comes to, VAT included."""
    return sum(
        (
            money.line_amounts(
                line.quantity, line.unit_price, line.discount_percent, line.vat_rate
            ).gross
            for line in sale.lines.all()
        ),
        money.ZERO,
    )


def sale_issue(*, sale: Sale, by: User, issued_on: datetime.date | None = None) -> list[Invoice]:
    """Issue the sale's invoice: one to its debtor, or, when split, one to each debtor,
    the second for its amount or percentage of the total (the two add up to the sale to
    the øre). The sale cannot be issued twice."""
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        sale = (
            Sale.objects.select_for_update(of=("self",))
            .select_related("debtor", "second_debtor")
            .get(pk=sale.pk)
        )
        if sale.issued is not None:
            raise ValidationError(_("This sale is already invoiced."), code="already_issued")
        if sale.debtor is None:
            raise ValidationError(
                {
                    "debtor": ValidationError(
                        _("Choose who pays before invoicing."), code="no_debtor"
                    )
                }
            )
        sale_lines = list(sale.lines.order_by("position"))
        if not sale_lines:
            raise ValidationError(_("Add at least one line before invoicing."), code="no_lines")
        amounts = [
            money.line_amounts(line.quantity, line.unit_price, line.discount_percent, line.vat_rate)
            for line in sale_lines
        ]
        total = sum((amount.gross for amount in amounts), money.ZERO)
        parts: list[tuple[Debtor, list[money.LineAmounts]]] = [(sale.debtor, amounts)]
        if sale.split and sale.second_debtor and sale.split_value is not None:
            second_pays = (
                sale.split_value
                if sale.split == Sale.Split.AMOUNT
                else money.to_ore(total * sale.split_value / money.HUNDRED)
            )
            if second_pays > total:
                message = _("The second debtor cannot pay more than the sale's total, %(total)s.")
                raise ValidationError(
                    {
                        "split_value": ValidationError(
                            message, code="split_too_large", params={"total": total}
                        )
                    }
                )
            first, second = money.split_amounts(
                amounts, [line.vat_rate for line in sale_lines], second_pays
            )
            parts = [(sale.debtor, first), (sale.second_debtor, second)]
        invoices = []
        for debtor, shares in parts:
            lines = [
                {
                    "description": line.description,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "discount_percent": line.discount_percent,
                    "vat_rate": line.vat_rate,
                    "net": share.net,
                    "vat": share.vat,
                }
                for line, share in zip(sale_lines, shares, strict=True)
            ]
            invoices.append(
                _issue(
                    kind=Invoice.Kind.INVOICE,
                    customer=sale.customer,
                    debtor=debtor,
                    lines=lines,
                    by=by,
                    issued_on=issued_on,
                    sale=sale,
                )
            )
        sale.issued = timezone.now()
        sale.save(update_fields=["issued"])
    return invoices


def invoice_credit(
    *,
    invoice: Invoice,
    by: User,
    reason: str,
    lines: dict[int, Decimal] | None = None,
    issued_on: datetime.date | None = None,
) -> Invoice:
    """A credit note cancelling `invoice` wholly (`lines` None) or the given quantity of
    some of its lines ({position: quantity}). What was credited before cannot be credited
    again."""
    issued_on = issued_on or timezone.localdate()
    if not reason.strip():
        raise ValidationError(
            {"reason": ValidationError(_("Say why the invoice is credited."), code="no_reason")}
        )
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("debtor")
            .get(pk=invoice.pk)
        )
        if invoice.kind != Invoice.Kind.INVOICE:
            raise ValidationError(_("A credit note cannot be credited."), code="credit_of_credit")
        credited: defaultdict[int | None, Decimal] = defaultdict(lambda: money.ZERO)
        for line in InvoiceLine.objects.filter(invoice__credits=invoice):
            credited[line.credits_line_id] += -line.quantity
        credit_lines = []
        for line in invoice.lines.order_by("position"):
            left = line.quantity - credited[line.pk]
            quantity = left if lines is None else lines.get(line.position, money.ZERO)
            if quantity == 0:
                continue
            if quantity < 0 or quantity > left:
                raise ValidationError(
                    _("Line %(position)s can be credited for at most %(left)s."),
                    code="over_credit",
                    params={"position": line.position, "left": left},
                )
            share = quantity / line.quantity
            net = money.to_ore(line.net * share)
            credit_lines.append(
                {
                    "credits_line": line,
                    "description": line.description,
                    "quantity": -quantity,
                    "unit_price": line.unit_price,
                    "discount_percent": line.discount_percent,
                    "vat_rate": line.vat_rate,
                    "net": -net,
                    "vat": -money.to_ore(line.vat * share),
                }
            )
        if not credit_lines:
            raise ValidationError(_("Nothing is left to credit."), code="nothing_to_credit")
        return _issue(
            kind=Invoice.Kind.CREDIT_NOTE,
            customer=invoice.customer,
            debtor=invoice.debtor,
            lines=credit_lines,
            by=by,
            issued_on=issued_on,
            sale=invoice.sale,
            credits=invoice,
            reason=reason,
        )


def payment_register(
    *,
    invoice: Invoice,
    amount: Decimal,
    paid_on: datetime.date,
    method: str,
    by: User,
) -> Payment:
    """A payment of all or part of what is still owed on `invoice`."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        owed = Invoice.objects.with_open_amount().get(pk=invoice.pk).open_amount
        if invoice.kind != Invoice.Kind.INVOICE:
            raise ValidationError(
                _("Payments are registered on invoices, not credit notes."), code="not_invoice"
            )
        if amount > owed:
            message = _("Only %(owed)s is owed on this invoice.")
            raise ValidationError(
                {"amount": ValidationError(message, code="overpaid", params={"owed": owed})}
            )
        payment = Payment(invoice=invoice, amount=amount, paid_on=paid_on, method=method)
        payment.registered_by = by
        payment.full_clean()
        payment.save()
    return payment
