"""Purging kept records (GDPR Art. 17): once an erased customer's records are past their
retention, manage.py purge_records deletes them, their entries and versions, and the
customer row, and writes a "purged" line in the access log of each record. See
privacy.erasure for what an erasure does at once."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from privacy import erasure
from privacy.models import ErasureRequest
from records.models import Entry, EntryVersion, Record
from records.services import record_purged_log


@dataclass(frozen=True)
class PurgeResult:
    request: ErasureRequest
    kept_until: date | None
    # What was (or, in a dry run, would be) removed; empty when the records are kept longer.
    removed: dict[str, int]

    @property
    def purged(self) -> bool:
        return bool(self.removed)


def purge_due(*, now: datetime | None = None, dry_run: bool = False) -> list[PurgeResult]:
    """Purge every erased customer whose records are past their retention, one transaction
    each. "Kept until" is computed again from the last entry (one written since the
    erasure keeps them longer, and RECORD_RETENTION_YEARS may have changed)."""
    today = timezone.localdate(now or timezone.now())
    results = []
    for request_id in ErasureRequest.objects.awaiting_purge().values_list("pk", flat=True):
        result = _purge(request_id, today=today, now=now or timezone.now(), dry_run=dry_run)
        if result is not None:
            results.append(result)
    return results


@transaction.atomic
def _purge(request_id: int, *, today: date, now: datetime, dry_run: bool) -> PurgeResult | None:
    request = ErasureRequest.objects.select_for_update().get(pk=request_id)
    if request.purged_at is not None:  # another run got there first
        return None
    customer = Customer.objects.select_for_update().filter(pk=request.customer_id).first()
    if customer is None:  # purged with another request of the same customer
        kept_until = request.records_kept_until
    else:
        kept_until = (
            erasure.records_kept_until(customer, request.received) or request.records_kept_until
        )
    # Only requests that keep records are purged (records_kept_until is set on them).
    if kept_until >= today:  # type: ignore[operator]
        if kept_until == request.records_kept_until:
            return None
        if not dry_run:
            request.records_kept_until = kept_until
            request.save(update_fields=["records_kept_until"])
        return PurgeResult(request, kept_until, {})
    records = Record.objects.filter(customer_id=request.customer_id)
    entries = Entry.objects.filter(record__in=records)
    versions = EntryVersion.objects.filter(entry__in=entries)
    if dry_run:
        removed = {
            "records": records.count(),
            "entries": entries.count(),
            "entry_versions": versions.count(),
            "customers": int(customer is not None),
        }
        return PurgeResult(request, kept_until, removed)
    counts: Counter = Counter()
    if customer is not None:
        # Whatever was added to the customer since the erasure goes the same way.
        counts = erasure.erase_customer_details(customer)
    # The records' rows are locked before their log lines take the access-log chain's lock:
    # the lock order of records/services.py, so a journal write racing the purge waits.
    for record in records.select_for_update().order_by("pk"):
        record_purged_log(record=record)
    counts["entry_versions"] = erasure.delete_rows(versions)
    counts["entries"] = erasure.delete_rows(entries)
    counts["records"] = erasure.delete_rows(records)
    if customer is not None:
        erasure.delete_customer(customer, counts)
    # Never empty, so that a purge of nothing still reads as done.
    removed = {"records": 0, "entries": 0, "entry_versions": 0, **erasure.summary_of(counts)}
    request.records_kept_until = kept_until
    request.purged_at = now
    request.summary = {**request.summary, "purged": removed}
    request.save(update_fields=["records_kept_until", "purged_at", "summary"])
    return PurgeResult(request, kept_until, removed)
