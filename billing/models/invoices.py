"""Invoices and credit notes, numbered in one unbroken series, never changed once issued.

Danish bookkeeping rules ask for consecutive invoice numbers and for an issued invoice to
stay as it was: a mistake is corrected by a credit note (its own number in the same
series) that cancels all or part of it. The database itself refuses to update or delete
an invoice or its lines (pgtrigger.Protect, below); billing.services issues them, takes
the next number under a row lock (so concurrent issuing leaves no gap: a rolled-back
issue gives its number back), and copies the debtor's name, address, VAT number and EAN
onto the invoice as they were that day.

Amounts follow billing.money; a credit note's quantities and amounts are negative, so the
sum of an invoice and its credit notes is what is still owed before payments.
"""

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from billing.models.prices import vat_rate_field
from billing.models.sales import Sale, discount_field


def _signed_amount(verbose_name) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2)


class InvoiceNumbering(models.Model):
    """The series' next number (one row). A clinic moving to Kartotek may start where its
    old system stopped, before the first invoice is issued."""

    next_number = models.PositiveBigIntegerField(_("next invoice number"), default=1)

    class Meta:
        verbose_name = _("invoice numbering")
        verbose_name_plural = _("invoice numbering")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="numbering_one_row")]

    def __str__(self) -> str:
        return str(self.next_number)


class InvoiceQuerySet(models.QuerySet):
    def with_open_amount(self) -> "InvoiceQuerySet":
        """Annotate `open_amount`: the total, less credit notes and payments."""
        credited = (
            Invoice.objects.filter(credits=models.OuterRef("pk"))
            .order_by()
            .values("credits")
            .annotate(sum=Sum("total"))
            .values("sum")
        )
        paid = (
            Payment.objects.filter(invoice=models.OuterRef("pk"))
            .order_by()
            .values("invoice")
            .annotate(sum=Sum("amount"))
            .values("sum")
        )
        zero = models.Value(Decimal("0.00"))
        return self.annotate(
            open_amount=models.F("total")
            + models.functions.Coalesce(models.Subquery(credited), zero)
            - models.functions.Coalesce(models.Subquery(paid), zero)
        )


class Invoice(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    number = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, editable=False)
    credits = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="credit_notes",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("credits invoice"),
    )
    sale = models.ForeignKey(
        Sale, on_delete=models.PROTECT, related_name="invoices", null=True, editable=False
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="invoices", editable=False
    )
    debtor = models.ForeignKey(
        "debtors.Debtor", on_delete=models.PROTECT, related_name="invoices", editable=False
    )
    # The debtor as on the day of issue.
    debtor_name = models.CharField(max_length=200, editable=False)
    debtor_address = models.CharField(max_length=200, blank=True, editable=False)
    debtor_postal_code = models.CharField(max_length=20, blank=True, editable=False)
    debtor_city = models.CharField(max_length=100, blank=True, editable=False)
    debtor_vat_number = models.CharField(max_length=30, blank=True, editable=False)
    debtor_ean = models.CharField(max_length=13, blank=True, editable=False)
    debtor_email = models.EmailField(blank=True, editable=False)
    issued_on = models.DateField(_("date"), editable=False)
    due_on = models.DateField(_("due date"), editable=False)
    net_total = _signed_amount(_("amount before VAT"))
    vat_total = _signed_amount(_("VAT"))
    total = _signed_amount(_("total"))
    reason = models.CharField(_("reason"), max_length=500, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-number"]
        indexes = [
            models.Index(fields=["customer", "number"], name="invoice_customer_order"),
            models.Index(fields=["debtor", "number"], name="invoice_debtor_order"),
            models.Index(fields=["due_on", "number"], name="invoice_due_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="invoice", credits__isnull=True)
                | models.Q(kind="credit_note", credits__isnull=False),
                name="invoice_credit_note_credits_one",
            ),
            models.CheckConstraint(
                condition=models.Q(total=models.F("net_total") + models.F("vat_total")),
                name="invoice_total_adds_up",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="invoice_never_changes", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField()
    # On a credit note: the invoice's line it cancels (all or part of its quantity).
    credits_line = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="credited_by", null=True, blank=True
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=2)
    unit_price = _signed_amount(_("price (DKK)"))
    discount_percent = discount_field()
    vat_rate = vat_rate_field()
    net = _signed_amount(_("amount before VAT"))
    vat = _signed_amount(_("VAT"))

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "position"], name="invoiceline_position_unique"
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="invoiceline_never_changes", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return self.description


class Payment(models.Model):
    class Method(models.TextChoices):
        BANK_TRANSFER = "bank", _("Bank transfer")
        CARD = "card", _("Card")
        MOBILEPAY = "mobilepay", _("MobilePay")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["invoice", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_ok")
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.paid_on}"
