"""CSV export of customers: the list as searched, or all of them.

Rows are read with a server-side cursor in chunks and streamed as they are written, so
memory stays flat however many customers there are (config.spreadsheet adds the BOM and
neutralises formula cells). Which columns appear follows the settings: date of birth,
gender and group only while shown; the extra fields in use; and deleted extra fields that
some customer filled out, only while "Forms – Show deleted spaces" is on. The social
security number is never exported.

The export is logged (who, when, how many rows, which search) before the first row goes.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.utils import timezone

from accounts.models import User
from customers.models import Customer, CustomerExport, CustomerSettings, ExtraField

CHUNK = 2000

Column = tuple[str, Callable[[Customer], Any]]


def _base_columns(settings: CustomerSettings) -> list[Column]:
    columns: list[Column] = [
        ("Customer number", lambda c: c.number),
        ("Type", lambda c: c.get_kind_display()),
        ("First name", lambda c: c.first_name),
        ("Last name", lambda c: c.last_name),
        ("Company name", lambda c: c.company_name),
        ("Email", lambda c: c.email),
        ("Phone", lambda c: c.phone.as_international if c.phone else ""),
        ("Address", lambda c: c.address),
        ("Postal code", lambda c: c.postal_code),
        ("City", lambda c: c.city),
    ]
    if settings.date_of_birth_enabled:
        columns.append(
            ("Date of birth", lambda c: c.date_of_birth.isoformat() if c.date_of_birth else "")
        )
    if settings.gender_enabled:
        columns.append(("Gender", lambda c: c.get_gender_display()))
    if settings.group_selector_enabled:
        columns.append(("Customer group", lambda c: c.group.name if c.group else ""))
    columns += [
        ("Debtor", lambda c: c.debtor.name if c.debtor else ""),
        ("Created", lambda c: timezone.localtime(c.created).strftime("%Y-%m-%d %H:%M")),
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
    return label, lambda c: c.extra_fields.get(field.key, "")


def customer_export(
    *, customers, by: User, query: str = ""
) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and a generator of rows for `customers` (a Customer queryset); the
    export is logged now."""
    settings = CustomerSettings.load()
    columns = _base_columns(settings) + [
        _extra_column(field) for field in exported_extra_fields(settings)
    ]
    customers = customers.select_related("group", "debtor").order_by("number")
    CustomerExport.objects.create(user=by, rows=customers.count(), query=query[:200])

    def rows() -> Iterator[list[Any]]:
        for customer in customers.iterator(chunk_size=CHUNK):
            yield [value(customer) for _, value in columns]

    return [label for label, _ in columns], rows()
