"""Data for the GDPR export tests: a customer with a little of everything held about them,
and helpers to read the zip a download returns."""

import io
import json
import zipfile

import pghistory
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.utils import timezone

from customers.models import ExtraField, Reservation
from portal.models import Permission
from records import services
from records.models import RecordAccess
from tests.factories import (
    ContactPersonFactory,
    ContactPersonPhoneFactory,
    CustomerContactFactory,
    CustomerFactory,
    DebtorFactory,
    portal_contact,
)

SSN = "010203-1234"


def full_customer(*, by, **fields):
    """A customer with an SSN, a debtor, an extra field, a reservation, a professional, a
    contact person with a phone and a consent change made by `by`, a record with an entry
    that was edited once, and a line in the access log."""
    fields = {"first_name": "Søren", "last_name": "Ærø", **fields}
    customer = CustomerFactory(debtor=DebtorFactory(name="Ærø Holding"), **fields)
    allergies, _ = ExtraField.objects.get_or_create(label="Allergies")
    customer.extra_fields = {allergies.key: "Pollen"}
    customer.set_ssn(SSN)
    customer.save()
    Reservation.objects.create(customer=customer, service="Massage", start=timezone.now())
    CustomerContactFactory(customer=customer, contact__last_name="Doctor Dahl")
    person = ContactPersonFactory(customer=customer, first_name="Mette", last_name="Mor")
    ContactPersonPhoneFactory(person=person, number="+4520304050")
    with pghistory.context(user=by.pk):
        person.prefers_sms = True
        person.save()
    record = services.record_create(customer=customer, title="Left knee", by=by)
    entry = services.entry_create(record=record, title="First visit", body="Sore knee.", by=by)
    services.entry_update(entry=entry, title="First visit", body="Sore left knee.", by=by)
    services.record_access_log(action=RecordAccess.Action.VIEW, record=record, by=by, address=None)
    return customer


def more_of_everything(customer, *, by, times: int) -> None:
    """`times` more records (each with `times` entries, each edited once) and contact
    persons (each with a phone and portal access)."""
    for n in range(times):
        record = services.record_create(customer=customer, title=f"Record {n}", by=by)
        for m in range(times):
            entry = services.entry_create(record=record, title=f"Entry {m}", body="Text", by=by)
            services.entry_update(entry=entry, title=f"Entry {m}", body="Changed", by=by)
        person = portal_contact(customer=customer, permissions=[Permission.BILLING])
        ContactPersonPhoneFactory(person=person)


def login_history(username: str) -> None:
    """One sign-in, one failed sign-in and a lockout counter for `username`, as typed."""
    request = {
        "username": username.upper(),
        "ip_address": "203.0.113.9",
        "user_agent": "Firefox/140",
        "http_accept": "text/html",
        "path_info": "/portal/login/",
    }
    AccessLog.objects.create(**request)
    AccessFailureLog.objects.create(**request, locked_out=False)
    attempt = AccessAttempt.objects.create(
        **request, get_data="", post_data="password=********", failures_since_start=2
    )
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=timezone.now())


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def data_of(content: bytes) -> dict:
    return json.loads(unzip(content)["data.json"].decode("utf-8"))


def keys_in(value) -> set[str]:
    """Every key of every object in a JSON value."""
    if isinstance(value, dict):
        return set(value) | {key for inner in value.values() for key in keys_in(inner)}
    if isinstance(value, list):
        return {key for inner in value for key in keys_in(inner)}
    return set()
