"""billing.money: line amounts, VAT and splits, in Decimal to the øre."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from billing import money


def test_a_line_is_quantity_times_price_less_discount_rounded_to_the_ore():
    line = money.line_amounts(Decimal("3"), Decimal("333.33"), Decimal("10"), Decimal("25.00"))
    assert line.net == Decimal("899.99")  # 899.991
    assert line.vat == Decimal("225.00")  # 224.9975
    assert line.gross == Decimal("1124.99")


def test_a_vat_exempt_line_has_no_vat():
    line = money.line_amounts(Decimal("1"), Decimal("650.00"), Decimal("0"), Decimal("0.00"))
    assert (line.net, line.vat) == (Decimal("650.00"), Decimal("0.00"))


def test_allocation_gives_the_last_ore_to_the_largest_remainders():
    assert money.allocate(Decimal("100.00"), [Decimal(1)] * 3) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("20000"), places=2)
rates = st.sampled_from([Decimal("0.00"), Decimal("25.00")])


@given(
    lines=st.lists(
        st.tuples(
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("20"), places=2),
            amounts,
            st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2),
            rates,
        ),
        min_size=1,
        max_size=8,
    ),
    fraction=st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=4),
)
def test_a_split_never_loses_or_adds_an_ore(lines, fraction):
    amounts_ = [money.line_amounts(*line) for line in lines]
    vat_rates = [line[3] for line in lines]
    total = sum((amount.gross for amount in amounts_), money.ZERO)
    second_pays = money.to_ore(total * fraction)
    first, second = money.split_amounts(amounts_, vat_rates, second_pays)
    assert sum((part.gross for part in second), money.ZERO) == second_pays
    for line, a, b in zip(amounts_, first, second, strict=True):
        assert a.net + b.net == line.net
        assert a.vat + b.vat == line.vat
    for part, rate in zip(second, vat_rates, strict=True):
        # each part's VAT is its rate of its net, to the øre
        assert abs(part.vat - part.net * rate / 100) <= Decimal("0.01")
