"""The customer profile's tabs and the delete warning, open to the apps that build on customers.

customers/ never imports contacts, records or portal (DESIGN.md). Those apps register here,
from their AppConfig.ready():

    from customers.profile import ProfileTab, register_tab
    register_tab(ProfileTab(key="contacts", label="Contacts", order=20,
                            template="contacts/customer_tab.html",
                            is_shown=lambda request, settings: settings.show_contacts,
                            context=contacts_tab_context))

    from customers.profile import register_deletion_consequence
    register_deletion_consequence(lambda customer: [f"{n} contact persons"] if n else [])

    from customers.profile import register_deletion_blocker
    register_deletion_blocker(lambda customer: ["2 records"] if n else [])

    from customers.profile import register_detail
    register_detail(lambda customer: [("Primary contact", name)] if name else [])
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import ngettext

from config.http import AuthenticatedHttpRequest
from config.pagination import KeysetPaginator
from customers.models import Customer, CustomerSettings, ExtraField, Reservation

RESERVATIONS_PER_PAGE = 25


def _always(request: HttpRequest, settings: CustomerSettings) -> bool:
    return True


def _no_context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class ProfileTab:
    key: str
    label: str
    template: str
    order: int
    # Whether the tab exists for this request: a back-end setting, a permission ...
    is_shown: Callable[[AuthenticatedHttpRequest, CustomerSettings], bool] = _always
    # Extra template context for the tab, computed only when the tab is open.
    context: Callable[[AuthenticatedHttpRequest, Customer], dict[str, Any]] = field(
        default=_no_context
    )


_tabs: dict[str, ProfileTab] = {}
_deletion_consequences: list[Callable[[Customer], list[str]]] = []
_deletion_blockers: list[Callable[[Customer], list[str]]] = []
_details: list[Callable[[Customer], list[tuple[str, str]]]] = []


def register_tab(tab: ProfileTab) -> None:
    _tabs[tab.key] = tab


def tab_url(customer_id, key: str) -> str:
    """The customer's profile opened on the tab `key`."""
    return f"{reverse('customers:detail', args=[customer_id])}?tab={key}"


def shown_tabs(request: AuthenticatedHttpRequest, settings: CustomerSettings) -> list[ProfileTab]:
    tabs = [tab for tab in _tabs.values() if tab.is_shown(request, settings)]
    return sorted(tabs, key=lambda tab: tab.order)


def register_deletion_consequence(describe: Callable[[Customer], list[str]]) -> None:
    """`describe(customer)` names what deleting the customer takes with it ("3 contact persons")."""
    _deletion_consequences.append(describe)


def deletion_consequences(customer: Customer) -> list[str]:
    return [line for describe in _deletion_consequences for line in describe(customer)]


def register_deletion_blocker(describe: Callable[[Customer], list[str]]) -> None:
    """`describe(customer)` names what keeps the customer from being deleted ("2 records");
    the delete page then explains instead of offering the button (the database's PROTECT
    refuses the delete anyway)."""
    _deletion_blockers.append(describe)


def deletion_blockers(customer: Customer) -> list[str]:
    return [line for describe in _deletion_blockers for line in describe(customer)]


def register_detail(describe: Callable[[Customer], list[tuple[str, str]]]) -> None:
    """`describe(customer)` gives (label, value) lines for the details side panel
    ("Primary contact", "Ida Holm"); keep it to one query."""
    _details.append(describe)


def details(customer: Customer) -> list[tuple[str, str]]:
    return [line for describe in _details for line in describe(customer)]


def _information_context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    return {"extra_values": ExtraField.objects.shown_for(customer)}


register_tab(
    ProfileTab(
        key="information",
        label="Information",
        template="customers/tabs/information.html",
        order=0,
        context=_information_context,
    )
)


def _reservations_context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    reservations = customer.reservations.select_related("calendar", "requested_by")
    others = reservations.exclude(status=Reservation.Status.REQUESTED)
    return {
        "requests": list(reservations.requested().order_by("start", "id")),
        # Latest first (Reservation.Meta), on the (customer, start, id) index.
        "page": KeysetPaginator(
            others, ordering=("-start", "-id"), per_page=RESERVATIONS_PER_PAGE
        ).page_for(request.GET),
    }


register_tab(
    ProfileTab(
        key="reservations",
        label="Reservations",
        template="customers/tabs/reservations.html",
        order=30,
        is_shown=lambda request, settings: request.user.has_perm("customers.view_reservation"),
        context=_reservations_context,
    )
)


def _reservations_lost(customer: Customer) -> list[str]:
    counts = customer.reservations.aggregate(
        requests=Count("id", filter=Q(status=Reservation.Status.REQUESTED)),
        booked=Count("id", filter=~Q(status=Reservation.Status.REQUESTED)),
    )
    requests, booked = counts["requests"], counts["booked"]
    lines = []
    if booked:
        lines.append(
            ngettext("%(count)d reservation", "%(count)d reservations", booked) % {"count": booked}
        )
    if requests:
        lines.append(
            ngettext("%(count)d appointment request", "%(count)d appointment requests", requests)
            % {"count": requests}
        )
    return lines


register_deletion_consequence(_reservations_lost)
