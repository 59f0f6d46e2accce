"""Key rotation (manage.py reencrypt_records) over many heap pages: one run moves every row,
a stopped run leaves every row readable and a rerun finishes, and an edit made while the
rotation runs is never overwritten with the text it replaced."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from config.crypto import DecryptionError
from config.keys import new_key
from records import services
from records.models import Entry, EntryVersion, Record
from tests.customers.concurrency import run_at_once

BODY = "Reduced range of motion in flexion. " * 55  # ~2 KB, stored in TOAST like real notes


def _entries(record, author, count: int) -> list[Entry]:
    rows = []
    for number in range(count):
        entry = Entry(record=record, author=author)
        entry.seal(title=f"Visit {number}", body=f"{number}: {BODY}")
        rows.append(entry)
    return Entry.objects.bulk_create(rows)


def _rotate_to(settings, key_id: str, **options) -> str:
    """Put a new key `key_id` first in the ring, run the rotation; return its output."""
    settings.RECORD_KEYS = f"{key_id}:{new_key()},{settings.RECORD_KEYS}"
    out = StringIO()
    call_command("reencrypt_records", stdout=out, **options)
    return out.getvalue()


def _in_physical_order() -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM records_entry ORDER BY ctid")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_one_run_reencrypts_every_row_also_after_earlier_rotations(
    record, therapist, settings, django_assert_max_num_queries
):
    """Rotated three times in batches smaller than a page's rows (so a batch stops inside a
    page, where line pointer 10 comes after 9 as a number, not as text), while the rows'
    new versions share their pages with the old ones: every run moves every row (400
    entries and the record's title)."""
    _entries(record, therapist, 400)
    for key_id in ("k1", "k2", "k3"):
        out = _rotate_to(settings, key_id, batch_size=7)
        assert f"Re-encrypted 401 rows under key {key_id!r}" in out
        assert set(Entry.objects.values_list("key_id", flat=True)) == {key_id}
    settings.RECORD_KEYS = settings.RECORD_KEYS.split(",")[0]  # the old keys retired
    titles = {entry.title for entry in Entry.objects.all() if entry.body.endswith(BODY)}
    assert titles == {f"Visit {number}" for number in range(400)}
    assert Record.objects.get().title == "Physiotherapy, left knee"
    # Nothing left to do: its three counts and no sweep.
    with django_assert_max_num_queries(3):
        out = StringIO()
        call_command("reencrypt_records", stdout=out)
    assert "Re-encrypted 0 rows" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_stopped_rotation_leaves_every_row_readable_and_a_rerun_finishes(
    record, therapist, settings
):
    """The run stops at a row it cannot open (as a crash would stop it): the batches before
    it are kept under the new key, the rest stay under the old one, every row opens with the
    ring, and once the row is dealt with a rerun carries on and finishes."""
    _entries(record, therapist, 200)
    broken_id = _in_physical_order()[150]
    donor = Entry.objects.exclude(pk=broken_id).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_entry SET body_encrypted = %s WHERE id = %s",
            [bytes(donor.body_encrypted), broken_id],
        )

    order = _in_physical_order()  # the order the rotation sweeps them in
    position = order.index(broken_id)

    with pytest.raises(DecryptionError, match="copied from another row"):
        _rotate_to(settings, "k2", batch_size=20)

    moved = set(Entry.objects.filter(key_id="k2").values_list("id", flat=True))
    # The batches before the broken row's were kept, its own (of at most 20) undone.
    assert moved <= set(order[:position])
    assert len(moved) > position - 20
    for entry in Entry.objects.exclude(pk=broken_id):
        assert entry.body.endswith(BODY)

    Entry.objects.filter(pk=broken_id).delete()
    out = StringIO()
    call_command("reencrypt_records", batch_size=20, stdout=out)
    assert f"Re-encrypted {199 - len(moved)} rows under key 'k2'" in out.getvalue()
    settings.RECORD_KEYS = settings.RECORD_KEYS.split(",")[0]
    assert all(entry.body.endswith(BODY) for entry in Entry.objects.all())


@pytest.mark.django_db(transaction=True)
def test_an_edit_during_the_rotation_is_kept_and_its_rows_follow_on_the_next_run(
    record, therapist, settings
):
    """An edit holds its entry and record while the rotation runs: the rotation passes them
    over instead of waiting, never writes back the text the edit replaced, and the next run
    moves what it passed over."""
    entries = _entries(record, therapist, 30)
    edited = entries[10]
    settings.RECORD_KEYS = f"k2:{new_key()},{settings.RECORD_KEYS}"
    editing, rotated = threading.Event(), threading.Event()

    def edit(_):
        with transaction.atomic():
            services.entry_update(entry=edited, title="Visit 10", body="Edited.", by=therapist)
            editing.set()
            # Committed once the rotation is over, or after 3 s if it waits for this edit.
            rotated.wait(3)

    def rotate(_):
        editing.wait(5)
        out = StringIO()
        call_command("reencrypt_records", batch_size=7, stdout=out)
        rotated.set()
        return out.getvalue()

    _, out = run_at_once(lambda work: work(None), [edit, rotate])

    assert "Re-encrypted 29 rows under key 'k2'" in out  # not the record, not the edited entry
    entry = Entry.objects.get(pk=edited.pk)
    assert (entry.body, entry.key_id) == ("Edited.", "k2")  # the edit sealed it anew
    assert entry.versions.get().body.endswith(BODY)
    assert Record.objects.get().key_id != "k2"

    out = StringIO()
    call_command("reencrypt_records", stdout=out)
    assert "Re-encrypted 1 rows under key 'k2'" in out.getvalue()
    for model in (Record, Entry, EntryVersion):
        assert set(model.objects.values_list("key_id", flat=True)) == {"k2"}
    assert Entry.objects.get(pk=edited.pk).body == "Edited."
