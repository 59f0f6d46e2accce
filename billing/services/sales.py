"""The cash register: a sale is started for a customer (from one of their reservations or
from scratch), its lines and who pays are set, and it is then issued (services.invoices).

Preselected when a sale starts: the therapist of the reservation, else the customer's
primary therapist; the customer's debtor; with the "secondary debtor" setting on, the
customer's secondary debtor for a split. A line's price comes from the price list; changing
it needs the billing.change_price permission. Nothing changes once the sale is issued.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from billing.models import PriceItem, Sale, SaleLine
from customers.models import Calendar, Customer, CustomerSettings, Reservation
from debtors.models import Debtor

CHANGE_PRICE = "billing.change_price"


def _locked_draft(sale: Sale) -> Sale:
    sale = Sale.objects.select_for_update().get(pk=sale.pk)
    if sale.issued is not None:
        raise ValidationError(
            _("This sale is invoiced: it can no longer be changed."), code="already_issued"
        )
    return sale


def second_debtors(settings: CustomerSettings):
    """The debtors a split may name: any, or those of the secondary debtor group."""
    debtors = Debtor.objects.filter(active=True)
    if settings.secondary_debtor_group_id:
        debtors = debtors.filter(group_id=settings.secondary_debtor_group_id)
    return debtors


@transaction.atomic
def sale_start(*, customer: Customer, by: User, reservation: Reservation | None = None) -> Sale:
    """A draft sale with what can be preselected; from a reservation, also a line for its
    service when the price list has a service of that name."""
    if reservation is not None and reservation.customer_id != customer.pk:
        raise ValidationError(
            _("That reservation is another customer's."), code="other_customers_reservation"
        )
    settings = CustomerSettings.load()
    therapist = reservation.calendar if reservation and reservation.calendar_id else None
    sale = Sale.objects.create(
        customer=customer,
        reservation=reservation,
        therapist=therapist or customer.primary_therapist,
        debtor=customer.debtor,
        second_debtor=customer.secondary_debtor if settings.secondary_debtor_enabled else None,
        created_by=by,
    )
    if reservation is not None:
        item = PriceItem.objects.filter(
            active=True, kind=PriceItem.Kind.SERVICE, name__iexact=reservation.service.strip()
        ).first()
        if item is not None:
            _add_line(sale, item=item, quantity=Decimal(1), discount_percent=Decimal(0))
    return sale


@transaction.atomic
def sale_update(
    *,
    sale: Sale,
    therapist: Calendar | None,
    debtor: Debtor | None,
    split: str = "",
    second_debtor: Debtor | None = None,
    split_value: Decimal | None = None,
) -> Sale:
    """Who treated and who pays; a split names the second debtor and its amount or
    percentage, and only while the secondary debtor setting is on."""
    sale = _locked_draft(sale)
    settings = CustomerSettings.load()
    errors: dict[str, ValidationError] = {}
    if split:
        if not settings.secondary_debtor_enabled:
            errors["split"] = ValidationError(
                _("Split invoices need the secondary debtor setting."), code="split_off"
            )
        if second_debtor is None:
            errors["second_debtor"] = ValidationError(
                _("Choose who pays the other part."), code="no_second_debtor"
            )
        elif not second_debtors(settings).filter(pk=second_debtor.pk).exists():
            errors["second_debtor"] = ValidationError(
                _("The second debtor must be an active debtor of the group %(group)s."),
                code="second_debtor_group",
                params={"group": settings.secondary_debtor_group},
            )
        elif debtor is not None and second_debtor.pk == debtor.pk:
            errors["second_debtor"] = ValidationError(
                _("The second debtor must be another debtor."), code="same_debtor"
            )
        if split_value is None:
            errors["split_value"] = ValidationError(
                _("Enter what the second debtor pays."), code="no_split_value"
            )
        elif split == Sale.Split.PERCENTAGE and split_value > 100:
            errors["split_value"] = ValidationError(
                _("A percentage is at most 100."), code="split_too_large"
            )
    if errors:
        raise ValidationError(errors)
    sale.therapist, sale.debtor, sale.split = therapist, debtor, split
    sale.second_debtor = second_debtor if split else sale.second_debtor
    sale.split_value = split_value if split else None
    sale.save(update_fields=["therapist", "debtor", "split", "second_debtor", "split_value"])
    return sale


def _add_line(
    sale: Sale,
    *,
    item: PriceItem,
    quantity: Decimal,
    discount_percent: Decimal,
    unit_price: Decimal | None = None,
) -> SaleLine:
    position = (sale.lines.aggregate(last=Max("position"))["last"] or 0) + 1
    line = SaleLine(
        sale=sale,
        position=position,
        item=item,
        description=item.name,
        quantity=quantity,
        unit_price=item.price if unit_price is None else unit_price,
        discount_percent=discount_percent,
        vat_rate=item.vat_rate,
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def sale_line_add(
    *,
    sale: Sale,
    item: PriceItem,
    quantity: Decimal,
    discount_percent: Decimal,
    by: User,
    unit_price: Decimal | None = None,
) -> SaleLine:
    """A line of a service or product of the price list, at its price unless the user may
    change prices."""
    sale = _locked_draft(sale)
    if not item.active:
        raise ValidationError(
            {"item": ValidationError(_("That item is no longer sold."), code="inactive_item")}
        )
    if unit_price is not None and unit_price != item.price and not by.has_perm(CHANGE_PRICE):
        raise ValidationError(
            {
                "unit_price": ValidationError(
                    _("You may not change prices: the price list's is %(price)s."),
                    code="price_locked",
                    params={"price": item.price},
                )
            }
        )
    return _add_line(
        sale, item=item, quantity=quantity, discount_percent=discount_percent, unit_price=unit_price
    )


@transaction.atomic
def sale_line_remove(*, sale: Sale, position: int) -> None:
    sale = _locked_draft(sale)
    sale.lines.filter(position=position).delete()
