"""Benchmark the Record tab over a 5,000-entry journal, and key rotation over 1,000,000 entries.

    .venv/bin/python bench/records.py [--entries 5000] [--entries-rotation 1000000]
        [--body-size 2000] [--runs 30] [--skip-tab] [--skip-rotation]

Generates, once, into a database of its own (`kartotek_bench`, kept between runs):
- a customer whose record holds 5,000 entries of ~2 KB clinical prose written over six
  years, sealed one by one (`entry.seal`) and bulk-inserted;
- another customer whose record holds 1,000,000 entries, encrypted in Python with
  config.crypto (bound to their rows exactly as `Sealed.seal` binds them) and loaded with
  COPY, since building them through the ORM would take hours.

Then it measures the Record tab (`?tab=record&record=<id>`, 25 entries a page) on
the first, a middle and the last page through Django's test client: median and p95 server
time and SQL queries, and beside it the time decrypting a page's 25 entries takes, to show
the crypto's share. Last, it runs the real `reencrypt_records` command with the other bench
key put first in the key ring, and reports rows per second and how many of the updates were
HOT, then a second run with nothing left to do.

The bench keys ("bench-a", "bench-b") are generated once into the data directory, beside
the development secrets; the rows alternate between them from one run to the next. The
configured RECORD_KEYS stay in the ring after them, for the customers' SSNs.
"""

import argparse
import io
import math
import os
import random
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.html import escape  # noqa: E402

from bench.common import (  # noqa: E402
    measure_page,
    percentiles,
    sign_in_with_second_factor,
    timings,
    use_bench_database,
)
from config import crypto, keys  # noqa: E402

PER_PAGE = 25  # the Record tab's page size
TAB_CUSTOMER_NUMBER = 10**9 + 71
ROTATION_CUSTOMER_NUMBER = 10**9 + 72
BENCH_KEY_IDS = ("bench-a", "bench-b")
COPY_CHUNK = 50_000
BODY_POOL = 1_000  # distinct bodies the rotation entries are drawn from (each sealed anew)
CONFIGURED_RING = settings.RECORD_KEYS

GROUPS = ["Initial assessment", "Treatment note", "Progress review", "Discharge summary"]
COMPLAINTS = [
    "lower back pain",
    "neck stiffness",
    "left knee pain",
    "right shoulder impingement",
    "tension headache",
    "sleep difficulties",
    "low mood",
    "anxiety before work",
    "plantar fasciitis",
    "lateral epicondylitis",
    "hip pain on walking",
    "dizziness on standing",
    "hand eczema",
    "whiplash symptoms",
    "rehabilitation after knee surgery",
    "persistent fatigue",
]
SINCE = [
    "the fall in March",
    "about three weeks",
    "the last session",
    "starting the new job",
    "the car accident",
    "early this year",
    "the operation",
    "a long weekend of gardening",
]
ACTIVITIES = [
    "climbing stairs",
    "lifting the children",
    "sitting at the desk",
    "running",
    "turning the head",
    "kneeling",
    "getting out of bed",
    "carrying shopping",
]
FINDINGS = [
    "Reduced range of motion in flexion, about two thirds of the other side",
    "Tenderness on palpation over the lateral joint line",
    "Muscle tone increased in the upper trapezius, worse on the right",
    "Straight leg raise negative on both sides",
    "Gait slightly antalgic, improving through the session",
    "Skin dry with fissures on both palms, no signs of infection",
    "Mood described as flat; sleep four to five hours a night",
    "Grip strength 28 kg right, 31 kg left",
    "No neurological deficits found; reflexes symmetrical",
    "Swelling reduced compared with the last visit",
]
TREATMENTS = [
    "soft tissue massage of the lumbar region",
    "joint mobilisation, grade II to III",
    "dry needling of two trigger points",
    "cognitive restructuring around the work situation",
    "graded exposure, step three of seven",
    "taping for support during activity",
    "emollient routine and barrier cream reviewed",
    "balance training on an unstable surface",
    "breathing exercises and progressive relaxation",
]
EXERCISES = [
    "bridging",
    "wall squats",
    "chin tucks",
    "clamshells",
    "calf raises",
    "thoracic rotations",
    "eccentric wrist extensions",
    "single-leg stance",
]
PLANS = [
    "continue twice a week for three weeks, then review",
    "referral letter to the GP about imaging",
    "reduce to one session a week if progress holds",
    "contact the caseworker about a gradual return to work",
    "re-test strength at the next visit",
    "follow-up in four weeks",
]
SENTENCES = [
    "Patient reports {complaint} since {since}.",
    "Pain today {rest}/10 at rest and {load}/10 when {activity}.",
    "{finding}.",
    "Treatment: {treatment}.",
    "Home exercises reviewed: {exercise}, {reps} repetitions twice daily.",
    "Patient tolerated the session well and reports less trouble {activity}.",
    "Discussed {complaint} and what makes it worse; patient keeps a short diary.",
    "Plan: {plan}.",
]


def _sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        complaint=rng.choice(COMPLAINTS),
        since=rng.choice(SINCE),
        rest=rng.randrange(0, 5),
        load=rng.randrange(3, 9),
        activity=rng.choice(ACTIVITIES),
        finding=rng.choice(FINDINGS),
        treatment=rng.choice(TREATMENTS),
        exercise=rng.choice(EXERCISES),
        reps=rng.choice([8, 10, 12, 15]),
        plan=rng.choice(PLANS),
    )


def _body(rng: random.Random, size: int) -> str:
    """Clinical-looking prose of about `size` characters, in paragraphs."""
    paragraphs, length = [], 0
    while length < size:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randrange(3, 6)))
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    text = "\n\n".join(paragraphs)
    return text[:size].rsplit(" ", 1)[0] + "."


def _title(rng: random.Random, group: str, number: int) -> str:
    return f"{group}: {rng.choice(COMPLAINTS)}, visit {number}"


def _bench_keys() -> dict[str, str]:
    """The two bench keys, generated once into the data directory like the development
    secrets (never in the source, though they guard only generated text)."""
    return {
        key_id: keys.development_secret(
            settings.DATA_DIR, f"bench_record_key_{key_id}", keys.new_key
        )
        for key_id in BENCH_KEY_IDS
    }


def _use_key_ring(first: str) -> None:
    """Encrypt under bench key `first`; decrypt under both bench keys and the configured ring
    (the customers' SSNs), as the tests do rotation: by changing the setting in-process."""
    bench = _bench_keys()
    ring = [f"{first}:{bench[first]}"]
    ring += [f"{key_id}:{key}" for key_id, key in bench.items() if key_id != first]
    settings.RECORD_KEYS = ",".join([*ring, CONFIGURED_RING])


def _rotation_source_key() -> str:
    """The bench key most of the rotation record's entries are under (the first at first)."""
    from records.models import Entry

    by_key = (
        Entry.objects.filter(record__customer__number=ROTATION_CUSTOMER_NUMBER)
        .values("key_id")
        .annotate(rows=Count("id"))
        .order_by("-rows")
    )
    return by_key[0]["key_id"] if by_key else BENCH_KEY_IDS[0]


def _bench_customer(number: int, name: str, record_title: str, admin):
    from customers.models import Customer
    from records import services

    customer, _ = Customer.objects.get_or_create(
        number=number, defaults={"first_name": "Bench", "last_name": name}
    )
    record = customer.records.order_by("created").first() or services.record_create(
        customer=customer, title=record_title, by=admin
    )
    return customer, record


def _generate_tab_entries(record, count: int, size: int, author) -> None:
    """Entries sealed one by one, as the app seals them, then bulk-inserted."""
    from records.models import Entry, RecordGroup

    have = record.entries.count()
    if have >= count:
        return
    print(f"generating {count - have} entries of ~{size} characters for the Record tab ...")
    started = time.perf_counter()
    rng = random.Random(7 + have)
    groups = [RecordGroup.objects.get_or_create(name=name)[0] for name in GROUPS]
    now = timezone.now()
    # Six years of visits, numbered in the order they happened.
    moments = sorted(
        now - timedelta(minutes=rng.randrange(6 * 365 * 24 * 60)) for _ in range(count - have)
    )
    batch = []
    for number, created in enumerate(moments, start=have + 1):
        group = rng.choice(groups)
        entry = Entry(record=record, group=group, author=author, created=created)
        entry.seal(title=_title(rng, group.name, number), body=_body(rng, size))
        batch.append(entry)
        if len(batch) == 500:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_entry")
    print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)


def _sealed_rows(record, author, numbers: range, bodies: list[str], rng: random.Random):
    """Entry rows as {attname: value}, each sealed under the current key with the associated
    data Sealed.seal uses (table, row id, field)."""
    from records.models import Entry, RecordGroup

    table = Entry._meta.db_table
    groups = [RecordGroup.objects.get_or_create(name=name)[0] for name in GROUPS]
    # Columns added to Entry later (rich_text, ...) get their model default.
    defaults = {field.attname: field.get_default() for field in Entry._meta.concrete_fields}
    key_id = crypto.current_key_id()
    now = timezone.now()
    for number in numbers:
        entry_id = uuid.uuid4()
        group = rng.choice(groups)
        created = now - timedelta(minutes=rng.randrange(8 * 365 * 24 * 60))
        bound = {"table": table, "row_id": str(entry_id)}
        yield {
            **defaults,
            "id": entry_id,
            "key_id": key_id,
            "record_id": record.id,
            "group_id": group.id,
            "author_id": author.id,
            "created": created,
            "updated": created,
            "title_encrypted": crypto.encrypt(
                _title(rng, group.name, number), field="title", **bound
            ),
            "body_encrypted": crypto.encrypt(rng.choice(bodies), field="body", **bound),
        }


def _generate_rotation_entries(record, count: int, size: int, author) -> None:
    """Entries encrypted here with config.crypto and loaded with COPY, in chunks."""
    from records.models import Entry

    have = record.entries.count()
    if have >= count:
        if have > count:
            print(f"the rotation record already holds {have} entries: rotating all of them")
        return
    print(f"generating {count - have} entries of ~{size} characters for key rotation ...")
    started = time.perf_counter()
    rng = random.Random(11 + have)
    bodies = [_body(rng, size) for _ in range(BODY_POOL)]
    table, fields = Entry._meta.db_table, Entry._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute"
            " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [table],
        )
        type_of = dict(cursor.fetchall())
    done = have
    while done < count:
        numbers = range(done + 1, min(done + COPY_CHUNK, count) + 1)
        copying = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
        # Encrypted before COPY starts: no other query can run on the connection during
        # COPY, and a COPY left waiting on its client holds up DROP DATABASE elsewhere on
        # the server (the tests' teardown).
        rows = list(_sealed_rows(record, author, numbers, bodies, rng))
        with connection.cursor() as cursor, cursor.copy(copying) as copy:
            copy.set_types([type_of[field.column] for field in fields])
            for row in rows:
                copy.write_row([row[field.attname] for field in fields])
        done += len(numbers)
        print(f"  {done}/{count} entries, {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE records_entry")
    # The proof that the binding matches Sealed.seal: the ORM opens what COPY loaded.
    record.entries.order_by("id").first().opened()
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)


def _body_size(record) -> int:
    """The mean stored body of `record`'s entries, in bytes (ciphertext and its header)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT avg(octet_length(body_encrypted))::int FROM records_entry WHERE record_id = %s",
            [record.id],
        )
        return cursor.fetchone()[0]


def _measure_tab(client: Client, customer, record, runs: int) -> None:
    from records.models import Entry

    entries = record.entries.count()
    last = math.ceil(entries / PER_PAGE)
    page = list(Entry.objects.filter(record=record).order_by("-created", "id")[:PER_PAGE])
    median, p95 = percentiles(timings(lambda: [entry.opened() for entry in page], runs))
    print(f"\nRecord tab: {entries} entries of {_body_size(record)} stored bytes, {runs} runs")
    print(
        f"decrypting {PER_PAGE} entries (title and body, no HTTP): median {median:.2f} ms, "
        f"p95 {p95:.2f} ms ({median * 1000 / PER_PAGE:.0f} µs an entry)"
    )

    url = f"/customers/{customer.id}/?tab=record&record={record.id}"
    # Page 1 holds the newest or the oldest entries, as the "Sorting" setting says.
    oldest = Entry.objects.filter(record=record).order_by("created", "id")[:PER_PAGE]
    titles = {escape(entry.title) for entry in [*page, *oldest]}
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"the Record tab answered {response.status_code}")
    if not any(title in response.content.decode() for title in titles):
        raise SystemExit(
            "the Record tab is not built yet: page 1 shows none of the record's entries "
            "(run with --skip-tab to measure key rotation alone)"
        )
    print(f"{'page':<26}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    # The tab pages from a row (config.pagination): the middle page is "after" the entry
    # before it, as a Next link asks for it.
    shown = Entry.objects.filter(record=record).order_by("-created", "-id")
    middle = shown[((last + 1) // 2 - 1) * PER_PAGE - 1]
    pages = [("first", "page=first"), ("middle", f"after={middle.pk}"), ("last", "page=last")]
    for name, query in pages:
        median, p95, queries = measure_page(client, f"{url}&{query}", runs)
        print(f"{name:<26}{median:>11.1f}{p95:>9.1f}{queries:>9}")


class _Progress(io.StringIO):
    """The command's output, passed on every ten seconds and at the end, not every batch."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = time.monotonic()

    def write(self, text: str) -> int:
        if text.strip() and (time.monotonic() - self.shown > 10 or "Re-encrypted" in text):
            print(f"  {text.strip()}", flush=True)
            self.shown = time.monotonic()
        return super().write(text)


def _updates() -> tuple[int, int]:
    """records_entry's updates so far, and how many of them were HOT."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
            " WHERE relname = 'records_entry'"
        )
        return cursor.fetchone()


def _rotate(record) -> None:
    from records.models import Entry, EntryVersion, Record

    source = _rotation_source_key()
    target = next(key_id for key_id in BENCH_KEY_IDS if key_id != source)
    _use_key_ring(target)
    with connection.cursor() as cursor:
        # The last rotation left a dead version of every row: each run starts clean.
        cursor.execute("VACUUM ANALYZE records_entry")
    pending = sum(
        model.objects.exclude(key_id=target).count() for model in (Record, Entry, EntryVersion)
    )
    print(f"\nkey rotation: {record.entries.count()} entries of {_body_size(record)} stored bytes")
    print(f"re-encrypting {pending} rows from {source!r} to {target!r} ...", flush=True)
    updates_before = _updates()
    started = time.perf_counter()
    call_command("reencrypt_records", stdout=_Progress())
    seconds = time.perf_counter() - started
    print(f"rotation: {pending} rows in {seconds:.1f} s, {pending / seconds:.0f} rows/s")
    time.sleep(1)  # the command's connections report their statistics as they close
    (updated_after, hot_after), (updated_before, hot_before) = _updates(), updates_before
    updated, hot = updated_after - updated_before, hot_after - hot_before
    print(f"records_entry: {updated} rows updated, {hot} of them HOT (no index written)")
    started = time.perf_counter()
    call_command("reencrypt_records", stdout=io.StringIO())
    print(f"second run, nothing left to do: {time.perf_counter() - started:.2f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('records_entry'))")
        print(f"records_entry with its indexes and TOAST: {cursor.fetchone()[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5_000, help="in the Record tab's record")
    parser.add_argument("--entries-rotation", type=int, default=1_000_000)
    parser.add_argument("--body-size", type=int, default=2_000, help="characters an entry body")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--skip-tab", action="store_true")
    parser.add_argument("--skip-rotation", action="store_true")
    arguments = parser.parse_args()

    use_bench_database()

    from accounts.models import User
    from customers.models import CustomerSettings

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    # Everything is sealed under the bench key the rotation record is under, so that one
    # rotation moves every row of the bench to the other key.
    _use_key_ring(_rotation_source_key())
    customer, tab_record = _bench_customer(TAB_CUSTOMER_NUMBER, "Journal", "Physiotherapy", admin)
    _, rotation_record = _bench_customer(
        ROTATION_CUSTOMER_NUMBER, "Rotation", "Key rotation", admin
    )

    if not arguments.skip_tab:
        _generate_tab_entries(tab_record, arguments.entries, arguments.body_size, admin)
    if not arguments.skip_rotation:
        _generate_rotation_entries(
            rotation_record, arguments.entries_rotation, arguments.body_size, admin
        )
    if not arguments.skip_tab:
        settings_row = CustomerSettings.load()
        settings_row.records_addon_enabled = True
        settings_row.save()
        client = Client()
        sign_in_with_second_factor(client, admin)
        _measure_tab(client, customer, tab_record, arguments.runs)
    if not arguments.skip_rotation:
        _rotate(rotation_record)


if __name__ == "__main__":
    main()
