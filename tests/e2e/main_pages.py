"""The main staff and portal pages, with the data that fills them, for the accessibility
and small-screen tests: main_staff_pages() and main_portal_pages() return (name, path)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from billing import services as billing
from billing.models import Sale, SaleLine
from customers.models import Calendar, Reservation
from records import services as records
from tests.factories import (
    ContactFactory,
    ContactPersonFactory,
    ContactPersonPhoneFactory,
    CustomerContactFactory,
    CustomerFactory,
    DebtorFactory,
)


def main_staff_pages(by) -> list[tuple[str, str]]:
    """A customer with a contact person, a chosen directory contact and a record with an
    entry, a booked reservation and a request, a debtor: every main staff page has something
    to show."""
    customer = CustomerFactory(first_name="Ida", last_name="Holm", phone="+4520123456")
    person = ContactPersonFactory(customer=customer, first_name="Ole", last_name="Lund")
    ContactPersonPhoneFactory(person=person)
    contact = ContactFactory(category__name="General practitioners", last_name="Berg")
    CustomerContactFactory(customer=customer, contact=contact)
    record = records.record_create(customer=customer, title="Left knee", by=by)
    records.entry_create(record=record, title="First visit", body="Swelling.", by=by)
    debtor = DebtorFactory(name="Nordlys Forsikring")
    start = timezone.now() + timedelta(days=3)
    Reservation.objects.create(
        customer=customer,
        service="Back care",
        start=start,
        calendar=Calendar.objects.create(name="Tobias Therapist"),
        status=Reservation.Status.BOOKED,
    )
    Reservation.objects.create(
        customer=customer,
        service="Follow-up",
        start=start + timedelta(days=7),
        status=Reservation.Status.REQUESTED,
    )
    sale = Sale.objects.create(customer=customer, debtor=debtor, created_by=by)
    SaleLine.objects.create(
        sale=sale,
        position=1,
        description="Physiotherapy, 60 min",
        quantity=Decimal(1),
        unit_price=Decimal("650.00"),
        vat_rate=Decimal("0.00"),
    )
    (invoice,) = billing.sale_issue(sale=sale, by=by)
    draft = Sale.objects.create(customer=customer, debtor=debtor, created_by=by)
    SaleLine.objects.create(
        sale=draft,
        position=1,
        description="Back care, 30 min",
        quantity=Decimal(2),
        unit_price=Decimal("400.00"),
        vat_rate=Decimal("0.00"),
    )
    profile = f"/customers/{customer.id}/"
    return [
        ("customer-list", "/customers/"),
        ("customer-profile", profile),
        ("customer-persons", f"{profile}?tab=persons"),
        ("customer-contacts", f"{profile}?tab=contacts"),
        ("customer-record", f"{profile}?tab=record"),
        ("customer-reservations", f"{profile}?tab=reservations"),
        ("customer-privacy", f"{profile}?tab=privacy"),
        ("customer-new", "/customers/new/"),
        ("customer-edit", f"{profile}edit/"),
        ("person-new", f"/contacts/customer/{customer.id}/persons/new/"),
        ("person-edit", f"/contacts/persons/{person.pk}/edit/"),
        ("contacts-directory", "/contacts/"),
        ("contacts-category", f"/contacts/categories/{contact.category_id}/"),
        ("entry-new", f"/records/{record.pk}/entries/new/"),
        ("debtor-list", "/debtors/"),
        ("settings", "/customers/settings/"),
        ("calendars", "/customers/calendars/"),
        ("extra-fields", "/customers/fields/"),
        ("record-groups", "/records/groups/"),
        ("debtor-groups", "/debtors/groups/"),
        ("reservation-new", f"{profile}reservations/new/"),
        ("customer-debtor", f"{profile}debtor/"),
        ("record-new", f"/records/customer/{customer.id}/new/"),
        ("access-log", f"/records/customer/{customer.id}/access-log/"),
        ("debtor-detail", f"/debtors/{debtor.pk}/"),
        ("debtor-new", "/debtors/new/"),
        ("contact-edit", f"/contacts/{contact.pk}/edit/"),
        ("category-import", f"/contacts/categories/{contact.category_id}/import/"),
        ("sign-in-security", "/accounts/two-factor/"),
        ("invoice-list", "/billing/invoices/"),
        ("invoice", f"/billing/invoices/{invoice.pk}/"),
        ("customer-invoices", f"{profile}?tab=invoices"),
        ("sale", f"/billing/sales/{draft.pk}/"),
    ]


def main_portal_pages(person) -> list[tuple[str, str]]:
    """The portal pages of `person` (a portal admin), with a second contact in the list."""
    ContactPersonFactory(customer=person.customer, first_name="Ole", last_name="Lund")
    return [
        ("portal-home", "/portal/"),
        ("portal-contacts", "/portal/contacts/"),
        ("portal-contact-new", "/portal/contacts/new/"),
        ("portal-contact-edit", f"/portal/contacts/{person.pk}/edit/"),
        ("portal-profile", f"/portal/contacts/{person.pk}/"),
        ("portal-search", "/portal/contacts/search/?name=lund"),
        ("portal-billing", "/portal/billing/"),
        ("portal-reports", "/portal/reports/"),
        ("portal-appointment", "/portal/appointments/request/"),
    ]


SIGNED_OUT_PAGES = [("staff-login", "/accounts/login/"), ("portal-login", "/portal/login/")]
