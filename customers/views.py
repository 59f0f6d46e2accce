"""Staff pages for customers and the back-end customer settings."""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from config.crypto import DecryptionError
from config.forms import show_service_errors
from config.http import AuthenticatedHttpRequest
from config.pagination import estimated_total
from config.replica import reads_from_replica
from config.spreadsheet import csv_response
from customers import export, listing, profile, services, ssn_search
from customers.forms import (
    CustomerForm,
    CustomerSettingsForm,
    DebtorChoiceForm,
    SsnLookupForm,
)
from customers.models import Customer, CustomerSettings
from debtors.models import Debtor

logger = logging.getLogger(__name__)

DEBTOR_CHOICES_SHOWN = 20


def _get_customer(request: AuthenticatedHttpRequest, customer_id) -> Customer:
    return get_object_or_404(Customer.objects.for_profile(), id=customer_id)


def _list_url(*, sort: str, q: str = "", ssn: str = "") -> str:
    """The list's URL for a search term `q`, or for the social security number `ssn` (as
    its token: never the digits)."""
    parameters = {"ssn": ssn_search.token_for(ssn)} if ssn else {"q": q} if q else {}
    if sort != "name":
        parameters["sort"] = sort
    url = reverse("customers:list")
    return f"{url}?{urlencode(parameters)}" if parameters else url


def _search_url(term: str, *, sort: str, settings: CustomerSettings) -> str:
    """Where a search for `term` is shown: a term shaped like an SSN is looked up as one."""
    term = term.strip()
    if settings.ssn_enabled and ssn_search.looks_like_ssn(term):
        return _list_url(sort=sort, ssn=term)
    return _list_url(sort=sort, q=term)


@sensitive_post_parameters("ssn", "q")
@permission_required("customers.view_customer", raise_exception=True)
@reads_from_replica
def customer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list, searched by the `q` in the URL, or by a social security number's token.

    The search box posts (an SSN must never travel in a URL: browser history, access logs)
    and is redirected to the list's URL for it: `?q=` for a term, `?ssn=<token>` for a
    term shaped like an SSN and for the "Find by social security number" form."""
    settings = CustomerSettings.for_request(request)
    sort = request.GET.get("sort", "name")
    if sort not in listing.SORTS:
        sort = "name"
    ssn_form = None
    if settings.ssn_enabled:
        ssn_form = SsnLookupForm(request.POST if "ssn" in request.POST else None)
    if request.method == "POST":
        if ssn_form is None or not ssn_form.is_bound:
            return redirect(_search_url(request.POST.get("q", ""), sort=sort, settings=settings))
        if ssn_form.is_valid():
            return redirect(_list_url(sort=sort, ssn=ssn_form.cleaned_data["ssn"]))
    query = request.GET.get("q", "").strip()
    if settings.ssn_enabled and ssn_search.looks_like_ssn(query):
        # Typed into the address bar: shown at the token's URL, so no link repeats it.
        return redirect(_search_url(query, sort=sort, settings=settings))
    ssn_token = request.GET.get("ssn", "") if settings.ssn_enabled else ""
    matches: QuerySet[Customer] | None
    if ssn_token:
        matches = Customer.objects.with_ssn_index(ssn_search.index_for_token(ssn_token))
        query = ""
    else:
        matches = Customer.objects.search(query) if query else None
    found = listing.customer_listing(matches, sort=sort, query=request.GET)
    everyone_uncounted = found.is_capped and matches is None
    context = {
        "page": found.page,
        "count": found.count,
        "is_capped": found.is_capped,
        "query": query,
        "sort": sort,
        "estimated_total": estimated_total(Customer) if everyone_uncounted else None,
        "settings": settings,
        "ssn_form": ssn_form,
        "ssn_lookup": bool(ssn_token),
        "ssn_token": ssn_token,
    }
    return render(request, "customers/customer_list.html", context)


# Error reports (the 500 e-mail) must never carry a social security number, nor may a
# cache keep the form that redisplays one.
@sensitive_post_parameters("ssn")
@permission_required("customers.add_customer", raise_exception=True)
def customer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    settings = CustomerSettings.for_request(request)
    form = CustomerForm(request.POST or None, settings=settings)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_create(
                change=form.change(), number=form.cleaned_data.get("number")
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, f"Customer {customer.name} ({customer.number}) created.")
            return redirect("customers:detail", customer.id)
    return render(request, "customers/customer_form.html", {"form": form, "settings": settings})


@permission_required("customers.view_customer", raise_exception=True)
def customer_detail(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    customer = _get_customer(request, customer_id)
    settings = CustomerSettings.for_request(request)
    tabs = profile.shown_tabs(request, settings)
    tab = next((tab for tab in tabs if tab.key == request.GET.get("tab")), tabs[0])
    context = {
        "customer": customer,
        "settings": settings,
        "tabs": tabs,
        "tab": tab,
        "extra_details": profile.details(customer),
        **tab.context(request, customer),
    }
    return render(request, "customers/customer_detail.html", context)


@sensitive_post_parameters("ssn")
@permission_required("customers.change_customer", raise_exception=True)
def customer_edit(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    customer = _get_customer(request, customer_id)
    if refusal := services.erased_refusal(customer):
        messages.error(request, refusal)
        return redirect("customers:detail", customer.id)
    settings = CustomerSettings.for_request(request)
    form = CustomerForm(request.POST or None, instance=customer, settings=settings)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_update(
                customer=customer,
                change=form.change(),
                version=form.cleaned_data["version"] or 0,
                number=form.cleaned_data.get("number"),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, "Customer information saved.")
            return redirect("customers:detail", customer.id)
    context = {"form": form, "customer": customer, "settings": settings}
    return render(request, "customers/customer_form.html", context)


@permission_required("customers.delete_customer", raise_exception=True)
def customer_delete(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    customer = _get_customer(request, customer_id)
    if request.method == "POST":
        name = customer.name
        try:
            services.customer_delete(customer=customer)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("customers:detail", customer.id)
        messages.success(request, f"Customer {name} has been deleted for good.")
        return redirect("customers:list")
    blockers = profile.deletion_blockers(customer)
    context = {
        "customer": customer,
        "blockers": blockers,
        "consequences": [] if blockers else profile.deletion_consequences(customer),
    }
    return render(request, "customers/customer_confirm_delete.html", context)


@require_POST
@permission_required("customers.view_customer", raise_exception=True)
def customer_ssn(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    """The social security number in clear, on an explicit "Show" (a POST, so it is never
    prefetched, cached or left in a URL)."""
    customer = _get_customer(request, customer_id)
    settings = CustomerSettings.for_request(request)
    if not settings.ssn_enabled or customer.ssn_encrypted is None:
        raise Http404
    context: dict[str, object] = {"customer": customer}
    try:
        context["ssn_revealed"] = customer.ssn
    except DecryptionError as error:
        # Refused loudly, never shown: a ciphertext that fails here was copied from another
        # row or tampered with. The error log is how the administrator hears of it.
        logger.error(
            "Customer %s: the social security number cannot be decrypted: %s", customer.id, error
        )
        context["ssn_unreadable"] = True
    return render(request, "customers/partials/ssn_field.html", context)


@permission_required("customers.change_customersettings", raise_exception=True)
def settings_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = CustomerSettings.load()
    form = CustomerSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = services.customer_settings_update(
                values=values,
                remove_secondary_therapists=form.cleaned_data["remove_secondary_therapists"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, "The customer settings have been updated.")
            if removed := saved.secondary_therapists_removed:
                messages.info(
                    request,
                    ngettext(
                        "The secondary therapist was removed from %(count)d customer.",
                        "The secondary therapist was removed from %(count)d customers.",
                        removed,
                    )
                    % {"count": removed},
                )
            return redirect("customers:settings")
    return render(request, "customers/settings_form.html", {"form": form})


def _debtor_role(request: AuthenticatedHttpRequest) -> str:
    # Passed on as asked: the service refuses a secondary debtor that is switched off,
    # rather than this view quietly replacing the customer's debtor instead.
    role = request.POST.get("role") or request.GET.get("role")
    return "secondary" if role == "secondary" else "debtor"


@permission_required(["customers.change_customer", "debtors.view_debtor"], raise_exception=True)
def customer_debtor(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    """Choose the customer's debtor (or secondary debtor) by searching; POST sets it."""
    customer = _get_customer(request, customer_id)
    settings = CustomerSettings.for_request(request)
    role = _debtor_role(request)
    label = settings.secondary_debtor_field_name if role == "secondary" else "Debtor"
    if request.method == "POST":
        choice = DebtorChoiceForm(request.POST)
        if not choice.is_valid():
            messages.error(request, "That debtor no longer exists.")
            return redirect(f"{request.path}?role={role}")
        debtor = choice.cleaned_data["debtor"]
        try:
            services.customer_set_debtor(
                customer=customer, debtor=debtor, secondary=role == "secondary"
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            if error.code == "disabled":  # the chooser itself is gone (404)
                return redirect("customers:detail", customer.id)
            return redirect(f"{request.path}?role={role}")
        messages.success(request, f"{label} {'set to ' + debtor.name if debtor else 'removed'}.")
        return redirect("customers:detail", customer.id)

    if role == "secondary" and not settings.secondary_debtor_enabled:
        raise Http404("The secondary debtor is switched off.")
    query = request.GET.get("q", "").strip()
    debtors = Debtor.objects.for_list().filter(active=True).search(query)
    if role == "secondary":
        # The sharing rules are the debtor's; the secondary debtor has its group instead.
        if settings.secondary_debtor_group_id:
            debtors = debtors.filter(group_id=settings.secondary_debtor_group_id)
        choices = [services.DebtorChoice(debtor, None) for debtor in debtors[:DEBTOR_CHOICES_SHOWN]]
    else:
        choices = services.debtor_choices(
            debtors, customer=customer, settings=settings, limit=DEBTOR_CHOICES_SHOWN
        )
    context = {
        "customer": customer,
        "settings": settings,
        "role": role,
        "query": query,
        "choices": choices,
        "sharing_refusal": services.debtor_sharing_refusal(settings),
        "label": label,
    }
    template = "customers/customer_debtor.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@require_POST
@permission_required(["customers.change_customer", "debtors.add_debtor"], raise_exception=True)
def customer_make_own_debtor(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    customer = _get_customer(request, customer_id)
    try:
        debtor = services.customer_make_own_debtor(customer=customer)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{customer.name} is now their own debtor (no. {debtor.number}).")
    return redirect("customers:detail", customer.id)


@permission_required("customers.export_customer", raise_exception=True)
@reads_from_replica
def customer_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The customers of the list's search (`q`, or an SSN's token `ssn`), or all, as a CSV
    download."""
    settings = CustomerSettings.for_request(request)
    query = request.GET.get("q", "").strip()
    ssn_token = request.GET.get("ssn", "") if settings.ssn_enabled else ""
    if settings.ssn_enabled and ssn_search.looks_like_ssn(query):
        ssn_token, query = ssn_search.token_for(query), ""
    if ssn_token:
        index = ssn_search.index_for_token(ssn_token)
        if index is None:
            return render(request, "400.html", status=400)
        header, rows = export.customer_export(
            customers=Customer.objects.with_ssn_index(index), by=request.user, ssn_index=index
        )
    else:
        header, rows = export.customer_export(
            customers=Customer.objects.search(query), by=request.user, query=query
        )
    filename = f"customers-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(filename, header, rows)
