"""Phone numbers read back from the database without being parsed and validated again.

django-phonenumber-field parses every stored number with phonenumbers.parse() as a row
is read (about 15 µs here), and validates it again each time a template asks whether
there is one (`{% if customer.phone %}` goes through `__len__`, `str()` and
`is_valid()`): on a list of 50 customers that cost more than formatting the numbers.
A stored number is E.164 ("+4520304050"), whose country code needs no parsing, so
StoredPhoneNumberField builds the number from its digits, keeps the slow path for
anything else, and its numbers are true when stored, as they were before. What a page
shows (`as_international`) is formatted by phonenumbers as before.
"""

import re

import phonenumbers
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber

_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
# E.164 country codes are prefix-free, one to three digits.
_COUNTRY_CODES = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


class StoredPhoneNumber(PhoneNumber):
    """A number as stored: it is there, whether or not it is still a valid number."""

    def __bool__(self) -> bool:
        return bool(self.raw_input)


def from_e164(value: str) -> PhoneNumber | None:
    """The number `value` (E.164) as phonenumbers.parse() reads it, without parsing it;
    None when it is not plain E.164 with a known country code (then parse it)."""
    if not _E164.fullmatch(value):
        return None
    for length in (1, 2, 3):
        country_code = int(value[1 : 1 + length])
        if country_code in _COUNTRY_CODES:
            break
    else:
        return None
    national = value[1 + length :]
    if len(national) < 2:
        return None  # too short for the parser (its _MIN_LENGTH_FOR_NSN)
    number = StoredPhoneNumber(
        country_code=country_code,
        national_number=int(national),
        raw_input=value,
        country_code_source=phonenumbers.CountryCodeSource.FROM_NUMBER_WITH_PLUS_SIGN,
    )
    # As phonenumbers.parse() keeps them (Italian numbers begin with a significant 0).
    if len(national) > 1 and national[0] == "0":
        number.italian_leading_zero = True
        zeros = len(national) - len(national.lstrip("0"))
        zeros = min(zeros, len(national) - 1)
        if zeros > 1:
            number.number_of_leading_zeros = zeros
    # Only a number that reads back as stored skips the parser (a national prefix
    # written after the country code is stripped by parse(); leave that to it).
    if phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) != value:
        return None
    return number


class StoredPhoneNumberField(PhoneNumberField):
    """PhoneNumberField whose stored numbers are read without the parser (from_e164).
    The column and the migrations are PhoneNumberField's."""

    def from_db_value(self, value, expression, connection):
        if value:
            number = from_e164(value)
            if number is not None:
                return number
        return super().from_db_value(value, expression, connection)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "phonenumber_field.modelfields.PhoneNumberField", args, kwargs
