"""A sale at the cash register: what a customer had, for whom it is invoiced.

A sale is drafted (lines added and changed) and then issued once (billing.services.
sale_issue), which turns it into one invoice, or two when it is split with a second debtor.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.models.prices import PriceItem, amount_field, vat_rate_field


class Sale(models.Model):
    class Split(models.TextChoices):
        NONE = "", _("Not split")
        AMOUNT = "amount", _("An amount")
        PERCENTAGE = "percentage", _("A percentage")

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="sales"
    )
    reservation = models.ForeignKey(
        "customers.Reservation",
        on_delete=models.SET_NULL,
        related_name="sales",
        null=True,
        blank=True,
    )
    therapist = models.ForeignKey(
        "customers.Calendar",
        on_delete=models.PROTECT,
        related_name="sales",
        null=True,
        blank=True,
        verbose_name=_("therapist"),
    )
    debtor = models.ForeignKey(
        "debtors.Debtor",
        on_delete=models.PROTECT,
        related_name="sales",
        null=True,
        blank=True,
        verbose_name=_("debtor"),
    )
    # "Split invoice": the second debtor pays an amount (VAT included) or a percentage.
    split = models.CharField(_("split"), max_length=10, choices=Split.choices, blank=True)
    second_debtor = models.ForeignKey(
        "debtors.Debtor",
        on_delete=models.PROTECT,
        related_name="second_sales",
        null=True,
        blank=True,
        verbose_name=_("second debtor"),
    )
    split_value = models.DecimalField(
        _("second debtor pays"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    issued = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        indexes = [models.Index(fields=["customer", "created", "id"], name="sale_customer_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(split="")
                | (models.Q(second_debtor__isnull=False) & models.Q(split_value__isnull=False)),
                name="sale_split_complete",
            ),
            models.CheckConstraint(
                condition=~models.Q(split="percentage") | models.Q(split_value__lte=100),
                name="sale_split_percentage_ok",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.created:%Y-%m-%d}"


def quantity_field() -> models.DecimalField:
    return models.DecimalField(
        _("quantity"),
        max_digits=9,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )


def discount_field() -> models.DecimalField:
    return models.DecimalField(
        _("discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )


class SaleLine(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    item = models.ForeignKey(
        PriceItem, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = quantity_field()
    unit_price = amount_field(_("price (DKK)"))
    discount_percent = discount_field()
    vat_rate = vat_rate_field()

    class Meta:
        ordering = ["sale", "position"]
        permissions = [("change_price", "Can change the price of a line at the cash register")]
        constraints = [
            models.UniqueConstraint(fields=["sale", "position"], name="saleline_position_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="saleline_quantity_ok"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="saleline_price_ok"),
            models.CheckConstraint(
                condition=models.Q(discount_percent__gte=0, discount_percent__lte=100),
                name="saleline_discount_ok",
            ),
        ]

    def __str__(self) -> str:
        return self.description
