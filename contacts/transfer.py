"""A category's contacts out as CSV or vCard, and in from CSV.

One column list serves the export and the import, so a file exported here imports back
unchanged. Imported rows are checked by the same form as the pages (ContactForm): a row
with an error is shown with its messages, and nothing is imported from a file with errors
unless the user chooses to skip those rows. A file that cannot be read as a whole (no
header, broken quoting, a cell too long, too many rows) is refused with a ValidationError
for the file field, before any row is checked.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import vobject
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, ngettext

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

    @property
    def good(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.errors]

    @property
    def bad(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]


def read_csv(text: str) -> ImportPreview:
    """Parse and check a CSV file of contacts (headers as in our export, any order).

    Raises ValidationError, for the file field, when the file as a whole cannot be
    imported; nothing is checked row by row then."""
    text = text.lstrip("\ufeff")
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is guessed: quoting is always the spreadsheets' own (a doubled
    # quotation mark inside quotes), and strict, so a stray or unclosed quotation mark
    # is an error to show, not a guess that merges the rest of the file into one cell.
    reader = csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter, strict=True)
    records = _records(reader)
    _, header = next(records, (1, None))
    if header is None:
        raise ValidationError(gettext("The file is empty."), code="empty")
    by_header = {label.casefold(): name for label, name in COLUMNS}
    fields = [by_header.get(restore(label).strip().casefold()) for label in header]
    if "last_name" not in fields:
        raise ValidationError(
            gettext(
                "The first line must name the columns, with at least “Last name or "
                "organisation name”. Known columns: %(columns)s."
            ),
            code="no_header",
            params={"columns": ", ".join(HEADER)},
        )
    rows: list = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == MAX_IMPORT_ROWS:
            raise ValidationError(
                ngettext(
                    "The file holds more than %(max)d contact; import at most %(max)d at a time.",
                    "The file holds more than %(max)d contacts; import at most %(max)d at a time.",
                    MAX_IMPORT_ROWS,
                ),
                code="too_many_rows",
                params={"max": MAX_IMPORT_ROWS},
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
        raise ValidationError(gettext("The file holds no contacts."), code="no_rows")
    return ImportPreview(rows=rows)


def _records(reader) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) of each record; a record the csv module
    cannot read becomes a ValidationError that names its line."""
    while True:
        line = reader.line_num + 1  # a quoted cell may span lines: count from its start
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field limit" in str(error):
                raise ValidationError(
                    gettext(
                        "Line %(line)d has a cell longer than %(limit)d characters, more than "
                        "any contact field holds. Nothing was imported."
                    ),
                    code="cell_too_long",
                    params={"line": line, "limit": csv.field_size_limit()},
                ) from None
            raise ValidationError(
                gettext(
                    "Line %(line)d cannot be read: a quotation mark is not closed, or text "
                    "follows a closing one. Save the file as CSV from your spreadsheet again. "
                    "Nothing was imported."
                ),
                code="broken_quoting",
                params={"line": line},
            ) from None
        yield line, cells


def _messages(form: ContactForm) -> list[str]:
    messages: list = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.extend(f"{label}: {error}" if label else error for error in errors)
    return messages


@transaction.atomic
def import_rows(*, category: ContactCategory, rows: list[ImportRow]) -> int:
    """Create the contacts of these (checked) rows in the category; returns how many.

    One INSERT for the file (bulk_create): the directory's statement-level triggers
    (category counts, search words) then run once for the import, not once per row."""
    contacts = []
    for row in rows:
        form = ContactForm(data=row.values, instance=Contact(category=category))
        form.is_valid()
        contacts.append(form.save(commit=False))
    Contact.objects.bulk_create(contacts)
    return len(contacts)
