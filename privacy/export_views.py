"""GDPR access export pages (Art. 15/20): on the customer's Privacy tab, "Export all data"
for the customer and for each of their contact persons, and the exports made so far.

The export page asks why (the request it answers), then logs the export and returns the
zip file (privacy.export). Only holders of privacy.add_subjectexport (administrators) may,
and a customer's export, which holds their records, only in a session verified with a
second factor, as the records pages.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from accounts import two_factor
from accounts.network import client_ip
from config.http import AuthenticatedHttpRequest
from customers.models import Customer
from privacy import export, sections
from privacy.models import SubjectExport
from privacy.models.export import SubjectKind

EXPORT_PERMISSION = "privacy.add_subjectexport"
EARLIER_EXPORTS_SHOWN = 50


class ExportForm(forms.ModelForm):
    class Meta:
        model = SubjectExport
        fields = ["reason"]
        labels = {"reason": "Why is the data exported?"}
        help_texts = {
            "reason": "The request it answers, e.g. “Access request received 2026-11-20 by "
            "letter”. It is kept in the export log and written into the file."
        }
        error_messages = {
            "reason": {"required": "Say why the data is exported, e.g. the request it answers."}
        }


def _export_page(
    request: AuthenticatedHttpRequest,
    subject_type: sections.SubjectType,
    subject,
    customer: Customer,
) -> HttpResponse:
    form = ExportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        done = export.subject_export_create(
            subject_type=subject_type,
            subject=subject,
            by=request.user,
            reason=form.cleaned_data["reason"],
            address=client_ip(request),
        )
        # Shown on the next page: the download itself leaves the browser on this one.
        messages.success(request, f"All data of {subject.name} exported; the export is logged.")
        response = HttpResponse(done.content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{done.filename}"'
        return response
    context = {
        "form": form,
        "customer": customer,
        "subject": subject,
        "subject_type": subject_type,
        "sections": [section.title for section in subject_type.sections],
    }
    return render(request, "privacy/export_form.html", context)


@permission_required(EXPORT_PERMISSION, raise_exception=True)
@two_factor.required  # it holds the records, decrypted
def customer_export(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    customer = get_object_or_404(sections.CUSTOMER.queryset(), pk=customer_id)
    return _export_page(request, sections.CUSTOMER, customer, customer)


@permission_required(EXPORT_PERMISSION, raise_exception=True)
def person_export(request: AuthenticatedHttpRequest, person_id) -> HttpResponse:
    person = get_object_or_404(sections.PERSON.queryset(), pk=person_id)
    return _export_page(request, sections.PERSON, person, person.customer)


urlpatterns = [
    path("customers/<uuid:customer_id>/export/", customer_export, name="customer_export"),
    path("persons/<uuid:person_id>/export/", person_export, name="person_export"),
]


def tab_context(
    request: AuthenticatedHttpRequest, customer: Customer, persons: list
) -> dict[str, Any]:
    """The Privacy tab's export part: the exports made of the customer and of its contact
    persons, newest first."""
    if not request.user.has_perm(EXPORT_PERMISSION):
        return {}
    names = {person.pk: person.name for person in persons}
    made = (
        SubjectExport.objects.filter(
            Q(subject_kind=SubjectKind.CUSTOMER, subject_id=customer.pk)
            | Q(subject_kind=SubjectKind.PERSON, subject_id__in=names)
        )
        .select_related("by")
        .order_by("-at", "-id")[:EARLIER_EXPORTS_SHOWN]
    )
    return {
        "export_log": [
            (
                line,
                customer.name
                if line.subject_kind == SubjectKind.CUSTOMER
                else names.get(line.subject_id, ""),
            )
            for line in made
        ],
        "export_log_limit": EARLIER_EXPORTS_SHOWN,
    }
