"""CSV export of customers: the list as searched, or all of them.

Rows are read with a server-side cursor in chunks and streamed as they are written, so
memory stays flat however many customers there are (config.spreadsheet adds the BOM and
neutralises formula cells). Which columns appear follows the settings: date of birth,
gender and group only while shown; the extra fields in use; and deleted extra fields that
some customer filled out, only while "Forms – Show deleted spaces" is on. The social
security number is never exported.

The export is logged (who, when, how many rows, which search) before the first row goes.
A search by social security number is logged masked, beside its blind index: the log
says which export it was without holding the number (customers.ssn_search).
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import User
from config import crypto
from config.streaming import stream
from customers import ssn_search
from customers.models import Customer, CustomerExport, CustomerSettings, ExtraField

CHUNK = 2000

# (header, the value in the row read by `values()`, as a cell)
Column = tuple[str, Callable[[dict[str, Any]], Any]]
# What a row is read with: plain values, no model instances and no phone number parsing,
# which made up most of the time per row.
ROW_FIELDS = [
    "number", "kind", "first_name", "last_name", "company_name", "email", "phone_text",
    "address", "postal_code", "city", "date_of_birth", "gender", "group__name",
    "debtor__name", "created", "extra_fields",
]  # fmt: skip
KINDS = dict(Customer.Kind.choices)
GENDERS = dict(Customer.Gender.choices)


def _text(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row[name] or ""


def _base_columns(settings: CustomerSettings) -> list[Column]:
    clinic_time = timezone.get_current_timezone()  # the clinic's (TIME_ZONE)
    columns: list[Column] = [
        ("Customer number", lambda row: row["number"]),
        ("Type", lambda row: KINDS.get(row["kind"], row["kind"])),
        ("First name", _text("first_name")),
        ("Last name", _text("last_name")),
        ("Company name", _text("company_name")),
        ("Email", _text("email")),
        # As stored: international format (E.164), which every spreadsheet keeps intact.
        ("Phone", _text("phone_text")),
        ("Address", _text("address")),
        ("Postal code", _text("postal_code")),
        ("City", _text("city")),
    ]
    if settings.date_of_birth_enabled:
        columns.append(("Date of birth", _text("date_of_birth")))
    if settings.gender_enabled:
        columns.append(("Gender", lambda row: GENDERS.get(row["gender"], "")))
    if settings.group_selector_enabled:
        columns.append(("Customer group", _text("group__name")))
    columns += [
        ("Debtor", _text("debtor__name")),
        ("Created", lambda row: row["created"].astimezone(clinic_time).strftime("%Y-%m-%d %H:%M")),
    ]
    return columns


def exported_extra_fields(settings: CustomerSettings) -> list[ExtraField]:
    """The extra fields in use, then (with "Show deleted spaces") deleted ones someone
    filled out."""
    fields = list(ExtraField.objects.in_use())
    if settings.forms_show_deleted_fields:
        deleted = ExtraField.objects.filter(deleted__isnull=False).order_by("position", "id")
        fields += [
            field
            for field in deleted
            if Customer.objects.filter(extra_fields__has_key=field.key).exists()
        ]
    return fields


def _extra_column(field: ExtraField) -> Column:
    label = field.label if field.deleted is None else f"{field.label} (deleted field)"
    return label, lambda row: row["extra_fields"].get(field.key, "")


def customer_export(
    *, customers, by: User, query: str = "", ssn_index: bytes | None = None
) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and a generator of rows for `customers` (a Customer queryset), found by
    the search `query` or by the SSN with blind index `ssn_index`; the export is logged now."""
    settings = CustomerSettings.load()
    columns = _base_columns(settings) + [
        _extra_column(field) for field in exported_extra_fields(settings)
    ]
    customers = customers.order_by("number")
    if ssn_search.looks_like_ssn(query):
        # Searched as digits (the SSN field is off), but perhaps someone's SSN all the same.
        query, ssn_index = "", crypto.blind_index(query)
    CustomerExport.objects.create(
        user=by,
        rows=customers.count(),
        query=ssn_search.MASKED_SSN if ssn_index is not None else query[:200],
        ssn_index=ssn_index,
    )

    def rows() -> Iterator[list[Any]]:
        # The phone as its stored text: the field's converter would parse every number.
        plain = customers.annotate(phone_text=Cast("phone", output_field=CharField()))
        for row in stream(plain.values(*ROW_FIELDS), chunk_size=CHUNK):
            yield [value(row) for _, value in columns]

    return [label for label, _ in columns], rows()
