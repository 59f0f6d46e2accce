"""A category's contacts out as CSV or vCard, and in from CSV.

One column list serves the export and the import, so a file exported here imports back
unchanged. Imported rows are checked by the same form as the pages (ContactForm): a row
with an error is shown with its messages, and nothing is imported from a file with errors
unless the user chooses to skip those rows.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

import vobject
from django.db import transaction

from config.spreadsheet import restore
from contacts.forms import ContactForm
from contacts.models import Contact, ContactCategory

# (CSV header, model field), in file order.
COLUMNS = [
    ("Title", "title"),
    ("First name", "first_name"),
    ("Last name or organisation name", "last_name"),
    ("Organisation", "organisation"),
    ("Description", "description"),
    ("Email", "email"),
    ("Phone", "phone"),
    ("Mobile", "mobile"),
    ("Address", "address"),
    ("Postal code", "postal_code"),
    ("City", "city"),
    ("Notes", "notes"),
]
HEADER = [header for header, _ in COLUMNS]
MAX_IMPORT_ROWS = 5_000


def csv_rows(contacts: Iterable[Contact]) -> Iterable[list[str]]:
    for contact in contacts:
        yield [str(getattr(contact, name) or "") for _, name in COLUMNS]


def vcards(contacts: Iterable[Contact], category: ContactCategory) -> Iterable[str]:
    """vCard 3.0 text, one card per contact (vobject does the escaping and folding)."""
    for contact in contacts:
        card = vobject.vCard()
        card.add("n").value = vobject.vcard.Name(
            family=contact.last_name, given=contact.first_name, prefix=contact.title
        )
        card.add("fn").value = contact.name
        if contact.organisation:
            card.add("org").value = [contact.organisation]
        if contact.description:
            card.add("title").value = contact.description
        if contact.email:
            card.add("email").value = contact.email
        for number, kind in ((contact.phone, "WORK"), (contact.mobile, "CELL")):
            if number:
                phone = card.add("tel")
                phone.value = str(number)
                phone.type_param = kind
        if contact.address or contact.city:
            card.add("adr").value = vobject.vcard.Address(
                street=contact.address, code=contact.postal_code, city=contact.city
            )
        if contact.notes:
            card.add("note").value = contact.notes
        card.add("categories").value = [category.name]
        yield card.serialize()


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(filter(None, (self.values.get("first_name"), self.values.get("last_name"))))


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    file_errors: list[str]

    @property
    def good(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.errors]

    @property
    def bad(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]


def read_csv(text: str) -> ImportPreview:
    """Parse and check a CSV file of contacts (headers as in our export, any order)."""
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if header is None:
        return ImportPreview(rows=[], file_errors=["The file is empty."])
    by_header = {label.casefold(): name for label, name in COLUMNS}
    fields = [by_header.get(restore(label).strip().casefold()) for label in header]
    if "last_name" not in fields:
        return ImportPreview(
            rows=[],
            file_errors=[
                "The first line must name the columns, with at least “Last name or "
                f"organisation name”. Known columns: {', '.join(HEADER)}."
            ],
        )
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == MAX_IMPORT_ROWS:
            return ImportPreview(
                rows=[], file_errors=[f"Import at most {MAX_IMPORT_ROWS} contacts at a time."]
            )
        values = {
            name: restore(cell).strip()
            for name, cell in zip(fields, cells, strict=False)
            if name is not None
        }
        form = ContactForm(data=values)
        errors = [] if form.is_valid() else _messages(form)
        rows.append(ImportRow(line=line, values=values, errors=errors))
    if not rows:
        return ImportPreview(rows=[], file_errors=["The file holds no contacts."])
    return ImportPreview(rows=rows, file_errors=[])


def _messages(form: ContactForm) -> list[str]:
    messages = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.extend(f"{label}: {error}" if label else error for error in errors)
    return messages


@transaction.atomic
def import_rows(*, category: ContactCategory, rows: list[ImportRow]) -> int:
    """Create the contacts of these (checked) rows in the category; returns how many."""
    for row in rows:
        form = ContactForm(data=row.values, instance=Contact(category=category))
        form.is_valid()
        form.save()
    return len(rows)
