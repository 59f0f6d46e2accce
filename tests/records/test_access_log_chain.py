"""The access log is tamper-evident: every line is chained to the one before it with a keyed
MAC, and `manage.py verify_access_log` names the first line that was changed, deleted from
under its successor, forged, or written under another key (records.audit)."""

import importlib
import threading
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from config import keys
from records import audit, services
from records.models import Record, RecordAccess

pytestmark = pytest.mark.django_db

APPEND_ONLY = "recordaccess_append_only"


def log(record, by, action="view", address=None):
    return services.record_access_log(action=action, record=record, by=by, address=address)


def tamper(statement, params=()):
    """Run SQL as the table's owner could: with the append-only trigger disabled."""
    with connection.cursor() as cursor:
        # ALTER TABLE and TRUNCATE refuse to run before the deferred foreign-key checks of
        # the lines this test wrote.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE records_recordaccess DISABLE TRIGGER {APPEND_ONLY}")
        try:
            cursor.execute(statement, params)
        finally:
            cursor.execute(f"ALTER TABLE records_recordaccess ENABLE TRIGGER {APPEND_ONLY}")


def verify_command(*args):
    out = StringIO()
    call_command("verify_access_log", *args, stdout=out)
    return out.getvalue()


def test_lines_written_by_the_services_form_an_intact_chain(
    therapist, customer, record, write, customer_settings
):
    customer_settings(record_archive_enabled=True)
    entry = write("Visit")
    services.entry_update(entry=entry, title="Visit", body="More", by=therapist, address="10.0.0.1")
    # PostgreSQL gives an IPv6 address back in its short spelling; the MAC still matches.
    log(record, therapist, address="2001:0db8:0000:0000:0000:0000:0000:0001")
    services.entry_delete(entry=entry, by=therapist)
    services.record_archive(record=record, archived=True, by=therapist)

    result = audit.verify()

    assert result.broken is None
    assert result.verified == RecordAccess.objects.count() == 6
    lines = list(RecordAccess.objects.order_by("id"))
    assert lines[0].chain_previous is None
    assert [line.chain_previous for line in lines[1:]] == [line.id for line in lines[:-1]]


def test_the_command_reports_the_count_and_an_anchor_on_an_intact_chain(therapist, record):
    log(record, therapist)
    newest = RecordAccess.objects.latest("id")

    output = verify_command()

    assert "Verified 2 lines: the access log's chain is intact." in output
    assert f"--anchor {newest.id}:{newest.chain_mac}" in output


def test_an_empty_log_verifies(db):
    assert "Verified 0 lines" in verify_command()


def test_a_line_changed_with_raw_sql_is_named_by_the_verifier(therapist, record):
    changed = log(record, therapist)
    log(record, therapist)
    tamper("UPDATE records_recordaccess SET action = 'print' WHERE id = %s", [changed.pk])

    with pytest.raises(CommandError) as refused:
        verify_command()

    message = str(refused.value)
    assert message.startswith(f"Line {changed.pk} (")
    assert "its MAC does not match its fields" in message
    assert "1 lines before it are intact" in message
    assert f"{timezone.localtime(changed.at):%Y-%m-%d %H:%M}" in message


def test_a_line_whose_time_was_moved_breaks_the_chain(therapist, record):
    moved = log(record, therapist)
    tamper("UPDATE records_recordaccess SET at = at - interval '1 day' WHERE id = %s", [moved.pk])

    assert audit.verify().broken.id == moved.pk


def test_a_line_deleted_from_the_middle_is_missed_by_the_next_one(therapist, record):
    deleted = log(record, therapist)
    following = log(record, therapist)
    tamper("DELETE FROM records_recordaccess WHERE id = %s", [deleted.pk])

    result = audit.verify()

    assert result.broken.id == following.pk
    assert result.broken.problem == f"the line before it, {deleted.pk}, is missing (deleted)"
    assert result.verified == 1


def test_deleting_the_oldest_lines_is_caught(therapist, record):
    first = RecordAccess.objects.get()
    second = log(record, therapist)
    tamper("DELETE FROM records_recordaccess WHERE id = %s", [first.pk])

    broken = audit.verify().broken

    assert broken.id == second.pk
    assert "missing (deleted)" in broken.problem


def test_a_forged_line_inserted_without_the_key_is_named(therapist, record):
    head = log(record, therapist)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('records_recordaccess', 'id'))")
        (forged_id,) = cursor.fetchone()
    forged = RecordAccess(
        id=forged_id,
        chain_previous=head.pk,
        at=timezone.now(),
        user=therapist,
        customer_id=record.customer_id,
        record=record,
        action="view",
    )
    # Whoever writes it knows the format, but not the key.
    guessed_key = keys.decode_key(keys.new_key(), name="a guess")
    forged_mac = audit.line_mac(guessed_key, head.chain_mac, forged)
    tamper(
        "INSERT INTO records_recordaccess"
        " (id, chain_previous, chain_mac, at, user_id, customer_id, record_id, action)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, 'view')",
        [forged_id, head.pk, forged_mac, forged.at, therapist.pk, record.customer_id, record.pk],
    )
    # The application carries on, chaining its next line onto the forged one.
    log(record, therapist)

    broken = audit.verify().broken

    assert broken.id == forged_id
    assert "written without the audit log key (forged)" in broken.problem


def test_a_forged_line_claiming_to_start_a_second_chain_is_named(therapist, record):
    # A superuser could drop the one-successor constraint; the verifier does not rely on it.
    tamper("ALTER TABLE records_recordaccess DROP CONSTRAINT recordaccess_one_successor")
    tamper(
        "INSERT INTO records_recordaccess (at, user_id, customer_id, record_id, action,"
        " chain_previous, chain_mac) VALUES (now(), %s, %s, %s, 'view', NULL, '')",
        [therapist.pk, record.customer_id, record.pk],
    )
    forged = RecordAccess.objects.latest("id")

    broken = audit.verify().broken

    assert broken.id == forged.pk
    assert "claims to start the chain" in broken.problem


def test_a_line_written_under_another_audit_log_key_fails(therapist, record):
    with override_settings(AUDIT_LOG_KEY=keys.new_key()):
        other_key = log(record, therapist)
    log(record, therapist)

    broken = audit.verify().broken

    assert broken.id == other_key.pk
    assert "does not match" in broken.problem


def test_the_database_refuses_a_second_successor_of_a_line(therapist, record):
    """The lock keeps writers in line; the unique constraint makes a fork fail loudly if
    anything ever wrote without it."""
    head = RecordAccess.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordAccess.objects.create(
            chain_previous=None,
            user=therapist,
            customer_id=record.customer_id,
            record=record,
            action="view",
        )
    log(record, therapist)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordAccess.objects.create(
            chain_previous=head.pk,
            user=therapist,
            customer_id=record.customer_id,
            record=record,
            action="view",
        )


def test_deleting_the_newest_lines_is_caught_only_with_an_anchor(therapist, record):
    anchored = log(record, therapist)
    anchor = f"{anchored.pk}:{anchored.chain_mac}"
    tamper("DELETE FROM records_recordaccess WHERE id = %s", [anchored.pk])

    # What is left is still a valid chain: the limit of a chain without an anchor.
    assert "Verified 1 lines" in verify_command()
    missing = f"Line {anchored.pk} breaks .* anchored line is missing"
    with pytest.raises(CommandError, match=missing):
        verify_command("--anchor", anchor)


def truncate_access_log():
    with connection.cursor() as cursor:
        # TRUNCATE refuses to run before the deferred foreign-key checks of this test's rows.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE records_recordaccess")


def test_truncate_of_the_access_log_is_refused(therapist, record):
    log(record, therapist)

    with (
        pytest.raises(ProgrammingError, match="append-only: TRUNCATE refused"),
        transaction.atomic(),
    ):
        truncate_access_log()

    assert RecordAccess.objects.count() == 2


def test_truncate_is_refused_also_for_a_role_granted_all_on_the_log(therapist, record):
    """A role that does not own the table but holds every privilege on it (TRUNCATE
    included) is refused too, and cannot switch the trigger off."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE kartotek_granted_all NOLOGIN")
        cursor.execute("GRANT ALL ON records_recordaccess TO kartotek_granted_all")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET ROLE kartotek_granted_all")
        try:
            with pytest.raises(ProgrammingError, match="TRUNCATE refused"), transaction.atomic():
                cursor.execute("TRUNCATE records_recordaccess")
            with pytest.raises(ProgrammingError, match="must be owner"), transaction.atomic():
                cursor.execute(
                    "ALTER TABLE records_recordaccess DISABLE TRIGGER recordaccess_no_truncate"
                )
        finally:
            cursor.execute("RESET ROLE")

    assert RecordAccess.objects.count() == 1


def test_an_emptied_log_fails_verification_without_an_anchor(therapist, record, write):
    write("Visit")
    tamper("DELETE FROM records_recordaccess")

    with pytest.raises(CommandError) as refused:
        verify_command()

    message = str(refused.value)
    assert "chain of 0 lines is intact, but it does not cover the records" in message
    assert "1 record has no “created” line in the access log" in message
    assert "and 1 entry has none" in message
    assert f"record {record.pk}" in message


def test_a_record_with_entries_and_no_created_line_fails_verification(
    therapist, customer, record, write
):
    unlogged = Record(customer=customer, created_by=therapist)
    unlogged.seal(title="Written around the application")
    unlogged.save()
    write("Visit")

    with pytest.raises(CommandError, match="1 record has no “created” line") as refused:
        verify_command()

    assert str(unlogged.pk) in str(refused.value)


def test_a_log_that_covers_every_record_and_entry_verifies(therapist, record, write):
    write("Visit")

    assert "Verified 2 lines" in verify_command()


def test_an_anchor_passes_while_the_chain_grows_past_it(therapist, record):
    anchored = log(record, therapist)
    log(record, therapist)

    assert "Verified 3 lines" in verify_command("--anchor", f"{anchored.pk}:{anchored.chain_mac}")


def test_a_malformed_anchor_is_refused(db):
    with pytest.raises(CommandError, match="--anchor looks like ID:MAC"):
        verify_command("--anchor", "12")


def test_the_verifier_walks_the_log_in_chunks(therapist, record):
    for _ in range(6):
        log(record, therapist)

    result = audit.verify(chunk_size=2)

    assert result.broken is None
    assert result.verified == 7


@pytest.mark.django_db(transaction=True)
def test_two_requests_logging_at_once_do_not_fork_the_chain(therapist, customer):
    """Each writer takes the chain's advisory lock before reading the newest line, so
    writers queue; without the lock one of them would fail on the one-successor
    constraint (or, without that, fork the chain)."""
    record = services.record_create(customer=customer, title="Knee", by=therapist)
    start = threading.Barrier(2)
    failures = []

    def keep_logging():
        try:
            start.wait()
            for _ in range(25):
                log(record, therapist, address="192.0.2.1")
        except Exception as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=keep_logging) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    result = audit.verify()
    assert result.broken is None
    assert result.verified == 51


def test_the_data_migration_chains_lines_written_before_the_chain(therapist, record):
    log(record, therapist, address="192.0.2.9")
    tamper("UPDATE records_recordaccess SET chain_mac = ''")
    assert audit.verify().broken is not None
    migration = importlib.import_module("records.migrations.0003_access_log_chain")

    with connection.schema_editor() as schema_editor:
        migration.chain_existing_lines(apps, schema_editor)

    assert audit.verify().broken is None
