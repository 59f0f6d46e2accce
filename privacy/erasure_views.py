"""GDPR erasure request pages (Art. 17): the Privacy tab's list of requests, and the page
that asks before erasing a customer or one of their contact persons.

Only administrators hold `privacy.add_erasurerequest`; everyone else gets 403. What is
erased, kept and purged is decided in privacy.erasure; these pages show its preview and
call it.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format

from config.forms import show_service_errors
from contacts.models import ContactPerson
from customers.models import Customer
from customers.profile import tab_url
from privacy import erasure
from privacy.models import ErasureRequest

ERASE_PERMISSION = "privacy.add_erasurerequest"


class ErasureForm(forms.Form):
    """The request's received date, and why records are kept (only when some are)."""

    received = forms.DateField(
        label="Request received on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the date the request was received."},
    )
    reason = forms.CharField(
        label="Why the clinical records are kept",
        required=False,  # required when records are kept: privacy.erasure says so
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The legal ground. Do not write the person's name or other personal data.",
    )

    def __init__(self, *args, keeps_records: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not keeps_records:
            del self.fields["reason"]


def _confirm_or_erase(
    request: HttpRequest, *, template: str, context: dict[str, Any], keeps_records: bool, erase
) -> HttpResponse | ErasureRequest:
    """The confirmation page, or, on a valid POST, the request `erase(...)` recorded."""
    initial = {"received": timezone.localdate(), "reason": erasure.default_reason()}
    form = ErasureForm(request.POST or None, initial=initial, keeps_records=keeps_records)
    if request.method == "POST" and form.is_valid():
        try:
            return erase(
                by=request.user,
                received=form.cleaned_data["received"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            show_service_errors(form, error)
    context = {**context, "form": form, "years": settings.RECORD_RETENTION_YEARS}
    return render(request, template, context)


@permission_required(ERASE_PERMISSION, raise_exception=True)
def customer_erase(request: HttpRequest, customer_id) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.for_profile(), pk=customer_id)
    preview = erasure.customer_erasure_preview(customer)
    name = customer.name
    done = _confirm_or_erase(
        request,
        template="privacy/erasure_customer.html",
        context={"customer": customer, "preview": preview},
        keeps_records=preview.keeps_records,
        erase=lambda **values: erasure.erase_customer(customer=customer, **values),
    )
    if isinstance(done, HttpResponse):
        return done
    if done.records_kept_until is None:
        messages.success(request, f"{name} has been erased: nothing about them is kept.")
        return redirect("customers:list")
    messages.success(
        request,
        f"{name} has been erased. Their name, number and records are kept until "
        f"{date_format(done.records_kept_until)}, then purged.",
    )
    return redirect(tab_url(customer.pk, "privacy"))


@permission_required(ERASE_PERMISSION, raise_exception=True)
def person_erase(request: HttpRequest, person_id) -> HttpResponse:
    person = get_object_or_404(ContactPerson.objects.select_related("customer"), pk=person_id)
    customer, name = person.customer, person.name
    done = _confirm_or_erase(
        request,
        template="privacy/erasure_person.html",
        context={
            "person": person,
            "customer": customer,
            "preview": erasure.person_erasure_preview(person),
        },
        keeps_records=False,
        erase=lambda **values: erasure.erase_person(person=person, **values),
    )
    if isinstance(done, HttpResponse):
        return done
    messages.success(request, f"{name} has been erased from {customer.name}'s contact persons.")
    return redirect(tab_url(customer.pk, "privacy"))


urlpatterns = [
    path("erasure/customer/<uuid:customer_id>/", customer_erase, name="erase_customer"),
    path("erasure/person/<uuid:person_id>/", person_erase, name="erase_person"),
]


def tab_context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    """The Privacy tab's erasure section: the customer's requests and whom one can erase."""
    if not request.user.has_perm("privacy.view_erasurerequest"):
        return {}
    may_erase = request.user.has_perm(ERASE_PERMISSION)
    requests = ErasureRequest.objects.for_customer(customer.pk)
    return {
        "erasure_requests": [
            (done, erasure.summary_lines(done.summary.get("erased", {}))) for done in requests
        ],
        "may_erase": may_erase,
    }
