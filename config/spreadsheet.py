"""CSV files in and out: the one place that makes cells safe for spreadsheets.

Every export goes through `csv_response`, so every cell passes `neutralise`: a cell that
begins with =, +, -, @, a tab, a carriage return or NUL would be run as a formula by a
spreadsheet ("=HYPERLINK(...)" exfiltrating data), so it gets a leading apostrophe. A cell
that is only a number or a phone number (digits, spaces, one leading sign, one decimal
separator: -5, +45 20 12 34 56, -7,5) cannot carry a formula and stays as it is, so phone
numbers arrive as typed. Imports undo the apostrophe with `restore`.
"""

import csv
import re
from collections.abc import Iterable

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
# Digits (spaces between them), one leading sign, one decimal separator: nothing a
# spreadsheet could run, however it reads it.
PLAIN_NUMBER = re.compile(r"[+-]?\d(?:[\d ]*\d)?(?:[.,]\d+)?", re.ASCII)
ROWS_PER_CHUNK = 250


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The cell as it was before `neutralise` (for files we exported and get back)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class _Echo:
    """A file-like object whose write() returns what it is given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Stream a CSV download: UTF-8 with a BOM (so spreadsheets read æøå), cells neutralised."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([neutralise(cell) for cell in header])
        # Rows go out a few hundred at a time: one chunk per row costs more than the row.
        batch = []
        for row in rows:
            batch.append(writer.writerow([neutralise(cell) for cell in row]))
            if len(batch) == ROWS_PER_CHUNK:
                yield "".join(batch)
                batch = []
        if batch:
            yield "".join(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
