"""Stored phone numbers read without the parser (config/phones.py) are the numbers the
parser reads, and show the same."""

import phonenumbers
import pytest
from phonenumber_field.phonenumber import to_python

from config.phones import from_e164
from customers.models import Customer
from tests.factories import CustomerFactory


def _example_numbers() -> list[str]:
    numbers = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                numbers.append(
                    phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
                )
    # Italian leading zeros, an unassigned number, the smallest and longest E.164 numbers.
    return [*numbers, "+390236618300", "+3900012345", "+4520000274", "+12", "+999999999999999"]


@pytest.mark.parametrize("stored", _example_numbers())
def test_a_stored_number_is_the_number_the_parser_reads(stored):
    parsed = to_python(stored)  # what PhoneNumberField reads
    read = from_e164(stored)
    if read is None:  # left to the parser
        return
    assert (read.country_code, read.national_number) == (
        parsed.country_code,
        parsed.national_number,
    )
    assert read.italian_leading_zero == parsed.italian_leading_zero
    assert read.number_of_leading_zeros == parsed.number_of_leading_zeros
    assert read.as_international == parsed.as_international
    assert read == parsed and str(read) == str(parsed) and bool(read)


def test_nearly_every_example_number_skips_the_parser():
    numbers = _example_numbers()
    assert sum(from_e164(number) is not None for number in numbers) > 0.95 * len(numbers)


@pytest.mark.parametrize("stored", ["", "4520304050", "+45 20 30 40 50", "+0123", "tel:+4520"])
def test_what_is_not_plain_e164_goes_to_the_parser(stored):
    assert from_e164(stored) is None


@pytest.mark.django_db
def test_a_customers_phone_reads_back_formatted(client_for, receptionist):
    customer = CustomerFactory(phone="+4520304050")
    phone = Customer.objects.get(pk=customer.pk).phone
    assert phone.as_international == "+45 20 30 40 50"
    assert phone == "+4520304050"
    content = client_for(receptionist).get("/customers/").content.decode()
    assert "+45 20 30 40 50" in content
