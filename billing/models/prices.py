"""The clinic's price list: the services and products it sells."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class VatRate(Decimal, models.Choices):
    # Danish health services (treatment by an authorised professional) are VAT-exempt.
    EXEMPT = "0.00", _("0 % (exempt)")
    STANDARD = "25.00", _("25 %")


def vat_rate_field() -> models.DecimalField:
    return models.DecimalField(
        _("VAT rate"), max_digits=4, decimal_places=2, choices=VatRate.choices
    )


def amount_field(verbose_name, **kwargs) -> models.DecimalField:
    """Kroner with øre, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
        **kwargs,
    )


class PriceItem(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", _("Service")
        PRODUCT = "product", _("Product")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    price = amount_field(_("price (DKK)"))
    vat_rate = vat_rate_field()
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("price list item")
        verbose_name_plural = _("price list")
        ordering = ["name", "code"]
        constraints = [
            models.UniqueConstraint(Lower("code"), name="priceitem_code_unique_ci"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="priceitem_price_ok"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
