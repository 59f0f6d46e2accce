"""Writes of a customer's own contact persons, and the rules that span their fields.

Every page that adds or changes a person (the staff Persons tab, the portal's Contacts)
comes through `contact_person_create` / `contact_person_update`; the rules live here:

- a person needs an email address or at least one phone number (`check_email_or_phone`);
- a person who signs in to the portal keeps an email address, and it must be no other
  login's (`check_login_email`, also asked by portal.services before granting a login);
- nothing new is stored about an erased customer (customers.services.refuse_if_erased);
- a communication preference is ticked once when its field is newly filled, unless the
  page's script already did so as the user typed (`preferences_scripted`).

Refusals are `ValidationError`s keyed by the field they belong to, with a code.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import login_name_taken
from contacts.models import ContactPerson, ContactPersonPhone
from customers.models import Customer
from customers.services import refuse_if_erased

# The fields of a person a page may write (is_primary and portal_user have services of
# their own).
PERSON_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "description",
    "email",
    "address",
    "postal_code",
    "city",
    "is_active",
    "prefers_email",
    "prefers_sms",
    "prefers_letter",
)


@dataclass(frozen=True)
class Phone:
    """One of a person's phone numbers, as the person will have it."""

    kind: str
    number: Any  # a phonenumber_field PhoneNumber (stored E.164)


def check_email_or_phone(*, email: str, phones: Sequence[Phone]) -> None:
    """A person needs an email address or at least one phone number (the message sits at
    the email field)."""
    if not email and not phones:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("Enter an email address or at least one phone number."),
                    code="email_or_phone",
                )
            }
        )


def check_login_email(*, email: str, portal_user_id: int | None) -> None:
    """The email address a portal login signs in with must be no other login's (case
    ignored); `portal_user_id` is the person's own login, if they have one yet."""
    if login_name_taken(email, except_user_id=portal_user_id):
        raise ValidationError(
            {
                "email": ValidationError(
                    _("Another portal login already uses this email address."),
                    code="login_name_taken",
                )
            }
        )


def _check_login_kept(person: ContactPerson) -> None:
    """A person with a portal login signs in with their email address: it stays."""
    if person.portal_user_id is None:
        return
    if not person.email:
        raise ValidationError(
            {
                "email": ValidationError(
                    _(
                        "This person signs in to the customer portal with their email "
                        "address. Revoke their portal access before removing it."
                    ),
                    code="login_needs_email",
                )
            }
        )
    check_login_email(email=person.email, portal_user_id=person.portal_user_id)


# Which preference a filled field stands for: an email address means email, a mobile
# number SMS, a postal address a letter.
def _filled(*, email: str, address: str, phones: Sequence[Phone]) -> dict[str, bool]:
    return {
        "prefers_email": bool(email),
        "prefers_letter": bool(address),
        "prefers_sms": any(phone.kind == ContactPersonPhone.Kind.MOBILE for phone in phones),
    }


def _write(
    person: ContactPerson,
    *,
    fields: Mapping[str, Any],
    phones: Sequence[Phone],
    had: dict[str, bool],
    preferences_scripted: bool,
    sms_enabled: bool,
) -> ContactPerson:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of a contact person: {sorted(unknown)}")
    allowed = {
        name: value
        for name, value in fields.items()
        if sms_enabled or name != "prefers_sms"  # the SMS preference exists only with SMS on
    }
    for name, value in allowed.items():
        setattr(person, name, value)
    check_email_or_phone(email=person.email, phones=phones)
    _check_login_kept(person)
    if not preferences_scripted:
        has = _filled(email=person.email, address=person.address, phones=phones)
        for preference in has:
            if preference == "prefers_sms" and not sms_enabled:
                continue
            if has[preference] and not had[preference]:
                setattr(person, preference, True)
    person.full_clean(exclude=["customer"], validate_unique=False, validate_constraints=False)
    person.save()
    _replace_phones(person, phones)
    return person


def _replace_phones(person: ContactPerson, phones: Sequence[Phone]) -> None:
    """Give `person` exactly `phones`: a number kept keeps its row (its type may change),
    the others go or come."""
    kept = {phone.number: phone.kind for phone in phones}
    for row in list(person.phones.all()):
        if row.number not in kept:
            row.delete()
            continue
        kind = kept.pop(row.number)
        if row.kind != kind:
            row.kind = kind
            row.save(update_fields=["kind"])
    ContactPersonPhone.objects.bulk_create(
        ContactPersonPhone(person=person, kind=kind, number=number) for number, kind in kept.items()
    )


@transaction.atomic
def contact_person_create(
    *,
    customer: Customer,
    fields: Mapping[str, Any],
    phones: Sequence[Phone] = (),
    preferences_scripted: bool = False,
    sms_enabled: bool = False,
) -> ContactPerson:
    """Add a contact person to `customer`, with `phones`."""
    # Locked, so an erasure running at the same time either comes first (and this is
    # refused) or waits for the new person (and erases them too).
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    refuse_if_erased(customer)
    return _write(
        ContactPerson(customer=customer),
        fields=fields,
        phones=phones,
        had=dict.fromkeys(("prefers_email", "prefers_letter", "prefers_sms"), False),
        preferences_scripted=preferences_scripted,
        sms_enabled=sms_enabled,
    )


@transaction.atomic
def contact_person_update(
    *,
    person: ContactPerson,
    fields: Mapping[str, Any],
    phones: Sequence[Phone],
    preferences_scripted: bool = False,
    sms_enabled: bool = False,
) -> ContactPerson:
    """Change `person`'s fields (those given) and set their phones to `phones`.

    The row is locked and read again, so what was filled before (for the preference
    defaults) and their portal login are as stored, not as a page saw them.
    """
    stored = ContactPerson.objects.select_for_update().get(pk=person.pk)
    had = _filled(
        email=stored.email,
        address=stored.address,
        phones=[Phone(row.kind, row.number) for row in stored.phones.all()],
    )
    _write(
        stored,
        fields=fields,
        phones=phones,
        had=had,
        preferences_scripted=preferences_scripted,
        sms_enabled=sms_enabled,
    )
    for name in (*PERSON_FIELDS, "updated"):
        setattr(person, name, getattr(stored, name))
    return person


class PrimaryNotAllowed(ValidationError):
    pass


def contact_person_set_primary(*, person: ContactPerson) -> None:
    """Make `person` the customer's primary contact (the one before stops being it).

    Only private customers have one. The customer row is locked first, so two people
    choosing different primaries at once end with the later choice, never with an error
    or two primaries (the partial unique constraint would refuse that anyway).
    """
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=person.customer_id)
        if customer.is_business:
            raise PrimaryNotAllowed("Only private customers have a primary contact.")
        if not ContactPerson.objects.filter(pk=person.pk, customer=customer).exists():
            raise PrimaryNotAllowed("This person is no longer among the customer's contacts.")
        customer.contact_persons.filter(is_primary=True).exclude(pk=person.pk).update(
            is_primary=False
        )
        customer.contact_persons.filter(pk=person.pk).update(is_primary=True)
    person.is_primary = True


def primary_contact(customer: Customer) -> ContactPerson | None:
    """The private customer's primary contact, if one is set."""
    if customer.is_business:
        return None
    return customer.contact_persons.filter(is_primary=True).first()


@dataclass(frozen=True)
class Addressee:
    name: str
    address_lines: list[str]


def letter_addressee(customer: Customer) -> Addressee:
    """Whom letters about `customer` are addressed to: the primary contact of a private
    customer, when there is one, otherwise the customer."""
    primary = primary_contact(customer)
    if primary:
        return Addressee(primary.name, primary.address_lines)
    place = f"{customer.postal_code} {customer.city}".strip()
    return Addressee(customer.name, [line for line in (customer.address, place) if line])


def contact_person_delete(*, person: ContactPerson) -> None:
    """Delete a contact person; their portal login, if any, goes with them (a trigger
    on ContactPerson, so deleting the whole customer takes the logins too)."""
    person.delete()
