"""GDPR access export (Art. 15/20): everything held about one customer or one contact
person (the sections of privacy.sections), as `data.json` (machine-readable) and
`summary.html` (the same, for a person to read), zipped with a README naming the format,
and logged.
"""

import functools
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from phonenumber_field.phonenumber import PhoneNumber

from accounts.models import User
from privacy.models import SubjectExport
from privacy.sections import CUSTOMER, SubjectType
from records.models import Record, RecordAccess
from records.services import record_access_log

FORMAT = "kartotek-subject-export"
FORMAT_VERSION = 1


class ExportEncoder(DjangoJSONEncoder):
    """ISO 8601 dates and times (UTC), UUIDs as text, phone numbers in E.164 ("+4520304050")."""

    def default(self, value: Any) -> Any:
        if isinstance(value, PhoneNumber):
            return value.as_e164
        return super().default(value)


LABELS = {
    "id": "ID",
    "ssn": "Social security number",
    "pgh_obj": "Person",
    "record_id": "Record ID",
    "entry_id": "Entry ID",
}


@functools.cache
def _label(key: str) -> str:
    return LABELS.get(key) or capfirst(key.replace("_", " "))


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j M Y, H:i:s")
    if isinstance(value, date):
        return date_format(value, "j M Y")
    if isinstance(value, PhoneNumber):
        return value.as_international
    return str(value)


def summary_html(value: Any) -> SafeString:
    """One section of data.json as summary.html shows it: labelled fields (<dl>), lists
    (<ol>) and texts, every text escaped. Built in Python: a recursive template include
    rendered some 70,000 templates for a record of 5,000 entries (bench/gdpr_export.py)."""
    parts: list[str] = []
    _append_html(value, parts)
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


def _append_html(value: Any, parts: list[str]) -> None:
    if isinstance(value, dict):
        parts.append("<dl>")
        for key, inner in value.items():
            parts.append(f"<dt>{escape(_label(key))}</dt><dd>")
            _append_html(inner, parts)
            parts.append("</dd>")
        parts.append("</dl>")
    elif isinstance(value, list):
        if not value:
            parts.append('<p class="none">None</p>')
            return
        parts.append('<ol class="items">')
        for inner in value:
            parts.append("<li>")
            _append_html(inner, parts)
            parts.append("</li>")
        parts.append("</ol>")
    else:
        parts.append(escape(_text(value)))


README = """Kartotek: export of the personal data held about one {label}
=============================================================

Made {at} on request: {reason}

data.json     Every piece of data held, machine-readable: JSON (RFC 8259), UTF-8.
              Format "{format}", version {version}. Dates and times are ISO 8601
              (times in UTC, marked Z), phone numbers E.164. "sections" holds one key per
              kind of data; the same keys appear in every export of this version.
summary.html  The same data to read in a web browser (it loads nothing from the network).
"""


@dataclass(frozen=True)
class Export:
    subject_type: SubjectType
    subject: models.Model
    data: dict[str, Any]
    filename: str
    content: bytes  # the zip file


def _filename(subject_type: SubjectType, subject: Any, at: datetime) -> str:
    day = timezone.localdate(at).isoformat()
    if subject_type is CUSTOMER:
        return f"kartotek-export-customer-{subject.number}-{day}.zip"
    return f"kartotek-export-person-{subject.customer.number}-{subject.pk.hex[:8]}-{day}.zip"


def build_export(subject_type: SubjectType, subject: Any, *, reason: str) -> Export:
    """Read every section about `subject` (loaded from `subject_type.queryset()`) and zip it."""
    at = timezone.now()
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": at,
        "reason": reason,
        "subject": {"kind": subject_type.kind, "id": subject.pk, "name": subject.name},
        "sections": {section.key: section.read(subject) for section in subject_type.sections},
    }
    summary = render_to_string(
        "privacy/export_summary.html",
        {
            "subject_type": subject_type,
            "subject": subject,
            "at": at,
            "reason": reason,
            "sections": [
                (section.title, summary_html(data["sections"][section.key]))
                for section in subject_type.sections
            ],
        },
    )
    readme = README.format(
        label=subject_type.label,
        at=at.isoformat(timespec="seconds"),
        reason=reason,
        format=FORMAT,
        version=FORMAT_VERSION,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        archive.writestr(
            "data.json", json.dumps(data, cls=ExportEncoder, ensure_ascii=False, indent=2) + "\n"
        )
        archive.writestr("summary.html", summary)
    filename = _filename(subject_type, subject, at)
    return Export(subject_type, subject, data, filename, buffer.getvalue())


@transaction.atomic
def subject_export_create(
    *,
    subject_type: SubjectType,
    subject: models.Model,
    by: User,
    reason: str,
    address: str | None,
) -> Export:
    """Export everything about `subject` and log it: a SubjectExport row, and an "Exported"
    line in the access log of each record the file holds. All or nothing: an export that
    fails (a ciphertext that will not decrypt) logs nothing."""
    export = build_export(subject_type, subject, reason=reason)
    log = SubjectExport(
        by=by,
        subject_kind=subject_type.kind,
        subject_id=subject.pk,
        reason=reason,
        address=address or None,
    )
    log.full_clean()
    log.save()
    record_ids = [record["id"] for record in export.data["sections"].get("records", [])]
    for record in Record.objects.filter(pk__in=record_ids).order_by("created", "id"):
        record_access_log(action=RecordAccess.Action.EXPORT, record=record, by=by, address=address)
    return export
