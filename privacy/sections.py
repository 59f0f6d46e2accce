"""What a GDPR access export (privacy.export) holds about a customer or a contact person:
a declared list of sections, each naming the models it covers and reading them.

A test walks every installed model and fails when one that holds data about a customer, a
contact person or a login is in no section and not in NOT_EXPORTED with its reason: a new
model cannot be forgotten here. Rows are read field by field from the model (except where a
field must stay out: ciphertexts, password hashes), so a new column is exported without
anyone adding it.

Each section reads with a fixed number of queries, whatever the amount of data. The SSN and
the records are decrypted: they are the subject's own data, and the file goes to them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.db import models
from django.db.models import Prefetch, Q

from accounts.models import User
from billing.models import Invoice, InvoiceLine, Payment, Sale, SaleLine
from contacts.history import preference_events

# PreferenceChange: pghistory's event model of preferences, made at run time.
from contacts.models import (  # type: ignore[attr-defined]
    ContactPerson,
    ContactPersonPhone,
    CustomerContact,
    PreferenceChange,
)
from contacts.models.persons import PREFERENCE_FIELDS
from customers.models import Customer, ExtraField, Reservation
from portal.models import Permission, PortalAccess
from privacy.models import ErasureRequest, SubjectExport
from privacy.models.export import SubjectKind
from records.models import Entry, EntryVersion, Record, RecordAccess

# Models that hold or point at data of a customer, a contact person or a login, and are
# left out of the export on purpose (the completeness test in tests/privacy/test_export.py
# reads this): the model, and why.
NOT_EXPORTED: dict[str, str] = {
    "admin.LogEntry": "A log of staff actions in the admin (portal users never reach it); "
    "the objects it names are exported in their own sections.",
    "pghistory.Events": "pghistory's read-only view over every tracked model's events; the "
    "subject's own are exported from contacts.PreferenceChange (consent history).",
    "pghistory.MiddlewareEvents": "The same view as pghistory.Events, with the user.",
    "customers.Calendar": "A therapist's calendar, about staff; the customer's therapists are "
    "named in the customer row, their reservations in their own section.",
    "customers.CustomerExport": "The log of staff downloading the customer list; it names no "
    "customer.",
    "customers.CustomerSettings": "The clinic's back-end settings; they point at calendars "
    "(and so at staff logins), never at a customer.",
    "accounts.UserSession": "Open sessions: the key is a bearer secret (a leaked file must not "
    "sign anyone in) and the data technical; the sign-ins are in the login history.",
    "otp_totp.TOTPDevice": "Staff's authenticator secrets, which never leave the database.",
    "otp_static.StaticDevice": "Staff's backup codes, which never leave the database.",
    "otp_static.StaticToken": "Staff's backup codes, which never leave the database.",
}


# Reading rows ---------------------------------------------------------------------------


def _reference(instance: models.Model | None) -> dict[str, Any] | None:
    """Another row named from this one: its id, its name, and its number when it has one."""
    if instance is None:
        return None
    reference = {"id": instance.pk, "name": getattr(instance, "name", None) or str(instance)}
    number = getattr(instance, "number", None)
    if isinstance(number, int):
        reference["number"] = number
    return reference


def _row(instance: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Every column of `instance` but `exclude`; relations as references (select_related
    them, or each costs a query)."""
    excluded = set(exclude)
    row: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded:
            continue
        if isinstance(field, models.BinaryField):
            # Only ciphertexts are stored as bytes here: export them decrypted or not at all.
            raise TypeError(f"{field} holds bytes: exclude it and export its clear text")
        if field.is_relation:
            row[field.name] = _reference(getattr(instance, field.name))
        else:
            row[field.name] = field.value_from_object(instance)
    return row


def _sealed_row(instance: Record | Entry | EntryVersion, *, exclude: Iterable[str]) -> dict:
    """A row with encrypted text fields: their clear text in place of the tokens."""
    sealed = {f"{name}_encrypted" for name in instance.SEALED_FIELDS}
    row = _row(instance, exclude={*exclude, *sealed, "key_id"})
    return {"id": row.pop("id"), **instance.opened(), **row}


def _user_names(user_ids: set) -> dict[Any, dict[str, Any] | None]:
    return {user.pk: _reference(user) for user in User.objects.filter(pk__in=user_ids)}


# The customer's sections -----------------------------------------------------------------


def _customer_details(customer: Customer) -> dict[str, Any]:
    row = _row(customer, exclude={"ssn_encrypted", "ssn_index", "extra_fields"})
    row["ssn"] = customer.ssn
    keys = [int(key) for key in customer.extra_fields if key.isascii() and key.isdigit()]
    # Deleted extra fields too: their values are still held.
    fields = {field.key: field for field in ExtraField.objects.filter(pk__in=keys)}
    row["extra_fields"] = [
        {
            "label": fields[key].label if key in fields else f"Field {key}",
            "value": value,
            "field_deleted": key not in fields or fields[key].deleted is not None,
        }
        for key, value in customer.extra_fields.items()
    ]
    return row


def _reservations(customer: Customer) -> list[dict[str, Any]]:
    reservations = customer.reservations.select_related("calendar", "requested_by")
    return [_row(reservation, exclude={"customer"}) for reservation in reservations]


def _directory_contacts(customer: Customer) -> list[dict[str, Any]]:
    links = CustomerContact.objects.filter(customer=customer).select_related("contact__category")
    # The professional's own details that concern the customer: who they are and how to
    # reach them; not the directory's internal notes about the professional.
    return [
        {
            "linked": link.created,
            "category": link.contact.category.name,
            "name": link.contact.name,
            "organisation": link.contact.organisation,
            "description": link.contact.description,
            "email": link.contact.email,
            "phone": link.contact.phone,
            "mobile": link.contact.mobile,
        }
        for link in links.order_by("created", "id")
    ]


def _portal_access(person: ContactPerson) -> dict[str, Any] | None:
    access = getattr(person, "portal_access", None)
    if access is None:
        return None
    return {
        "login": person.portal_user.username if person.portal_user else None,
        **_row(access, exclude={"person"}),
        "permissions_in_effect": [
            Permission(value).label for value in Permission.values if access.allows(value)
        ],
    }


def _person_row(person: ContactPerson, *, exclude: Iterable[str]) -> dict[str, Any]:
    return {
        **_row(person, exclude={*exclude, "portal_user"}),
        "phones": [_row(phone, exclude={"person"}) for phone in person.phones.all()],
        "portal_access": _portal_access(person),
    }


PERSON_RELATIONS = ("portal_user", "portal_access__granted_by")


def _contact_persons(customer: Customer) -> list[dict[str, Any]]:
    persons = (
        customer.contact_persons.select_related(*PERSON_RELATIONS)
        .prefetch_related("phones")
        .order_by("last_name", "first_name", "id")
    )
    return [_person_row(person, exclude={"customer"}) for person in persons]


def _preference_events(events: models.QuerySet) -> list[dict[str, Any]]:
    """Each change of preferences, oldest first: when, whose, by whom, what changed
    (contacts.history walks the trigger-written rows)."""
    walked = preference_events(events.select_related("pgh_obj"))
    users = _user_names({event.user_id for event in walked if event.user_id})
    labels = {name: ContactPerson._meta.get_field(name).verbose_name for name in PREFERENCE_FIELDS}  # type: ignore[union-attr]  # fields, not relations
    return [
        {
            "at": event.row.pgh_created_at,
            "person": _reference(event.row.pgh_obj),
            # None: no signed-in user made the change (a script, a migration).
            "by": users.get(event.user_id, {"id": event.user_id, "name": None})
            if event.user_id
            else None,
            # On creation every preference is listed, from nothing to its first value.
            "changes": [
                {
                    "preference": name,
                    "label": labels[name],
                    "from": None if event.before is None else event.before[name],
                    "to": event.after[name],
                }
                for name in PREFERENCE_FIELDS
                if event.before is None or event.before[name] != event.after[name]
            ],
        }
        for event in walked
    ]


def _customer_consent_history(customer: Customer) -> list[dict[str, Any]]:
    return _preference_events(PreferenceChange.objects.filter(pgh_obj__customer=customer))


def _records(customer: Customer) -> list[dict[str, Any]]:
    versions = EntryVersion.objects.select_related("replaced_by").order_by("replaced", "id")
    entries = (
        Entry.objects.select_related("author", "group")
        .order_by("created", "id")
        .prefetch_related(Prefetch("versions", queryset=versions))
    )
    records = (
        Record.objects.filter(customer=customer)
        .select_related("created_by")
        .order_by("created", "id")
        .prefetch_related(Prefetch("entries", queryset=entries))
    )
    return [
        {
            **_sealed_row(record, exclude={"customer"}),
            "entries": [
                {
                    **_sealed_row(entry, exclude={"record"}),
                    "earlier_versions": [
                        _sealed_row(version, exclude={"entry"}) for version in entry.versions.all()
                    ],
                }
                for entry in record.entries.all()
            ],
        }
        for record in records
    ]


def _record_access_log(customer: Customer) -> list[dict[str, Any]]:
    # Who opened the records, when and why (the action); not the staff member's address.
    lines = RecordAccess.objects.filter(customer=customer).select_related("user")
    return [
        {
            "at": line.at,
            "by": _reference(line.user),
            "action": line.action,
            "action_label": line.get_action_display(),
            "record_id": line.record_id,
            "entry_id": line.entry_id,
        }
        for line in lines.order_by("at", "id")
    ]


def _earlier_exports(kind: str) -> Callable[[models.Model], list[dict[str, Any]]]:
    def read(subject: models.Model) -> list[dict[str, Any]]:
        exports = SubjectExport.objects.filter(subject_kind=kind, subject_id=subject.pk)
        return [
            {"at": export.at, "by": _reference(export.by), "reason": export.reason}
            for export in exports.select_related("by").order_by("at", "id")
        ]

    return read


def _billing(customer: Customer) -> dict[str, Any]:
    """What the customer bought and how it was invoiced and paid (four queries each)."""
    sales = customer.sales.select_related("therapist", "debtor", "second_debtor")
    invoices = customer.invoices.select_related("debtor", "credits")
    return {
        "sales": [
            {
                **_row(sale, exclude={"customer", "created_by"}),
                "lines": [_row(line, exclude={"sale", "item"}) for line in sale.lines.all()],
            }
            for sale in sales.prefetch_related("lines").order_by("created", "id")
        ],
        "invoices": [
            {
                **_row(invoice, exclude={"customer", "created_by", "sale"}),
                "lines": [
                    _row(line, exclude={"invoice", "credits_line"}) for line in invoice.lines.all()
                ],
                "payments": [
                    _row(payment, exclude={"invoice", "registered_by"})
                    for payment in invoice.payments.all()
                ],
            }
            for invoice in invoices.prefetch_related("lines", "payments").order_by("number")
        ],
    }


def _erasure_requests(customer: Customer) -> list[dict[str, Any]]:
    """Erasure requests about the customer (a customer kept with records may still ask
    what is held: their identity, the records, and when these will be purged)."""
    requests = ErasureRequest.objects.filter(
        subject_kind=SubjectKind.CUSTOMER, subject_id=customer.pk
    ).select_related("recorded_by")
    return [
        {
            "received": request.received,
            "recorded_by": _reference(request.recorded_by),
            "erased_at": request.erased_at,
            "why_records_are_kept": request.reason,
            "records_kept_until": request.records_kept_until,
            "purged_at": request.purged_at,
            "summary": request.summary,
        }
        for request in requests.order_by("erased_at", "id")
    ]


# The contact person's sections -----------------------------------------------------------


def _person_details(person: ContactPerson) -> dict[str, Any]:
    # "customer" stays in: whose contact person they are.
    return _row(person, exclude={"portal_user"})


def _phones(person: ContactPerson) -> list[dict[str, Any]]:
    return [_row(phone, exclude={"person"}) for phone in person.phones.all()]


def _person_consent_history(person: ContactPerson) -> list[dict[str, Any]]:
    return _preference_events(person.preference_changes.all())  # type: ignore[attr-defined]  # pghistory's event model


def _person_portal_access(person: ContactPerson) -> dict[str, Any] | None:
    return _portal_access(person)


def _portal_account(person: ContactPerson) -> dict[str, Any] | None:
    user = person.portal_user
    if user is None:
        return None
    # Named one by one, not every column: the password hash (and any secret a later column
    # holds) must never leave the database.
    return {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "kind": user.kind,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _login_names(person: ContactPerson) -> Q:
    """The names the person signs in with (their login, and their e-mail address in case
    someone tried it before the login existed), as django-axes stores them: as typed."""
    names = {name for name in (person.email, getattr(person.portal_user, "username", "")) if name}
    matches = Q(pk__in=[])
    for name in names:
        matches |= Q(username__iexact=name)
    return matches


def _login_history(person: ContactPerson) -> dict[str, list[dict[str, Any]]]:
    names = _login_names(person)

    def request(row) -> dict[str, Any]:
        return {
            "at": row.attempt_time,
            "username": row.username,
            "address": row.ip_address,
            "browser": row.user_agent,
            "path": row.path_info,
        }

    sign_ins = AccessLog.objects.filter(names).order_by("attempt_time", "id")
    failures = AccessFailureLog.objects.filter(names).order_by("attempt_time", "id")
    counters = (
        AccessAttempt.objects.filter(names).select_related("expiration").order_by("attempt_time")
    )
    return {
        "sign_ins": [{**request(row), "signed_out": row.logout_time} for row in sign_ins],
        "failed_sign_ins": [{**request(row), "locked_out": row.locked_out} for row in failures],
        # django-axes' running count of failures per login, address and browser; a lockout
        # ends at "locked_until".
        "failed_sign_in_counters": [
            {
                **request(row),
                "failures": row.failures_since_start,
                "locked_until": getattr(getattr(row, "expiration", None), "expires_at", None),
            }
            for row in counters
        ],
    }


# The declared sections --------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str  # its key in data.json
    title: str  # its heading in summary.html, and on the export page
    models: tuple[type[models.Model], ...]  # what it covers (the completeness test reads it)
    read: Callable[[Any], Any]  # the loaded subject -> JSON-ready data


@dataclass(frozen=True)
class SubjectType:
    kind: str  # SubjectKind
    label: str
    queryset: Callable[[], models.QuerySet]  # where subjects are loaded from
    sections: tuple[Section, ...]


CUSTOMER = SubjectType(
    kind=SubjectKind.CUSTOMER,
    label="customer",
    queryset=lambda: Customer.objects.for_profile(),
    sections=(
        Section("customer", "Customer details", (Customer,), _customer_details),
        Section(
            "reservations", "Reservations and appointment requests", (Reservation,), _reservations
        ),
        Section(
            "directory_contacts",
            "Professionals linked to the customer (doctor, insurer ...)",
            (CustomerContact,),
            _directory_contacts,
        ),
        Section(
            "contact_persons",
            "Contact persons, their phone numbers, preferences and portal access",
            (ContactPerson, ContactPersonPhone, PortalAccess),
            _contact_persons,
        ),
        Section(
            "consent_history",
            "History of the contact persons' communication preferences (consent)",
            (PreferenceChange,),
            _customer_consent_history,
        ),
        Section(
            "records",
            "Records (journals), every entry and every earlier version of an entry",
            (Record, Entry, EntryVersion),
            _records,
        ),
        Section(
            "record_access_log",
            "Who opened or changed the records, when and why",
            (RecordAccess,),
            _record_access_log,
        ),
        Section(
            "billing",
            "Sales, invoices, credit notes and payments",
            (Sale, SaleLine, Invoice, InvoiceLine, Payment),
            _billing,
        ),
        Section(
            "earlier_exports",
            "Earlier exports of this data",
            (SubjectExport,),
            _earlier_exports(SubjectKind.CUSTOMER),
        ),
        Section(
            "erasure_requests",
            "Erasure requests, and until when the records are kept",
            (ErasureRequest,),
            _erasure_requests,
        ),
    ),
)

PERSON = SubjectType(
    kind=SubjectKind.PERSON,
    label="contact person",
    queryset=lambda: ContactPerson.objects.select_related("customer", *PERSON_RELATIONS),
    sections=(
        Section(
            "contact_person",
            "Contact person details, and whose contact they are",
            (ContactPerson,),
            _person_details,
        ),
        Section("phones", "Phone numbers", (ContactPersonPhone,), _phones),
        Section(
            "consent_history",
            "History of the communication preferences (consent)",
            (PreferenceChange,),
            _person_consent_history,
        ),
        Section(
            "portal_access",
            "Customer portal access and permissions",
            (PortalAccess,),
            _person_portal_access,
        ),
        Section(
            "portal_account", "Customer portal login (never the password)", (User,), _portal_account
        ),
        Section(
            "login_history",
            "Sign-ins and failed sign-ins to the customer portal",
            (AccessLog, AccessFailureLog, AccessAttempt, AccessAttemptExpiration),
            _login_history,
        ),
        Section(
            "earlier_exports",
            "Earlier exports of this data",
            (SubjectExport,),
            _earlier_exports(SubjectKind.PERSON),
        ),
    ),
)

SUBJECT_TYPES: tuple[SubjectType, ...] = (CUSTOMER, PERSON)


def covered_models() -> set[type[models.Model]]:
    """Every model some section of some export covers."""
    return {
        model for kind in SUBJECT_TYPES for section in kind.sections for model in section.models
    }
