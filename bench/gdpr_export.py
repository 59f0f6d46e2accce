"""Benchmark the GDPR access export of a customer whose record holds 5,000 entries.

    .venv/bin/python bench/gdpr_export.py [--runs 7] [--entries 5000]

Uses the Record tab's customer of bench/records.py (number 1000000071, one record of 5,000
entries of ~2 KB sealed with the bench keys), generated with that script's functions if it
is missing (never the 1,000,000-entry record). Then:

- times `privacy.export.build_export(CUSTOMER, customer, reason=...)` over `--runs` runs
  (after one to warm up), loading the customer through `CUSTOMER.queryset()` as the view
  does: median and p95, SQL queries, the size of the zip and of each file in it;
- splits one export into its stages (each section's read, summary.html's rendering,
  data.json's encoding, the deflate) to show where the time goes;
- measures the peak of Python memory allocated during one export (tracemalloc, in a run of
  its own: tracing slows everything down);
- and POSTs once to the real page (`privacy:customer_export`) through Django's test client,
  as an administrator (role group "Administrator") signed in with a second factor, which
  also writes the logs (a SubjectExport row and an "Exported" line per record).

Every export adds lines to the bench database's export and access logs, which the next
export reads back (a few rows: negligible against 5,000 entries).
"""

import argparse
import contextlib
import gc
import io
import json
import os
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.template.base import PartialTemplate, Template  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, _TestState  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import percentiles, timings, use_bench_database  # noqa: E402
from bench.records import (  # noqa: E402
    BENCH_KEY_IDS,
    TAB_CUSTOMER_NUMBER,
    _bench_customer,
    _body_size,
    _generate_tab_entries,
    _rotation_source_key,
    _use_key_ring,
)

REASON = "Benchmark: access request received by letter"
ADMIN_USERNAME = "bench-gdpr-admin"
MIB = 1024 * 1024


def _customer(entries: int, body_size: int):
    """The Record tab's bench customer, with `entries` entries in its record."""
    from accounts.models import User
    from customers.models import Customer
    from records.models import Entry

    author, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    customer = Customer.objects.filter(number=TAB_CUSTOMER_NUMBER).first()
    have = Entry.objects.filter(record__customer=customer).count() if customer else 0
    if have >= entries:
        # Reading needs both bench keys in the ring, in any order.
        _use_key_ring(BENCH_KEY_IDS[0])
    else:
        # Sealed under the key the rotation record is under, as bench/records.py does.
        _use_key_ring(_rotation_source_key())
        customer, record = _bench_customer(TAB_CUSTOMER_NUMBER, "Journal", "Physiotherapy", author)
        _generate_tab_entries(record, entries, body_size, author)
    return customer


def _administrator():
    """A staff user in the "Administrator" role group, with a confirmed authenticator."""
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from accounts.roles import sync_roles

    if not Group.objects.filter(name="Administrator").exists():
        sync_roles()
    user, _ = User.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={"kind": User.Kind.STAFF, "first_name": "Bench", "last_name": "Administrator"},
    )
    user.groups.add(Group.objects.get(name="Administrator"))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return user, device


def _verified_client(user, device) -> Client:
    """Signed in as `user` in a session verified with `device`, as
    tests.factories.login_with_second_factor makes one."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@contextlib.contextmanager
def _server_rendering():
    """Templates rendered as a server renders them, without the test environment's
    instrumentation: it sends a signal for each template rendered, and while the test client
    is in a request, its receiver keeps a copy of the context of each. summary.html is
    rendered with one include per value (70,000 for 5,000 entries), so the test client would
    time mostly its own bookkeeping."""
    saved = _TestState.saved_data
    instrumented = Template._render, PartialTemplate._render
    Template._render = saved.template_render
    PartialTemplate._render = saved.partial_template_render
    try:
        yield
    finally:
        Template._render, PartialTemplate._render = instrumented


def _load(customer_id):
    from privacy.sections import CUSTOMER

    return CUSTOMER.queryset().get(pk=customer_id)


def _export(customer_id):
    from privacy.export import build_export
    from privacy.sections import CUSTOMER

    return build_export(CUSTOMER, _load(customer_id), reason=REASON)


def _file_sizes(content: bytes) -> dict[str, tuple[int, int]]:
    """Each file of the zip: (size, compressed size) in bytes."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {info.filename: (info.file_size, info.compress_size) for info in archive.infolist()}


def _stages(customer_id) -> list[tuple[str, float]]:
    """One export split in its stages, as build_export runs them: milliseconds each."""
    from privacy.export import ExportEncoder, summary_html
    from privacy.sections import CUSTOMER

    spent = []

    def timed(name, work):
        started = time.perf_counter()
        result = work()
        spent.append((name, (time.perf_counter() - started) * 1000))
        return result

    customer = timed("load the customer", lambda: _load(customer_id))
    sections = {}
    for section in CUSTOMER.sections:
        sections[section.key] = timed(
            f"section {section.key}", lambda section=section: section.read(customer)
        )
    data = {"exported_at": timezone.now(), "reason": REASON, "sections": sections}
    tree = timed(
        "summary.html: summary_html()",
        lambda: [
            (section.title, summary_html(sections[section.key])) for section in CUSTOMER.sections
        ],
    )
    summary = timed(
        "summary.html: render",
        lambda: render_to_string(
            "privacy/export_summary.html",
            {
                "subject_type": CUSTOMER,
                "subject": customer,
                "at": data["exported_at"],
                "reason": REASON,
                "sections": tree,
            },
        ),
    )
    text = timed(
        "data.json: json.dumps",
        lambda: json.dumps(data, cls=ExportEncoder, ensure_ascii=False, indent=2) + "\n",
    )

    def deflate():
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", text)
            archive.writestr("summary.html", summary)
        return buffer.getvalue()

    timed("zip (deflate)", deflate)
    return spent


def _post(client: Client, url: str) -> str:
    """POST the export form once: what it took, and what it logged."""
    from privacy.models import SubjectExport
    from records.models import RecordAccess

    exported = RecordAccess.objects.filter(action=RecordAccess.Action.EXPORT)
    before = SubjectExport.objects.count(), exported.count()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.post(url, {"reason": REASON})
        seconds = time.perf_counter() - started
    if response.status_code != 200 or response["Content-Type"] != "application/zip":
        raise SystemExit(f"POST {url} answered {response.status_code} {response['Content-Type']}")
    logged = SubjectExport.objects.count() - before[0], exported.count() - before[1]
    return (
        f"{seconds * 1000:.0f} ms, {len(queries)} queries, {len(response.content) / MIB:.2f} MiB"
        f" zip; logged {logged[0]} SubjectExport row and {logged[1]} RecordAccess EXPORT line"
    )


def _page(customer) -> None:
    user, device = _administrator()
    client = _verified_client(user, device)
    url = reverse("privacy:customer_export", args=[customer.pk])
    form = client.get(url)
    if form.status_code != 200:
        raise SystemExit(f"GET {url} answered {form.status_code} (not signed in and verified?)")
    print(f"\nthe page, POST {url}\n(administrator in a verified session):")
    with _server_rendering():
        print(f"  once, templates rendered as a server does: {_post(client, url)}")
    print(f"  once more, with the test client's instrumentation: {_post(client, url)}")


def _measure(customer, runs: int) -> None:
    # Whole exports, as the view builds them (load, then build_export).
    median, p95 = percentiles(timings(lambda: _export(customer.pk), runs))
    with CaptureQueriesContext(connection) as queries:
        export = _export(customer.pk)
    sizes = _file_sizes(export.content)
    entries = sum(len(record["entries"]) for record in export.data["sections"]["records"])
    print(f"\nbuild_export, {runs} runs after one to warm up ({entries} entries):")
    print(f"  median {median:.0f} ms, p95 {p95:.0f} ms, {len(queries)} queries")
    print(f"  zip {len(export.content) / MIB:.2f} MiB:")
    for name, (size, compressed) in sizes.items():
        print(f"    {name:<14}{size / MIB:>8.2f} MiB, {compressed / MIB:>6.2f} MiB deflated")
    del export

    print("\none export by stage:")
    for name, milliseconds in _stages(customer.pk):
        print(f"  {name:<36}{milliseconds:>8.0f} ms")

    gc.collect()
    tracemalloc.start()
    _export(customer.pk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\npeak Python memory during one export (tracemalloc): {peak / MIB:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5_000, help="in the customer's record")
    parser.add_argument("--body-size", type=int, default=2_000, help="characters an entry body")
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()

    use_bench_database()
    customer = _customer(arguments.entries, arguments.body_size)
    record = customer.records.order_by("created").first()
    print(
        f"customer {customer.number}: {customer.records.count()} record(s), "
        f"{record.entries.count()} entries of {_body_size(record)} stored bytes "
        f"(body ~{arguments.body_size} characters)"
    )

    with _server_rendering():
        _measure(customer, arguments.runs)
    _page(customer)


if __name__ == "__main__":
    main()
