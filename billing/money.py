"""Amounts in Danish kroner: Decimal, two places (øre), rounded half up as on a receipt.

Rules (one place for them):
- a line's net amount is quantity × unit price less its discount, rounded to øre;
- a line's VAT is its net amount × the rate, rounded to øre; an invoice's VAT per rate is
  the sum of its lines' VAT at that rate, and its total the sum of nets and VAT;
- a split (part of a sale to a second debtor) never loses or adds an øre: `split_amounts`
  gives every line's share to the second debtor so that the shares add up to the amount
  asked exactly, and the first debtor has the rest of each line.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def to_ore(amount: Decimal) -> Decimal:
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


def line_amounts(
    quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, vat_rate: Decimal
) -> LineAmounts:
    """The net amount and VAT of one line (vat_rate and discount in per cent)."""
    net = to_ore(quantity * unit_price * (HUNDRED - discount_percent) / HUNDRED)
    return LineAmounts(net=net, vat=to_ore(net * vat_rate / HUNDRED))


def net_and_vat_of_gross(gross: Decimal, vat_rate: Decimal) -> LineAmounts:
    """A gross amount (VAT included) as net and VAT at `vat_rate`."""
    net = to_ore(gross * HUNDRED / (HUNDRED + vat_rate))
    return LineAmounts(net=net, vat=gross - net)


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`total` (in øre) shared out in proportion to `weights`, each share in whole øre,
    the shares adding up to `total` exactly (the largest remainders get the last øre)."""
    whole = sum(weights, ZERO)
    if not weights:
        return []
    if whole == 0:
        return [total if n == 0 else ZERO for n in range(len(weights))]
    exact = [total * weight / whole for weight in weights]
    shares = [share.quantize(ORE, rounding=ROUND_DOWN) for share in exact]
    left = int((total - sum(shares, ZERO)) / ORE)
    by_remainder = sorted(range(len(weights)), key=lambda n: exact[n] - shares[n], reverse=True)
    for n in by_remainder[:left]:
        shares[n] += ORE
    return shares


def split_amounts(
    lines: Sequence[LineAmounts], vat_rates: Sequence[Decimal], second_pays: Decimal
) -> tuple[list[LineAmounts], list[LineAmounts]]:
    """Each line's part for the first and for the second debtor, when the second pays
    `second_pays` (VAT included, at most the sale's total) of the sale. The second
    debtor's share of each line is in proportion to the line's gross amount; each part
    is split into net and VAT at the line's rate, and the first debtor's part is what is
    left of the line, so the two parts of every line add up to the line."""
    gross = [line.gross for line in lines]
    second_gross = allocate(second_pays, gross)
    second = [
        net_and_vat_of_gross(part, rate) for part, rate in zip(second_gross, vat_rates, strict=True)
    ]
    first = [
        LineAmounts(net=line.net - part.net, vat=line.vat - part.vat)
        for line, part in zip(lines, second, strict=True)
    ]
    return first, second
