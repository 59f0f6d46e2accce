"""Staff roles: Django groups whose permissions follow from the apps each role works in.

Pages check permissions (`customers.view_customer`), never group names; this module is the
one place that says which role holds which permissions. Permissions of models added later
join their role automatically at the next migrate (see accounts.apps).
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db.models import Q


@dataclass(frozen=True)
class Role:
    name: str
    # Every permission of these apps ("customers", ...) belongs to the role ...
    apps: tuple[str, ...] = ()
    # ... except these ("app_label.codename"), kept for administrators.
    excluded: tuple[str, ...] = ()
    everything: bool = False
    description: str = ""


# Permissions only administrators hold, whatever apps a role covers.
ADMINISTRATOR_ONLY = (
    # Back-end › Customer and every page under it (calendars, extra fields) are set-up.
    "customers.add_customersettings",
    "customers.change_customersettings",
    "customers.delete_customersettings",
    "customers.view_customersettings",
    # Downloading the customer base is a data-protection decision, not daily work; the
    # export log says who did it, and is read (and kept) by administrators only.
    "customers.export_customer",
    "customers.view_customerexport",
    # Extra customer fields are part of the back-end set-up.
    "customers.add_extrafield",
    "customers.change_extrafield",
    "customers.delete_extrafield",
    "customers.view_extrafield",
    # So are the therapists' calendars (reservations pick from them without these).
    "customers.add_calendar",
    "customers.change_calendar",
    "customers.delete_calendar",
    "customers.view_calendar",
    # Customer groups are defined in the admin; choosing one for a customer needs none.
    "customers.add_customergroup",
    "customers.change_customergroup",
    "customers.delete_customergroup",
    # The audit permission: reading who looked at which records.
    "records.view_recordaccess",
    # The price list and where the invoice numbers start are set-up.
    "billing.add_priceitem",
    "billing.change_priceitem",
    "billing.delete_priceitem",
    "billing.add_invoicenumbering",
    "billing.change_invoicenumbering",
    "billing.delete_invoicenumbering",
    # Selling below or above the price list.
    "billing.change_price",
)

ADMINISTRATOR = Role(
    name="Administrator",
    everything=True,
    description="Everything, including the back-end settings and user management.",
)
THERAPIST = Role(
    name="Therapist",
    apps=("customers", "contacts", "records", "portal"),
    excluded=ADMINISTRATOR_ONLY,
    description="Customers, contacts, records and customers' portal access.",
)
RECEPTION = Role(
    name="Reception",
    apps=("customers", "contacts", "debtors", "portal", "billing"),
    excluded=ADMINISTRATOR_ONLY,
    description="Customers, contacts, reservations, debtors, sales and invoices, and portal "
    "access; no records.",
)
ROLES: tuple[Role, ...] = (ADMINISTRATOR, THERAPIST, RECEPTION)


def role_permissions(role: Role):
    if role.everything:
        return Permission.objects.all()
    excluded = Q()
    for dotted in role.excluded:
        app_label, _, codename = dotted.partition(".")
        excluded |= Q(content_type__app_label=app_label, codename=codename)
    permissions = Permission.objects.filter(content_type__app_label__in=role.apps)
    return permissions.exclude(excluded) if role.excluded else permissions


def sync_roles() -> None:
    """Create the role groups and give each exactly the permissions its definition names."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        group.permissions.set(role_permissions(role))
