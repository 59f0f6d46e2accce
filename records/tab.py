"""The customer profile's Record tab: the customer's records and one record's entries.

Registered on the profile by records.apps. Showing a record's entries writes a "viewed"
line to the access log, whoever opens it and however often.
"""

from typing import Any

from accounts import two_factor
from accounts.network import client_ip
from config.http import AuthenticatedHttpRequest
from config.pagination import KeysetPaginator
from customers.models import Customer, CustomerSettings
from records import services
from records.models import Entry, Record, RecordAccess, RecordGroup

ENTRIES_PER_PAGE = 25


def is_shown(request: AuthenticatedHttpRequest, settings: CustomerSettings) -> bool:
    """Whether the profile has the Record tab (asked once per profile page). Asked for by
    someone without the permission (a link to `?tab=record&record=<id>`), it is not shown
    and the attempt is written to that record's access log as "denied"."""
    if not settings.records_addon_enabled:
        return False
    if request.user.has_perm("records.view_record"):
        return True
    if request.GET.get("tab") == "record" and request.resolver_match:
        services.record_denied_log(
            by=request.user,
            address=client_ip(request),
            record_id=request.GET.get("record"),
            customer_id=request.resolver_match.kwargs.get("customer_id"),
        )
    return False


def entry_opened(entry: Entry) -> Entry:
    """`entry` with its text in clear as `entry.text`, or None when it cannot be opened
    (logged loudly by Entry.readable, for this entry only: the rest of the journal stays
    readable)."""
    entry.text = entry.readable()
    return entry


def entry_with_windows(entry: Entry, settings: CustomerSettings) -> Entry:
    """`entry` with what its card shows: its text (entry_opened), and whether, and until
    when, it can be edited and deleted."""
    entry_opened(entry)
    entry.edit_refusal = services.entry_edit_refusal(entry, settings)
    entry.delete_refusal = services.entry_delete_refusal(entry, settings)
    entry.edit_closes = entry.window_closes(settings.record_edit_window or None)
    entry.delete_closes = entry.window_closes(settings.record_delete_window or None)
    return entry


def context(request: AuthenticatedHttpRequest, customer: Customer) -> dict[str, Any]:
    if not request.user.is_verified():
        # Health data only in a session verified with a second factor.
        return {"second_factor_url": two_factor.health_data_step_url(request)}
    settings = CustomerSettings.for_request(request)
    records = list(customer.records.with_entry_count().order_by("-created", "id"))
    for record in records:
        record.customer = customer
    chosen = _chosen(records, request.GET.get("record"))
    result: dict[str, Any] = {
        "records": [record for record in records if not record.archived],
        "archived_records": [record for record in records if record.archived],
        "record": chosen,
    }
    if chosen is None:
        return result
    newest_first = settings.record_sorting == settings.RecordSorting.NEWEST_FIRST
    entries = chosen.entries.for_display().in_journal_order(newest_first)
    # In in_journal_order's order, on the (record, created, id) index; by default on the
    # newest entries, which are on the last page when the newest are shown at the bottom.
    page = KeysetPaginator(
        entries, per_page=ENTRIES_PER_PAGE, opens_on_last=not newest_first
    ).page_for(request.GET)
    for entry in page.object_list:
        entry_with_windows(entry, settings)
    services.record_access_log(
        action=RecordAccess.Action.VIEW,
        record=chosen,
        by=request.user,
        address=client_ip(request),
    )
    groups = []
    if not chosen.archived and request.user.has_perm("records.add_entry"):
        groups = list(RecordGroup.objects.filter(is_active=True).only("id", "name"))
    result.update(page=page, newest_first=newest_first, groups=groups)
    return result


def _chosen(records: list[Record], wanted: str | None) -> Record | None:
    """The record asked for, else the newest open one, else the newest archived one."""
    for record in records:
        if str(record.pk) == wanted:
            return record
    open_records = [record for record in records if not record.archived]
    return next(iter(open_records or records), None)
