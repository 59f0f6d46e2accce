"""Validation of the numbers on a debtor."""

from django.core.exceptions import ValidationError
from stdnum import ean


def validate_ean(value: str) -> None:
    """An EAN/GLN location number: 13 digits whose last is the GS1 check digit."""
    if len(value) != 13 or not value.isdigit():
        raise ValidationError("An EAN/GLN number has 13 digits.", code="ean_length")
    if not ean.is_valid(value):
        raise ValidationError(
            "This EAN/GLN number is mistyped: its check digit does not match.",
            code="ean_check_digit",
        )
