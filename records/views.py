"""Staff pages of the records add-on: records and entries, their versions and print, the
record groups, and the access log.

Every page, the access log included, exists only while the records add-on is on (404
otherwise, whatever the method), and each asks its own permission (403 without it). The
rules themselves (windows, archive, sanitising, logging of writes) live in
records.services; pages log what they show.
"""

from functools import wraps
from typing import Any

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from accounts import two_factor
from accounts.network import client_ip
from config.forms import show_service_errors
from config.http import AuthenticatedHttpRequest
from config.pagination import KeysetPaginator
from config.streaming import stream
from customers.models import Customer, CustomerSettings
from customers.profile import tab_url
from customers.switches import switched_on
from records import services
from records.forms import EntryForm, RecordForm, RecordGroupForm
from records.models import Entry, Record, RecordAccess, RecordGroup
from records.rich_text import in_format, writes_rich
from records.tab import entry_opened, entry_with_windows

Action = RecordAccess.Action
LOG_PAGE_SIZE = 50


def _editor_csp() -> dict[str, list[str]]:
    """The site's Content-Security-Policy, plus what the rich-text editor needs: it positions
    its menus with inline styles and shows pasted images as blob: URLs. Only the pages that
    show the editor get it."""
    policy: dict[str, Any] = django_settings.SECURE_CSP
    return {
        **policy,
        "style-src": [*policy["style-src"], CSP.UNSAFE_INLINE],
        "img-src": [*policy["img-src"], "blob:"],
        "connect-src": [*policy["connect-src"], "blob:"],
    }


def _render_form(request: AuthenticatedHttpRequest, template: str, context: dict) -> HttpResponse:
    if context["form"].rich:
        # Django's per-view override, applied here because only a form in the editor's
        # format needs it (the policy is read from settings when the page is drawn).
        return csp_override(_editor_csp())(render)(request, template, context)
    return render(request, template, context)


records_addon = switched_on("records_addon_enabled", "The records add-on is switched off.")


def records_page(permission: str):
    """A records page: 404 while the add-on is off, 403 without `permission`, only in a
    session verified with a second factor (never cached, as every signed-in page)."""

    def decorator(view):
        verified_view = two_factor.required(view)

        @records_addon
        @wraps(view)
        def wrapped(request: AuthenticatedHttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.has_perm(permission):
                # The log is where a supervisor looks: a refused attempt on a record is
                # written there too.
                services.record_denied_log(
                    by=request.user,
                    address=client_ip(request),
                    record_id=kwargs.get("record_id"),
                    entry_id=kwargs.get("entry_id"),
                )
                raise PermissionDenied
            return verified_view(request, *args, **kwargs)

        return wrapped

    return decorator


def record_url(record: Record) -> str:
    """The customer's Record tab opened on `record`."""
    return f"{tab_url(record.customer_id, 'record')}&record={record.pk}"


def _record(record_id) -> Record:
    return get_object_or_404(Record.objects.select_related("customer"), pk=record_id)


def _entry(entry_id) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("record__customer", "group", "author"), pk=entry_id
    )


def _refuse(request: AuthenticatedHttpRequest, reasons: list[str], record: Record) -> HttpResponse:
    """Back to the record, saying why what was asked cannot be done."""
    for reason in reasons:
        messages.error(request, reason)
    return redirect(record_url(record))


@records_page("records.add_record")
def record_create(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=customer_id)
    form = RecordForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        record = services.record_create(
            customer=customer,
            title=form.cleaned_data["title"],
            by=request.user,
            address=client_ip(request),
        )
        messages.success(request, _("Record “%(title)s” created.") % {"title": record.shown_title})
        return redirect(record_url(record))
    return render(request, "records/record_form.html", {"form": form, "customer": customer})


@records_page("records.change_record")
@require_POST
def record_archive(request: AuthenticatedHttpRequest, record_id) -> HttpResponse:
    record = _record(record_id)
    archive = request.POST.get("archive") == "1"
    try:
        services.record_archive(
            record=record, archived=archive, by=request.user, address=client_ip(request)
        )
    except ValidationError as error:
        return _refuse(request, error.messages, record)
    if archive:
        done = _("Record “%(title)s” archived.")
    else:
        done = _("Record “%(title)s” restored from the archive.")
    messages.success(request, done % {"title": record.shown_title})
    return redirect(record_url(record))


@records_page("records.view_record")
def record_print(request: AuthenticatedHttpRequest, record_id) -> HttpResponse:
    record = _record(record_id)
    settings = CustomerSettings.for_request(request)
    entries = stream(
        record.entries.for_display().in_journal_order(
            settings.record_sorting == settings.RecordSorting.NEWEST_FIRST
        ),
        chunk_size=500,
    )
    services.record_access_log(
        action=Action.PRINT, record=record, by=request.user, address=client_ip(request)
    )
    context = {
        "record": record,
        "customer": record.customer,
        # What the customer settings switch off (date of birth) stays off on paper too.
        "settings": settings,
        "entries": (entry_opened(entry) for entry in entries),
    }
    return render(request, "records/record_print.html", context)


@records_page("records.add_entry")
def entry_create(request: AuthenticatedHttpRequest, record_id) -> HttpResponse:
    record = _record(record_id)
    if record.archived:
        messages.error(request, "This record is archived: new entries cannot be added.")
        return redirect(record_url(record))
    group = None
    if group_id := request.GET.get("group"):
        if not group_id.isdecimal():
            raise Http404(_("No such record group."))
        group = get_object_or_404(RecordGroup, pk=group_id, is_active=True)
    rich = writes_rich(False, CustomerSettings.for_request(request))
    form = EntryForm(
        request.POST if request.method == "POST" else None,
        rich=rich,
        initial=EntryForm.initial_from(group, rich=rich),
    )
    if form.is_valid():
        try:
            services.entry_create(
                record=record,
                group=group,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                by=request.user,
                address=client_ip(request),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("Entry “%(title)s” added.") % {"title": form.cleaned_data["title"]}
            )
            return redirect(record_url(record))
    context = {"form": form, "record": record, "customer": record.customer, "group": group}
    return _render_form(request, "records/entry_form.html", context)


@records_page("records.change_entry")
def entry_edit(request: AuthenticatedHttpRequest, entry_id) -> HttpResponse:
    entry = _entry(entry_id)
    settings = CustomerSettings.for_request(request)
    entry_with_windows(entry, settings)
    if entry.edit_refusal:
        return _refuse(request, [entry.edit_refusal], entry.record)
    rich = writes_rich(entry.rich_text, settings)
    # Opened once, by entry_with_windows (an entry that cannot be opened was refused above).
    initial = dict(entry.text)  # type: ignore[arg-type]
    initial["body"] = in_format(initial["body"], rich=rich, was_rich=entry.rich_text)
    form = EntryForm(request.POST if request.method == "POST" else None, rich=rich, initial=initial)
    if form.is_valid():
        try:
            services.entry_update(
                entry=entry,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                by=request.user,
                address=client_ip(request),
            )
        except ValidationError as error:
            return _refuse(request, error.messages, entry.record)
        messages.success(
            request, _("Entry “%(title)s” saved.") % {"title": form.cleaned_data["title"]}
        )
        return redirect(record_url(entry.record))
    context = {
        "form": form,
        "entry": entry,
        "record": entry.record,
        "customer": entry.record.customer,
    }
    return _render_form(request, "records/entry_form.html", context)


@records_page("records.delete_entry")
def entry_delete(request: AuthenticatedHttpRequest, entry_id) -> HttpResponse:
    entry = _entry(entry_id)
    entry_with_windows(entry, CustomerSettings.for_request(request))
    if entry.delete_refusal:
        return _refuse(request, [entry.delete_refusal], entry.record)
    if request.method == "POST":
        try:
            services.entry_delete(entry=entry, by=request.user, address=client_ip(request))
        except ValidationError as error:
            return _refuse(request, error.messages, entry.record)
        # entry_delete refuses an entry that cannot be opened, so its text is there.
        title = entry.text["title"]  # type: ignore[index]
        messages.success(request, _("Entry “%(title)s” deleted.") % {"title": title})
        return redirect(record_url(entry.record))
    context = {"entry": entry, "record": entry.record, "versions": entry.versions.count()}
    return render(request, "records/entry_confirm_delete.html", context)


@records_page("records.view_entryversion")
def entry_history(request: AuthenticatedHttpRequest, entry_id) -> HttpResponse:
    entry = _entry(entry_id)
    versions = list(entry.versions.select_related("replaced_by"))
    services.record_access_log(
        action=Action.HISTORY,
        record=entry.record,
        entry=entry,
        by=request.user,
        address=client_ip(request),
    )
    context = {"entry": entry, "record": entry.record, "versions": versions}
    return render(request, "records/entry_history.html", context)


@records_addon
@permission_required("records.view_recordaccess", raise_exception=True)
def access_log(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    """Who looked at or changed this customer's records. Hidden with the rest of the add-on
    while it is off; the log itself outlives the switch and shows again when it is on."""
    customer = get_object_or_404(Customer, pk=customer_id)
    log = RecordAccess.objects.filter(customer=customer).select_related("user", "record", "entry")
    action = request.GET.get("action", "")
    if action in Action.values:
        log = log.filter(action=action)
    # Newest first, on the (customer, -at, -id) index: a customer's log only grows.
    page = KeysetPaginator(log, ordering=("-at", "-id"), per_page=LOG_PAGE_SIZE).page_for(
        request.GET
    )
    context = {
        "customer": customer,
        "page": page,
        "actions": Action.choices,
        "action": action,
    }
    return render(request, "records/access_log.html", context)


@records_page("records.view_recordgroup")
def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = RecordGroup.objects.order_by("-is_active", "name")
    return render(request, "records/group_list.html", {"groups": groups})


@records_page("records.add_recordgroup")
def group_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _group_form(request, RecordGroup())


@records_page("records.change_recordgroup")
def group_edit(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    return _group_form(request, get_object_or_404(RecordGroup, pk=group_id))


def _group_form(request: AuthenticatedHttpRequest, group: RecordGroup) -> HttpResponse:
    form = RecordGroupForm(request.POST if request.method == "POST" else None, instance=group)
    if form.is_valid():
        created = group.pk is None
        if created:
            group = services.record_group_create(**form.group_input())
        else:
            group = services.record_group_update(group=group, **form.group_input())
        if created:
            done = _("Record group “%(name)s” created.")
        else:
            done = _("Record group “%(name)s” saved.")
        messages.success(request, done % {"name": group.name})
        return redirect(reverse("records:groups"))
    return _render_form(request, "records/group_form.html", {"form": form, "group": group})
