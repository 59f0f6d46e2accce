"""The portal's start page and the pages behind its permissions: Billing, Reports and
Request appointment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from config.forms import show_service_errors
from config.pagination import KeysetPaginator
from customers.models import CustomerSettings
from customers.reservations import reservation_request
from portal.access import PortalHttpRequest, portal_view
from portal.forms import AppointmentRequestForm
from portal.models import Permission

RESERVATIONS_PER_PAGE = 25


@portal_view()
def home(request: PortalHttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@portal_view(Permission.BILLING)
def billing(request: PortalHttpRequest) -> HttpResponse:
    """Who pays for the customer, read-only."""
    customer = request.portal_customer
    settings = CustomerSettings.for_request(request)
    debtors = [("Debtor", customer.debtor)] if customer.debtor_id else []
    if settings.secondary_debtor_enabled and customer.secondary_debtor_id:
        debtors.append((settings.secondary_debtor_field_name, customer.secondary_debtor))
    return render(request, "portal/billing.html", {"debtors": debtors})


@portal_view(Permission.REPORTS)
def reports(request: PortalHttpRequest) -> HttpResponse:
    """The customer's reservations: upcoming (soonest first) or past (latest first)."""
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    reservations = request.portal_customer.reservations.select_related("calendar")
    # past(): latest first; upcoming(): soonest first. Both read the (customer, start, id)
    # index, one way or the other.
    ordering = ("-start", "-id") if when == "past" else ("start", "id")
    reservations = reservations.past() if when == "past" else reservations.upcoming()
    page = KeysetPaginator(
        reservations, ordering=ordering, per_page=RESERVATIONS_PER_PAGE
    ).page_for(request.GET)
    return render(request, "portal/reports.html", {"page": page, "when": when})


@portal_view(Permission.WORK_ORDER)
def appointment_request(request: PortalHttpRequest) -> HttpResponse:
    form = AppointmentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reservation_request(
                customer=request.portal_customer, requested_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                "Your request has been sent. The clinic will confirm the time with you.",
            )
            if request.portal_access.allows(Permission.REPORTS):
                return redirect("portal:reports")
            return redirect("portal:home")
    return render(request, "portal/appointment_request.html", {"form": form})
