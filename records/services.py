"""Writes to records and entries: the edit and delete windows, the kept versions, the
sanitising of rich text and the access log live here.

The windows are the Customer record settings "Edit entry" and "Delete entry" (minutes;
None is no limit, 0 is never), counted from the entry's creation. The entry row is locked
while the rule is checked, so an edit cannot slip past a delete or another edit.

Every write is logged here, in the transaction that makes it, so no page can write without
leaving its line in the access log; pages log what they show (views, prints) themselves.

Lock order. Every write path takes its locks in this one order, so two staff members
writing to one journal at once queue instead of deadlocking:
1. the record's row, FOR UPDATE (`_locked_record`); whether the record is archived is read
   under this lock, so no entry is added, changed or deleted while it is being archived;
2. the entry's row, FOR UPDATE of the entry alone (`_locked_entry`), when one is changed;
3. last, the access-log chain's advisory lock (records.audit.append), held until commit.
audit.append makes every deferred constraint check run before it takes that last lock
(`SET CONSTRAINTS ALL IMMEDIATE`): Django's foreign keys are DEFERRABLE INITIALLY
DEFERRED, so a new entry's check on its record (a KEY SHARE lock on the record's row)
would otherwise run at COMMIT, after the advisory lock, against a writer that holds the
record and waits for the chain: a deadlock. A path that logs without writing (views,
prints, exports) takes only the advisory lock. A new path keeps this order.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from customers.models import Customer, CustomerSettings
from records import audit, rich_text
from records.models import Entry, EntryVersion, Record, RecordAccess, RecordGroup

Action = RecordAccess.Action


UNREADABLE_ENTRY = gettext_lazy(
    "This entry cannot be opened (it does not belong to this record, or its key is missing). "
    "The clinic's administrator has been told."
)


def _refusal(
    entry: Entry, window: int | None, *, archived: str, never: str, closed: str
) -> ValidationError | None:
    """Why `entry` cannot be changed now, with the reason's code, or None when it can.
    `closed` names the time the window closed as %(closes)s."""
    if entry.readable() is None:
        return ValidationError(str(UNREADABLE_ENTRY), code="unreadable")
    if entry.record.archived:
        return ValidationError(archived, code="record_archived")
    if entry.within(window):
        return None
    if window == 0:
        return ValidationError(never, code="window_closed")
    closes = date_format(timezone.localtime(entry.window_closes(window)), "j M Y, H:i")
    return ValidationError(closed % {"closes": closes}, code="window_closed")


def _edit_refusal(entry: Entry, settings: CustomerSettings | None) -> ValidationError | None:
    settings = settings or CustomerSettings.load()
    return _refusal(
        entry,
        settings.record_edit_window,
        archived=_("This record is archived: its entries cannot be changed."),
        never=_("Entries cannot be edited (the Customer record setting says never)."),
        closed=_("This entry can no longer be edited: the window closed on %(closes)s."),
    )


def _delete_refusal(entry: Entry, settings: CustomerSettings | None) -> ValidationError | None:
    settings = settings or CustomerSettings.load()
    return _refusal(
        entry,
        settings.record_delete_window,
        archived=_("This record is archived: its entries cannot be deleted."),
        never=_("Entries cannot be deleted (the Customer record setting says never)."),
        closed=_("This entry can no longer be deleted: the window closed on %(closes)s."),
    )


def entry_edit_refusal(entry: Entry, settings: CustomerSettings | None = None) -> str | None:
    """Why `entry` cannot be edited now (it cannot be opened, its record is archived, its
    edit window closed), or None when it can. An entry that cannot be opened is never
    re-encrypted: its tokens stay as they are for whoever looks into it."""
    refusal = _edit_refusal(entry, settings)
    return str(refusal.message) if refusal else None


def entry_delete_refusal(entry: Entry, settings: CustomerSettings | None = None) -> str | None:
    """Why `entry` cannot be deleted now, or None when it can. An entry that cannot be
    opened is kept as it is, for whoever looks into why."""
    refusal = _delete_refusal(entry, settings)
    return str(refusal.message) if refusal else None


def record_access_log(
    *, action: str, record: Record, by: User, address: str | None, entry: Entry | None = None
) -> RecordAccess:
    """Write one line of the access log, chained onto the line before it (records.audit).
    The only writer of RecordAccess: a line written any other way breaks the chain."""
    line = RecordAccess(
        action=action,
        user=by,
        customer_id=record.customer_id,
        record=record,
        entry=entry,
        address=address or None,
    )
    return audit.append(line)


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def record_denied_log(
    *, by: User, address: str | None, record_id=None, entry_id=None, customer_id=None
) -> RecordAccess | None:
    """A "denied" line: `by` asked for a record (or an entry of one) without the permission
    the page needs. Written for a record that exists (of `customer_id`, when given) only: a
    line must name one, and a guessed or malformed id leaves nothing. In its own
    transaction: the refusal that follows rolls nothing back."""
    entry_id, record_id = _as_uuid(entry_id), _as_uuid(record_id)
    entry = Entry.objects.filter(pk=entry_id).first() if entry_id else None
    record_id = entry.record_id if entry else record_id
    records = Record.objects.filter(pk=record_id)
    if customer_id is not None:
        # A malformed id (None) matches no record, as it should.
        records = records.filter(customer_id=_as_uuid(customer_id))  # type: ignore[misc]
    record = records.first() if record_id else None
    if record is None:
        return None
    return record_access_log(
        action=Action.DENIED, record=record, entry=entry, by=by, address=address
    )


def record_purged_log(*, record: Record) -> RecordAccess:
    """The access log's last line about `record`, written by the purge as it deletes it
    (privacy.purge): no staff member and no address, just what went and when."""
    line = RecordAccess(action=Action.PURGE, customer_id=record.customer_id, record=record)
    return audit.append(line)


def _locked_record(record_id) -> Record:
    """The record's row, locked until the transaction ends (step 1 of the lock order)."""
    return Record.objects.select_for_update().get(pk=record_id)


def _locked_entry(entry: Entry) -> Entry:
    """The entry's record, then the entry's own row, locked until the transaction ends
    (steps 1 and 2 of the lock order), read afresh under those locks."""
    record = _locked_record(entry.record_id)
    try:
        locked = Entry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    except Entry.DoesNotExist:
        # Deleted by someone else since the page was loaded.
        raise ValidationError(
            _("This entry has been deleted meanwhile."), code="entry_deleted"
        ) from None
    locked.record = record
    return locked


@transaction.atomic
def record_create(
    *, customer: Customer, title: str, by: User, address: str | None = None
) -> Record:
    record = Record(customer=customer, created_by=by)
    record.seal(title=title)
    record.save()
    record_access_log(action=Action.CREATE, record=record, by=by, address=address)
    return record


@transaction.atomic
def record_archive(
    *, record: Record, archived: bool, by: User, address: str | None = None
) -> Record:
    """Archive a record, or bring it back; only while the Archive setting is on."""
    if not CustomerSettings.load().record_archive_enabled:
        raise ValidationError(
            _("Archiving records is switched off in the back-end settings."), code="archive_off"
        )
    record = _locked_record(record.pk)
    if bool(record.archived) != archived:
        record.archived = timezone.now() if archived else None
        record.save(update_fields=["archived"])
        action = Action.ARCHIVE if archived else Action.RESTORE
        record_access_log(action=action, record=record, by=by, address=address)
    return record


def _body_as_stored(body: str, rich: bool) -> str:
    return rich_text.clean(body) if rich else body


@transaction.atomic
def entry_create(
    *,
    record: Record,
    title: str,
    body: str,
    by: User,
    group: RecordGroup | None = None,
    address: str | None = None,
) -> Entry:
    """A new entry; rich text (sanitised HTML) while the Editor setting is on. Refused
    when the record is archived, read under the record's lock (an archive that commits
    first wins; one that comes after waits for this entry)."""
    record = _locked_record(record.pk)
    if record.archived:
        raise ValidationError(
            "This record is archived: new entries cannot be added.", code="record_archived"
        )
    rich = rich_text.writes_rich(False)
    entry = Entry(record=record, group=group, author=by, rich_text=rich)
    entry.seal(title=title, body=_body_as_stored(body, rich))
    entry.save()
    record_access_log(action=Action.CREATE, record=record, entry=entry, by=by, address=address)
    return entry


@transaction.atomic
def entry_update(
    *, entry: Entry, title: str, body: str, by: User, address: str | None = None
) -> Entry:
    """Change an entry inside the edit window, keeping the version it replaces. `body` is
    rich text when rich_text.writes_rich(entry.rich_text) says so."""
    entry = _locked_entry(entry)
    if refusal := _edit_refusal(entry, None):
        raise refusal
    previous = EntryVersion(
        entry=entry, written=entry.updated, replaced_by=by, rich_text=entry.rich_text
    )
    previous.seal(**entry.readable())  # type: ignore[arg-type]  # refused above when None
    previous.save()
    entry.rich_text = rich_text.writes_rich(entry.rich_text)
    entry.seal(title=title, body=_body_as_stored(body, entry.rich_text))
    entry.save()
    record_access_log(action=Action.EDIT, record=entry.record, entry=entry, by=by, address=address)
    return entry


@transaction.atomic
def entry_delete(*, entry: Entry, by: User, address: str | None = None) -> None:
    entry = _locked_entry(entry)
    if refusal := _delete_refusal(entry, None):
        raise refusal
    record_access_log(
        action=Action.DELETE, record=entry.record, entry=entry, by=by, address=address
    )
    entry.versions.all().delete()
    entry.delete()


def _record_group_write(
    group: RecordGroup, *, name: str, template: str, is_active: bool
) -> RecordGroup:
    # Rich or not is decided when the template is written (the Editor setting; rich text
    # stays rich), and a rich template is stored sanitised, whichever page saved it.
    group.rich_text = rich_text.writes_rich(group.rich_text)
    group.name = name
    group.template = _body_as_stored(template, group.rich_text)
    group.is_active = is_active
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def record_group_create(*, name: str, template: str = "", is_active: bool = True) -> RecordGroup:
    """A new record group (a named template for entries)."""
    return _record_group_write(RecordGroup(), name=name, template=template, is_active=is_active)


@transaction.atomic
def record_group_update(
    *, group: RecordGroup, name: str, template: str, is_active: bool
) -> RecordGroup:
    """Change a record group's name, template or whether it is offered for new entries."""
    return _record_group_write(group, name=name, template=template, is_active=is_active)
