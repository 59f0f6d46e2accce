"""A category's contacts out and in: CSV and vCard export, CSV import with a preview
(the formats are contacts.transfer)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.http import AuthenticatedHttpRequest
from config.replica import reads_from_replica
from config.spreadsheet import csv_response
from contacts import transfer
from contacts.forms import ImportForm
from contacts.models import ContactCategory
from contacts.views.common import (
    contacts_shown,
)

IMPORT_SESSION_KEY = "contact_import"


def _export_contacts(category: ContactCategory):
    return category.contacts.order_by("created", "id")


@contacts_shown
@permission_required("contacts.view_contact", raise_exception=True)
@reads_from_replica
def category_export_csv(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponseBase:
    category = get_object_or_404(ContactCategory, pk=category_id)
    filename = f"{slugify(category.name) or 'contacts'}.csv"
    return csv_response(filename, transfer.HEADER, transfer.csv_rows(_export_contacts(category)))


@contacts_shown
@permission_required("contacts.view_contact", raise_exception=True)
@reads_from_replica
def category_export_vcard(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(ContactCategory, pk=category_id)
    cards = "".join(transfer.vcards(_export_contacts(category), category))
    response = HttpResponse(cards, content_type="text/vcard; charset=utf-8")
    filename = f"{slugify(category.name) or 'contacts'}.vcf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@contacts_shown
@permission_required("contacts.add_contact", raise_exception=True)
def category_import(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponse:
    """Upload a CSV file and see what would be imported, row by row, before anything is."""
    category = get_object_or_404(ContactCategory, pk=category_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = transfer.read_csv(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            # The checked file waits in the session (stored in the database, so any app
            # server can take the confirmation) until the user imports or leaves it.
            request.session[IMPORT_SESSION_KEY] = {
                "category": category.pk,
                "text": form.cleaned_data["file"],
            }
    context = {"category": category, "form": form, "preview": preview}
    return render(request, "contacts/category_import.html", context)


@contacts_shown
@require_POST
@permission_required("contacts.add_contact", raise_exception=True)
def category_import_confirm(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(ContactCategory, pk=category_id)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("category") != category.pk:
        messages.error(request, "Upload the file again: the checked file is no longer here.")
        return redirect("contacts:category_import", category.pk)
    try:
        preview = transfer.read_csv(pending["text"])
    except ValidationError:
        # Checked when uploaded; only a change to the rules since then gets here.
        del request.session[IMPORT_SESSION_KEY]
        messages.error(request, "Upload the file again: the checked file is no longer here.")
        return redirect("contacts:category_import", category.pk)
    if preview.bad and not request.POST.get("skip_bad_rows"):
        bad = len(preview.bad)
        messages.error(
            request,
            ngettext(
                "Nothing was imported: %(count)d row has errors. Correct the file, or tick "
                "“Skip the rows with errors”.",
                "Nothing was imported: %(count)d rows have errors. Correct the file, or tick "
                "“Skip the rows with errors”.",
                bad,
            )
            % {"count": bad},
        )
        return redirect("contacts:category_import", category.pk)
    imported = transfer.import_rows(category=category, rows=preview.good)
    del request.session[IMPORT_SESSION_KEY]
    done = ngettext(
        "%(count)d contact imported into %(category)s.",
        "%(count)d contacts imported into %(category)s.",
        imported,
    ) % {"count": imported, "category": category.name}
    if skipped := len(preview.bad):
        done += " " + ngettext(
            "%(count)d row with errors was skipped.",
            "%(count)d rows with errors were skipped.",
            skipped,
        ) % {"count": skipped}
    messages.success(request, done)
    return redirect("contacts:category", category.pk)
