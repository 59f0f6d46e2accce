"""Writes to records and entries: the edit and delete windows and the kept versions live here.

The windows are the Customer record settings "Edit entry" and "Delete entry" (minutes;
None is no limit, 0 is never), counted from the entry's creation. The entry row is locked
while the rule is checked, so an edit cannot slip past a delete or another edit.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from customers.models import Customer, CustomerSettings
from records.models import Entry, EntryVersion, Record, RecordGroup


def _closed_message(action: str, entry: Entry, minutes: int) -> str:
    if minutes == 0:
        return f"Entries cannot be {action} (the Customer record setting says never)."
    closes = timezone.localtime(entry.window_closes(minutes))
    return (
        f"This entry can no longer be {action}: the window closed on "
        f"{date_format(closes, 'j M Y, H:i')}."
    )


@transaction.atomic
def record_create(*, customer: Customer, title: str, by: User) -> Record:
    record = Record(customer=customer, created_by=by)
    record.seal(title=title)
    record.save()
    return record


@transaction.atomic
def entry_create(
    *, record: Record, title: str, body: str, by: User, group: RecordGroup | None = None
) -> Entry:
    if record.archived:
        raise ValidationError("This record is archived: new entries cannot be added.")
    entry = Entry(record=record, group=group, author=by)
    entry.seal(title=title, body=body)
    entry.save()
    return entry


@transaction.atomic
def entry_update(*, entry: Entry, title: str, body: str, by: User) -> Entry:
    """Change an entry inside the edit window, keeping the version it replaces."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    window = CustomerSettings.load().record_edit_window
    if not entry.within(window):
        raise ValidationError(_closed_message("edited", entry, window))
    previous = EntryVersion(entry=entry, written=entry.updated, replaced_by=by)
    previous.seal(**entry.opened())
    previous.save()
    entry.seal(title=title, body=body)
    entry.save()
    return entry


@transaction.atomic
def entry_delete(*, entry: Entry) -> None:
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    window = CustomerSettings.load().record_delete_window
    if not entry.within(window):
        raise ValidationError(_closed_message("deleted", entry, window))
    entry.versions.all().delete()
    entry.delete()
