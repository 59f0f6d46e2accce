"""Entries and record titles encrypted at rest, their edit and delete windows, kept
versions, and re-encryption under a new key."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from config.crypto import DecryptionError
from config.keys import new_key
from customers import services as customer_services
from records import services
from records.models import Entry, EntryVersion, Record
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

SECRET = "Knee pain after the fall; MRI booked"


@pytest.fixture
def record(therapist):
    return services.record_create(customer=CustomerFactory(), title="Physiotherapy", by=therapist)


@pytest.fixture
def entry(record, therapist):
    return services.entry_create(record=record, title="First visit", body=SECRET, by=therapist)


def test_an_entry_reads_back_what_was_written(entry):
    entry = Entry.objects.get(pk=entry.pk)
    assert (entry.title, entry.body) == ("First visit", SECRET)
    assert entry.record.title == "Physiotherapy"


def test_the_database_holds_no_plaintext(entry):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.title_encrypted, e.body_encrypted, r.title_encrypted "
            "FROM records_entry e JOIN records_record r ON r.id = e.record_id"
        )
        raw = b"".join(bytes(column) for column in cursor.fetchone())
    for text in (SECRET, "First visit", "Physiotherapy", "Knee"):
        assert text.encode() not in raw


def test_a_body_copied_onto_another_entry_fails_loudly(record, entry, therapist):
    other = services.entry_create(record=record, title="Second", body="Fine", by=therapist)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_entry SET body_encrypted = %s WHERE id = %s",
            [bytes(entry.body_encrypted), other.pk],
        )
    moved = Entry.objects.get(pk=other.pk)
    with pytest.raises(DecryptionError, match="copied from another row"):
        _ = moved.body


def test_a_missing_key_is_an_error_naming_it(entry, settings):
    settings.RECORD_KEYS = f"other:{new_key()}"
    stored = Entry.objects.get(pk=entry.pk)
    with pytest.raises(DecryptionError, match="not in RECORD_KEYS"):
        _ = stored.body


# Transactional: the command writes on connections of its own, which see only what is
# committed.
@pytest.mark.django_db(transaction=True)
def test_reencryption_moves_every_row_to_the_current_key(entry, therapist, settings):
    services.entry_update(entry=entry, title="First visit", body="Edited", by=therapist)
    old_ring = settings.RECORD_KEYS
    settings.RECORD_KEYS = f"k2:{new_key()},{old_ring}"
    out = StringIO()
    call_command("reencrypt_records", batch_size=1, stdout=out)
    assert "Re-encrypted 3 rows under key 'k2'" in out.getvalue()
    for model in (Record, Entry, EntryVersion):
        assert set(model.objects.values_list("key_id", flat=True)) == {"k2"}
    settings.RECORD_KEYS = settings.RECORD_KEYS.split(",")[0]  # the old key retired
    entry = Entry.objects.get(pk=entry.pk)
    assert entry.body == "Edited"
    assert entry.versions.get().body == SECRET
    call_command("reencrypt_records", stdout=out)  # nothing left: a no-op
    assert "Re-encrypted 0 rows" in out.getvalue()


def test_an_edit_keeps_the_previous_version_with_who_and_when(entry, receptionist):
    services.entry_update(entry=entry, title="First visit", body="Corrected", by=receptionist)
    version = entry.versions.get()
    assert version.body == SECRET
    assert version.replaced_by == receptionist
    assert Entry.objects.get(pk=entry.pk).body == "Corrected"


@pytest.mark.parametrize(
    ("minutes", "after", "allowed"),
    [
        (60, timedelta(minutes=59, seconds=59), True),
        (60, timedelta(minutes=60), False),
        (0, timedelta(0), False),
        (None, timedelta(days=3650), True),
    ],
)
def test_entry_edit_window_from_creation(
    entry, therapist, customer_settings, minutes, after, allowed
):
    customer_settings(record_edit_window=minutes)
    with time_machine.travel(entry.created + after, tick=False):
        if allowed:
            services.entry_update(entry=entry, title="t", body="new", by=therapist)
        else:
            with pytest.raises(ValidationError, match=r"can(not| no longer) be edited"):
                services.entry_update(entry=entry, title="t", body="new", by=therapist)
    assert (Entry.objects.get(pk=entry.pk).body == "new") is allowed


@pytest.mark.parametrize(
    ("minutes", "after", "allowed"),
    [
        (24 * 60, timedelta(hours=23, minutes=59), True),
        (24 * 60, timedelta(hours=24, seconds=1), False),
        (0, timedelta(0), False),
        (None, timedelta(days=3650), True),
    ],
)
def test_entry_delete_window_from_creation(entry, customer_settings, minutes, after, allowed):
    customer_settings(record_delete_window=minutes)
    with time_machine.travel(entry.created + after, tick=False):
        if allowed:
            services.entry_delete(entry=entry, by=entry.author)
        else:
            with pytest.raises(ValidationError, match="deleted"):
                services.entry_delete(entry=entry, by=entry.author)
    assert Entry.objects.filter(pk=entry.pk).exists() is not allowed


def test_the_refusal_says_when_the_window_closed(entry, therapist, customer_settings):
    customer_settings(record_edit_window=60)
    closes = timezone.localtime(entry.created + timedelta(minutes=60))
    later = time_machine.travel(entry.created + timedelta(hours=2), tick=False)
    with later, pytest.raises(ValidationError) as refusal:
        services.entry_update(entry=entry, title="t", body="b", by=therapist)
    assert f"{closes:%H:%M}" in refusal.value.messages[0]


def test_an_archived_record_takes_no_new_entries(record, therapist):
    record.archived = timezone.now()
    record.save()
    with pytest.raises(ValidationError, match="archived"):
        services.entry_create(record=record, title="t", body="b", by=therapist)


def test_a_customer_with_records_is_not_deleted(entry):
    with pytest.raises(ValidationError, match="cannot be deleted while they have records"):
        customer_services.customer_delete(customer=entry.record.customer)
    assert Entry.objects.filter(pk=entry.pk).exists()
