"""GDPR erasure (Art. 17): erase a customer or one contact person.

What goes at once, in the request's transaction:
- a contact person: the row, their phone numbers, their communication-preference history
  (and the pghistory contexts only that history used), their portal access and login (the
  login deleted, or anonymised and deactivated when something PROTECTs it), the login's
  sessions, django-axes rows for their login names, admin log lines about them;
- a customer: all their contact persons as above, their contact details, address, gender,
  group, extra fields, therapists and debtor links, reservation notes, links to directory
  contacts, admin log lines about them, and a private debtor that pays for nobody else
  (anonymised: its number stays taken, see _debtor_anonymise).

A customer without records is then deleted. A customer with records keeps their identity
(name, number, SSN, date of birth): a journal must stay attributable to its patient while
the law says to keep it, RECORD_RETENTION_YEARS after its last entry. privacy.purge (run by
manage.py purge_records) then deletes records, entries, versions and the customer row.
The record access log (records.RecordAccess) holds ids only and stays.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pghistory.models
import pgtrigger
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, ProtectedError, RestrictedError
from django.utils import timezone

from accounts.models import User, UserSession
from contacts.models import ContactPerson, ContactPersonPhone
from customers.models import Customer, CustomerExport
from debtors.models import Debtor
from portal.models import PortalAccess
from privacy.models import ErasureRequest
from privacy.models.export import SubjectKind
from records.models import Entry, EntryVersion, Record

# What the summary's keys count, as the pages, the admin and purge_records name them.
LABELS = {
    "customer_details": "customer details cleared",
    "contact_persons": "contact persons",
    "phone_numbers": "phone numbers of contact persons",
    "preference_changes": "communication preference history entries",
    "history_contexts": "change contexts of that history",
    "portal_accesses": "portal access grants",
    "portal_logins_deleted": "portal logins deleted",
    "portal_logins_anonymised": "portal logins anonymised and deactivated",
    "sessions": "signed-in sessions ended",
    "login_attempts": "sign-in attempt records",
    "admin_log_lines": "admin log lines",
    "directory_links": "links to directory contacts",
    "reservation_notes": "reservation notes",
    "reservations": "reservations",
    "debtors_anonymised": "private debtors anonymised",
    "export_search_terms": "search terms in the customer export log",
    "records": "records",
    "entries": "entries",
    "entry_versions": "earlier entry versions",
    "customers": "customer rows deleted",
}

# The customer's fields that go at once; the identity (number, kind, names, SSN, date of
# birth) stays with kept records.
CLEARED_FIELDS = (
    "email",
    "phone",
    "address",
    "postal_code",
    "city",
    "gender",
    "group",
    "primary_therapist",
    "secondary_therapist",
    "debtor",
    "secondary_debtor",
    "extra_fields",
)
ERASED_DEBTOR_NAME = "Erased (GDPR)"
ERASED_SEARCH_TERM = "(erased)"
# Shorter terms would also match other people's searches in the export log.
SEARCH_TERM_MIN_LENGTH = 5


def summary_lines(counts: dict[str, int]) -> list[str]:
    """ "contact persons: 2", ... for the counts of a summary (keys of LABELS), in order."""
    keys = [key for key in LABELS if key in counts] + [key for key in counts if key not in LABELS]
    return [f"{LABELS.get(key, key)}: {counts[key]}" for key in keys if counts[key]]


def default_reason() -> str:
    return (
        f"Clinical records must be kept for {settings.RECORD_RETENTION_YEARS} years after "
        "the last entry (statutory retention of patient records)."
    )


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def records_kept_until(customer: Customer, received: date) -> date | None:
    """The last day the customer's records must be kept: RECORD_RETENTION_YEARS after the
    last entry, or after `received` when the records have no entry; None without records."""
    if not Record.objects.filter(customer=customer).exists():
        return None
    last = Entry.objects.filter(record__customer=customer).aggregate(last=Max("created"))["last"]
    start = timezone.localdate(last) if last else received
    return _years_after(start, settings.RECORD_RETENTION_YEARS)


# --- What an erasure will do (the confirmation page) -------------------------------------


@dataclass(frozen=True)
class DebtorFate:
    debtor: Debtor
    anonymised: bool

    @property
    def explanation(self) -> str:
        if self.anonymised:
            return (
                "a private person paying for nobody else: their name and contact details "
                "are erased; the debtor number stays taken, so bookkeeping that refers to "
                "it is never attached to someone else"
            )
        return "stays as it is (a company or institution, or it also pays for others)"


@dataclass(frozen=True)
class ErasurePreview:
    """What erasing a customer or a contact person takes now, and what it keeps."""

    erased: dict[str, int]
    cleared_fields: list[str] = field(default_factory=list)
    debtors: list[DebtorFate] = field(default_factory=list)
    records: int = 0
    entries: int = 0
    entry_versions: int = 0
    kept_until: date | None = None

    @property
    def keeps_records(self) -> bool:
        return self.kept_until is not None

    @property
    def lines(self) -> list[str]:
        return summary_lines(self.erased)


def _person_counts(persons: models.QuerySet) -> dict[str, int]:
    preference_change = apps.get_model("contacts", "PreferenceChange")
    return {
        "contact_persons": persons.count(),
        "phone_numbers": ContactPersonPhone.objects.filter(person__in=persons).count(),
        "preference_changes": preference_change.objects.filter(pgh_obj__in=persons).count(),
        "portal_accesses": PortalAccess.objects.filter(person__in=persons).count(),
        "portal_logins_deleted": persons.filter(portal_user__isnull=False).count(),
    }


def _filled(customer: Customer) -> list[str]:
    """The verbose names of CLEARED_FIELDS that hold something."""
    return [
        str(Customer._meta.get_field(name).verbose_name)  # type: ignore[union-attr]  # fields
        for name in CLEARED_FIELDS
        if getattr(customer, name) not in (None, "", {})
    ]


def _debtor_fates(customer: Customer) -> list[DebtorFate]:
    debtors = {d.pk: d for d in (customer.debtor, customer.secondary_debtor) if d is not None}
    return [
        DebtorFate(debtor, _debtor_is_only_theirs(debtor, customer)) for debtor in debtors.values()
    ]


def _debtor_is_only_theirs(debtor: Debtor, customer: Customer) -> bool:
    others = Customer.objects.filter(
        models.Q(debtor=debtor) | models.Q(secondary_debtor=debtor)
    ).exclude(pk=customer.pk)
    return debtor.kind == Debtor.Kind.PERSON and not others.exists()


def customer_erasure_preview(customer: Customer, received: date | None = None) -> ErasurePreview:
    received = received or timezone.localdate()
    kept_until = records_kept_until(customer, received)
    records = Record.objects.filter(customer=customer)
    counts = _person_counts(customer.contact_persons.all())
    counts["directory_links"] = customer.directory_links.count()
    if kept_until is None:
        counts["reservations"] = customer.reservations.count()
    else:
        counts["reservation_notes"] = customer.reservations.exclude(note="").count()
    fates = _debtor_fates(customer)
    counts["debtors_anonymised"] = sum(fate.anonymised for fate in fates)
    return ErasurePreview(
        erased=counts,
        cleared_fields=_filled(customer),
        debtors=fates,
        records=records.count(),
        entries=Entry.objects.filter(record__in=records).count(),
        entry_versions=EntryVersion.objects.filter(entry__record__in=records).count(),
        kept_until=kept_until,
    )


def person_erasure_preview(person: ContactPerson) -> ErasurePreview:
    return ErasurePreview(erased=_person_counts(ContactPerson.objects.filter(pk=person.pk)))


# --- Erasing ----------------------------------------------------------------------------


def delete_rows(queryset: models.QuerySet) -> int:
    """Delete and count the rows of the queryset's own model (not what cascaded)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def admin_log_delete(objects: list[models.Model], names: set[str]) -> int:
    """Admin log lines about `objects`, or whose object's name is one of `names`."""
    about = models.Q(pk__in=[])
    for model in {type(obj) for obj in objects}:
        ids = [str(obj.pk) for obj in objects if type(obj) is model]
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        about |= models.Q(content_type=content_type, object_id__in=ids)
    names = {name for name in names if name}
    if names:
        about |= models.Q(object_repr__in=names)
    return delete_rows(LogEntry.objects.filter(about))


def _login_attempts_delete(names: set[str]) -> int:
    matching = models.Q(pk__in=[])
    for name in filter(None, names):
        matching |= models.Q(username__iexact=name)
    return sum(
        delete_rows(model.objects.filter(matching))
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


def _history_delete(person_ids: list) -> tuple[int, int]:
    """Delete the persons' preference history, and the change contexts no other history
    uses (they hold who changed it and from which page)."""
    preference_change = apps.get_model("contacts", "PreferenceChange")
    events = preference_change.objects.filter(pgh_obj_id__in=person_ids)
    context_ids = set(events.exclude(pgh_context_id=None).values_list("pgh_context_id", flat=True))
    # The history is append-only against every other change; erasure is the exception.
    with pgtrigger.ignore(f"{preference_change._meta.label}:append_only"):
        deleted = delete_rows(events)
    for model in apps.get_models():
        if (
            context_ids
            and issubclass(model, pghistory.models.Event)
            and model._meta.managed
            and not model._meta.proxy
            and any(f.name == "pgh_context" for f in model._meta.concrete_fields)
        ):
            context_ids -= set(
                # pghistory's event models have pgh_context (checked just above).
                model.objects.filter(pgh_context_id__in=context_ids).values_list(  # type: ignore[misc]
                    "pgh_context_id", flat=True
                )
            )
    contexts = delete_rows(pghistory.models.Context.objects.filter(pk__in=context_ids))
    return deleted, contexts


def _login_anonymise(user: User) -> None:
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def _erase_persons(persons: list[ContactPerson]) -> tuple[Counter, set[str]]:
    """Erase `persons` and everything about them; returns the counts, and the search terms
    (names, e-mail addresses, phone numbers) that named them."""
    counts: Counter = Counter()
    if not persons:
        return counts, set()
    ids = [person.pk for person in persons]
    phones = list(ContactPersonPhone.objects.filter(person_id__in=ids))
    accesses = list(PortalAccess.objects.filter(person_id__in=ids))
    logins = list(User.objects.filter(pk__in=[p.portal_user_id for p in persons]))
    login_names = {user.username for user in logins} | {user.email for user in logins}
    login_names |= {person.email for person in persons}
    terms = {f"{p.first_name} {p.last_name}".strip() for p in persons} | login_names
    terms |= {str(phone.number) for phone in phones}
    terms |= {str(phone.number.national_number) for phone in phones}

    counts["admin_log_lines"] += admin_log_delete(
        [*persons, *phones, *accesses, *logins],
        {str(obj) for obj in (*persons, *phones, *accesses, *logins)},
    )
    counts["preference_changes"], counts["history_contexts"] = _history_delete(ids)
    counts["sessions"] = UserSession.end_for({user.pk for user in logins})
    counts["login_attempts"] = _login_attempts_delete(login_names)
    counts["portal_accesses"] = delete_rows(PortalAccess.objects.filter(person_id__in=ids))
    counts["phone_numbers"] = delete_rows(ContactPersonPhone.objects.filter(person_id__in=ids))
    # Unlinked first, so the login is deleted here, by Django's collector (its own dependent
    # rows with it), not by the database trigger that deletes it with its person.
    ContactPerson.objects.filter(pk__in=ids).update(portal_user=None)
    for user in logins:
        try:
            with transaction.atomic():
                User.objects.filter(pk=user.pk).delete()
            counts["portal_logins_deleted"] += 1
        except (ProtectedError, RestrictedError):
            _login_anonymise(user)
            counts["portal_logins_anonymised"] += 1
    counts["contact_persons"] = delete_rows(ContactPerson.objects.filter(pk__in=ids))
    return counts, terms


def search_terms_redact(terms: set[str]) -> int:
    """Export-log search terms that name the person: the log keeps who exported how many."""
    matching = models.Q(pk__in=[])
    for term in terms:
        if len(term) >= SEARCH_TERM_MIN_LENGTH:
            matching |= models.Q(query__icontains=term)
    return CustomerExport.objects.filter(matching).update(query=ERASED_SEARCH_TERM)


def _debtor_anonymise(debtor: Debtor) -> None:
    """Erase a private debtor's name and contact details, keeping the row: new debtor
    numbers follow the highest, so deleting it could hand its number to someone else while
    the bookkeeping (kept elsewhere, under its own retention) still refers to it."""
    admin_log_delete([debtor], {str(debtor)})
    Debtor.objects.filter(pk=debtor.pk).update(
        name=ERASED_DEBTOR_NAME,
        email="",
        phone="",
        address="",
        postal_code="",
        city="",
        vat_number="",
        ean="",
        notes="",
        active=False,
        updated=timezone.now(),
    )


def erase_customer_details(customer: Customer) -> Counter:
    """Erase everything of `customer` but the identity and the records."""
    persons = list(customer.contact_persons.all())
    counts, terms = _erase_persons(persons)
    terms |= {customer.email}
    if customer.phone:
        terms |= {str(customer.phone), str(customer.phone.national_number)}
    counts["directory_links"] = delete_rows(customer.directory_links.all())
    counts["reservation_notes"] = customer.reservations.exclude(note="").update(note="")
    for fate in _debtor_fates(customer):
        if fate.anonymised:
            _debtor_anonymise(fate.debtor)
            counts["debtors_anonymised"] += 1
    counts["customer_details"] = len(_filled(customer))
    for name in CLEARED_FIELDS:
        # A field of the customer (a foreign key at most), never a reverse relation.
        model_field: Any = Customer._meta.get_field(name)
        empty = None if model_field.is_relation else model_field.get_default()
        setattr(customer, model_field.attname, empty)
    customer.save(update_fields=[*CLEARED_FIELDS, "updated"])
    counts["admin_log_lines"] += admin_log_delete([customer], set())
    counts["export_search_terms"] = search_terms_redact(terms)
    return counts


def summary_of(counts: Counter) -> dict[str, int]:
    return {key: count for key, count in counts.items() if count}


def delete_customer(customer: Customer, counts: Counter) -> None:
    """Delete the customer row, once erased and without records, with what still names
    them: reservations, admin log lines, export search terms. Adds to `counts`."""
    counts["reservations"] += delete_rows(customer.reservations.all())
    counts["admin_log_lines"] += admin_log_delete([], {str(customer)})
    counts["export_search_terms"] += search_terms_redact({customer.name})
    counts["customers"] += delete_rows(Customer.objects.filter(pk=customer.pk))


@transaction.atomic
def erase_customer(
    *, customer: Customer, by: User, received: date | None, reason: str = ""
) -> ErasureRequest:
    """Erase a customer now: deleted entirely without records, otherwise reduced to their
    identity and kept with the records until `records_kept_until` (privacy.purge)."""
    # The row lock makes a record written meanwhile wait (its foreign key needs a share
    # lock on this row), so the decision to delete or keep holds until the commit.
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    request = ErasureRequest(
        subject_kind=SubjectKind.CUSTOMER,
        subject_id=customer.pk,
        customer_id=customer.pk,
        received=received,  # type: ignore[misc]  # None is refused by _check_received, below
        recorded_by=by,
    )
    _check_received(request)
    request.records_kept_until = records_kept_until(customer, request.received)
    request.reason = reason.strip() if request.records_kept_until else ""
    request.full_clean()
    counts = erase_customer_details(customer)
    # Invoices are bookkeeping, kept by law (bogføringsloven: five years): their customer
    # stays as an erased identity beside them, as beside kept records.
    if request.records_kept_until is None and not customer.invoices.exists():
        delete_customer(customer, counts)
    else:
        # The profile says so, and the customer form refuses to store anything again.
        Customer.objects.filter(pk=customer.pk).update(erased_on=timezone.localdate())
    request.summary = {"erased": summary_of(counts)}
    request.save()
    return request


@transaction.atomic
def erase_person(
    *, person: ContactPerson, by: User, received: date | None, reason: str = ""
) -> ErasureRequest:
    """Erase one contact person now; their customer stays as it is."""
    person = ContactPerson.objects.select_for_update().get(pk=person.pk)
    request = ErasureRequest(
        subject_kind=SubjectKind.PERSON,
        subject_id=person.pk,
        customer_id=person.customer_id,
        received=received,  # type: ignore[misc]  # None is refused by _check_received, below
        recorded_by=by,
        reason=reason.strip(),
    )
    _check_received(request)
    request.full_clean()
    counts, terms = _erase_persons([person])
    counts["export_search_terms"] = search_terms_redact(terms)
    request.summary = {"erased": summary_of(counts)}
    request.save()
    return request


def _check_received(request: ErasureRequest) -> None:
    # Before anything else: full_clean() would say "This field cannot be null."
    if request.received is None:
        raise ValidationError({"received": "Enter the date the request was received."})
