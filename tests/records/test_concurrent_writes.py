"""Two staff members writing to one journal at the same time: every write path takes its
locks in one order (records.services), so pairs of writes on one record queue instead of
deadlocking. Real threads, each on its own connection and in its own transaction.

A write that loses a race to an archive (or to a delete of the entry it edits) is refused
with a ValidationError, which the pages show as a message; nothing else may fail, every
write that succeeded is kept, and the access log's chain stays intact."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from records import audit, services
from records.models import Entry, Record, RecordAccess
from tests.customers.concurrency import run_at_once
from tests.factories import login_with_second_factor

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 15


@pytest.fixture
def journal(customer, therapist, customer_settings):
    customer_settings(record_archive_enabled=True)
    return services.record_create(customer=customer, title="Knee", by=therapist)


def _create(record, by, title):
    return lambda: services.entry_create(record=record, title=title, body="Notes.", by=by)


def _edit(entry, by, title):
    return lambda: services.entry_update(entry=entry, title=title, body="Changed.", by=by)


def _delete(entry, by):
    return lambda: services.entry_delete(entry=entry, by=by)


def _archive(record, by, archived=True):
    return lambda: services.record_archive(record=record, archived=archived, by=by)


def _run_pair(first, second) -> list:
    """Both writes released at once; what each returned, or the exception it raised."""
    return run_at_once(lambda write: write(), [first, second])


PAIRS = [
    "create+create",
    "create+edit",
    "create+delete",
    "edit+edit",
    "edit+delete",
    "create+archive",
    "create+restore",
    "edit+archive",
    "delete+archive",
    "archive+restore",
]


def _writes(pair: str, record, entry, one, other, round_number: int) -> list:
    """The two writes of `pair`: the first by `one`, the second by `other`."""
    return {
        "create+create": [
            _create(record, one, f"A{round_number}"),
            _create(record, other, f"B{round_number}"),
        ],
        "create+edit": [
            _create(record, one, f"A{round_number}"),
            _edit(entry, other, f"Edited {round_number}"),
        ],
        "create+delete": [_create(record, one, f"A{round_number}"), _delete(entry, other)],
        "edit+edit": [_edit(entry, one, "First edit"), _edit(entry, other, "Second edit")],
        "edit+delete": [_edit(entry, one, "Edited"), _delete(entry, other)],
        "create+archive": [_create(record, one, f"A{round_number}"), _archive(record, other)],
        "create+restore": [
            _create(record, one, f"A{round_number}"),
            _archive(record, other, archived=False),
        ],
        "edit+archive": [_edit(entry, one, "Edited"), _archive(record, other)],
        "delete+archive": [_delete(entry, one), _archive(record, other)],
        "archive+restore": [_archive(record, one, archived=False), _archive(record, other)],
    }[pair]


# The first write of these pairs may lose its race and be refused: the record was archived
# first, or the entry to edit was deleted first.
REFUSABLE_FIRST = {
    "edit+delete",
    "create+archive",
    "create+restore",
    "edit+archive",
    "delete+archive",
}
STARTS_ARCHIVED = {"create+restore", "archive+restore"}


def _prepare(pair: str, record_id, by):
    """The record in the state the pair starts from, and an entry to edit or delete."""
    record = Record.objects.get(pk=record_id)
    if bool(record.archived) != (pair in STARTS_ARCHIVED):
        record = services.record_archive(record=record, archived=pair in STARTS_ARCHIVED, by=by)
    entry = None
    if "edit" in pair or "delete" in pair:
        entry = services.entry_create(record=record, title="Existing", body="Notes.", by=by)
    return record, entry


@pytest.mark.parametrize("pair", PAIRS)
def test_concurrent_writes_to_one_record_neither_deadlock_nor_lose_a_write(
    pair, journal, therapist, administrator
):
    """ROUNDS rounds of the pair on one record: 0 errors but refusals, every write kept."""
    for round_number in range(ROUNDS):
        record, entry = _prepare(pair, journal.pk, therapist)
        before = RecordAccess.objects.latest("id").id
        writes = _writes(pair, record, entry, therapist, administrator, round_number)

        results = _run_pair(*writes)

        unexpected = [
            result
            for index, result in enumerate(results)
            if isinstance(result, Exception)
            and not (index == 0 and pair in REFUSABLE_FIRST and isinstance(result, ValidationError))
        ]
        assert unexpected == [], f"round {round_number}"
        written = RecordAccess.objects.filter(id__gt=before).order_by("id")
        entry_writes = [
            result
            for result, write in zip(results, pair.split("+"), strict=True)
            if write in ("create", "edit", "delete") and not isinstance(result, Exception)
        ]
        # Every write that succeeded left its line; an archive that found the record already
        # archived (or restored) changed nothing and logs nothing.
        assert written.filter(entry__isnull=False).count() == len(entry_writes)
        for result in results:
            if isinstance(result, Entry) and pair.split("+")[results.index(result)] == "create":
                assert Entry.objects.get(pk=result.pk).title == result.title
        if entry is not None and Entry.objects.filter(pk=entry.pk).exists():
            kept = Entry.objects.get(pk=entry.pk)
            edits = written.filter(action=RecordAccess.Action.EDIT).count()
            assert kept.versions.count() == edits
            assert (kept.title == "Existing") == (edits == 0)
        elif entry is not None:
            assert written.filter(action=RecordAccess.Action.DELETE, entry=entry.pk).exists()
        archive_lines = written.filter(entry__isnull=True)
        if archive_lines.exists():
            last = archive_lines.last().action
            archived = Record.objects.get(pk=record.pk).archived is not None
            assert archived == (last == RecordAccess.Action.ARCHIVE)
        for index, result in enumerate(results):
            if isinstance(result, ValidationError):
                refused_write = pair.split("+")[index]
                assert result.code in ("record_archived", "entry_deleted"), refused_write

    verification = audit.verify()
    assert verification.broken is None
    assert verification.verified == RecordAccess.objects.count()


def test_entry_cannot_be_added_while_the_record_is_being_archived(journal, therapist):
    """The archived check reads the record under its lock, not the copy the page loaded: an
    entry written while an archive is under way waits for it, then is refused."""
    page_copy = Record.objects.get(pk=journal.pk)  # loaded before the archive, not archived
    archive_holds_lock = threading.Event()
    entry_started = threading.Event()

    def archive_slowly(_):
        with transaction.atomic():
            services.record_archive(record=journal, archived=True, by=therapist)
            archive_holds_lock.set()
            entry_started.wait(5)
            time.sleep(0.3)  # the entry's write is now waiting, if it waits at all

    def add_entry(_):
        archive_holds_lock.wait(5)
        entry_started.set()
        return services.entry_create(record=page_copy, title="Late", body="Notes.", by=therapist)

    archived, added = run_at_once(lambda write: write(None), [archive_slowly, add_entry])

    assert archived is None
    assert isinstance(added, ValidationError)
    assert added.messages == ["This record is archived: new entries cannot be added."]
    assert not Entry.objects.filter(record=journal).exists()


def test_pages_writing_at_once_never_answer_500_and_say_why_a_write_was_refused(
    journal, therapist, administrator
):
    """Through the pages: one member of staff adds an entry while a second edits another
    entry of the record and a third archives (then restores) it. Each write is kept, or
    refused with the reason shown; never a 500."""
    clients = {name: Client() for name in ("writer", "editor", "archiver")}
    login_with_second_factor(clients["writer"], therapist)
    login_with_second_factor(clients["editor"], administrator)
    login_with_second_factor(clients["archiver"], administrator)
    refusals = {"This record is archived: new entries cannot be added.",
                "This record is archived: its entries cannot be changed."}  # fmt: skip
    for round_number in range(10):
        services.record_archive(record=journal, archived=False, by=therapist)
        existing = services.entry_create(record=journal, title="Old", body="Old", by=therapist)
        posts = [
            ("writer", reverse("records:entry_create", args=[journal.pk]),
             {"title": f"Visit {round_number}", "body": "Notes."}),
            ("editor", reverse("records:entry_edit", args=[existing.pk]),
             {"title": "Old, edited", "body": "Edited."}),
            ("archiver", reverse("records:record_archive", args=[journal.pk]), {"archive": "1"}),
        ]  # fmt: skip
        entries_before = Entry.objects.filter(record=journal).count()

        responses = run_at_once(lambda post: clients[post[0]].post(post[1], post[2]), posts)

        errors = [response for response in responses if isinstance(response, Exception)]
        assert errors == [], f"round {round_number}"
        added, edited, archived = responses
        assert archived.status_code == 302
        was_added = Entry.objects.filter(record=journal).count() == entries_before + 1
        was_edited = Entry.objects.get(pk=existing.pk).versions.exists()
        for response, kept, client in (
            (added, was_added, "writer"),
            (edited, was_edited, "editor"),
        ):
            assert response.status_code in (200, 302), f"round {round_number}"
            if kept:
                assert response.status_code == 302
                continue
            # Refused: the page (back to the record with a message) or the service under
            # the record's lock (the form says why).
            page = response if response.status_code == 200 else clients[client].get(response.url)
            html = page.content.decode()
            assert any(refusal in html for refusal in refusals), f"round {round_number}"

    assert audit.verify().broken is None
