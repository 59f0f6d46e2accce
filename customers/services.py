"""Writes to customers and the back-end customer settings: every rule across rows lives here.

Rules with a race (automatic customer numbers, "social security number unique") take one
lock: the back-end settings row, with SELECT ... FOR UPDATE. Creating customers and
changing social security numbers are rare enough (a receptionist's pace) that serialising
them costs nothing, and one lock cannot deadlock with another.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    Count,
    F,
    Max,
    OuterRef,
    ProtectedError,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config import crypto
from customers.extra_fields import extra_values_apply
from customers.models import Customer, CustomerSettings
from customers.models.settings import SINGLETON_ID
from debtors.models import Debtor
from debtors.services import debtor_create

# Fields a form may hand to the services, and the setting each depends on (None: always).
CUSTOMER_FIELDS: dict[str, str | None] = {
    "kind": None,
    "first_name": None,
    "last_name": None,
    "company_name": None,
    "email": None,
    "phone": None,
    "address": None,
    "postal_code": None,
    "city": None,
    "date_of_birth": "date_of_birth_enabled",
    "gender": "gender_enabled",
    "group": "group_selector_enabled",
    "primary_therapist": "therapists_enabled",
    "secondary_therapist": "therapists_enabled",
}


@dataclass(frozen=True)
class CustomerChange:
    """What a form parsed: model fields, and the social security number when it was shown."""

    fields: dict[str, Any]
    ssn: str | None = None  # None: leave the stored number as it is
    # Extra field values by ExtraField key, as stored ("" clears one); others are kept.
    extra: dict[str, str] = field(default_factory=dict)


ERASED = (
    "This customer was erased at their request: only their identity is kept, with their "
    "records, until the records are purged. Nothing else can be stored about them."
)


def erased_refusal(customer: Customer) -> str:
    """Why nothing new may be stored about `customer` ("" while it may): a GDPR erasure
    kept only their identity, with their records, until the records are purged."""
    return ERASED if customer.erased_on else ""


def refuse_if_erased(customer: Customer) -> None:
    """Raise the erased_refusal as a ValidationError; every service that stores something
    new about a customer calls it first."""
    if refusal := erased_refusal(customer):
        raise ValidationError(refusal, code="erased")


def _locked_settings() -> CustomerSettings:
    locked = CustomerSettings.objects.select_for_update()
    return locked.get_or_create(id=SINGLETON_ID)[0]


def _allowed_fields(fields: dict[str, Any], settings: CustomerSettings) -> dict[str, Any]:
    """Drop fields whose setting is off: the server ignores them and keeps stored values."""
    allowed = {}
    for name, value in fields.items():
        if name not in CUSTOMER_FIELDS:
            raise ValueError(f"{name} is not a customer field the services accept")
        setting = CUSTOMER_FIELDS[name]
        if setting is None or getattr(settings, setting):
            allowed[name] = value
    return allowed


def _check_therapists(
    customer: Customer, settings: CustomerSettings, before: tuple = (None, None)
) -> None:
    """A newly chosen therapist must come from the calendars the settings allow; a choice
    the page did not offer is refused here too. A choice made before the settings changed
    stays until someone changes it."""
    if not settings.therapists_enabled:
        return
    errors = {}
    for role, previous in zip(("primary", "secondary"), before, strict=True):
        calendar_id = getattr(customer, f"{role}_therapist_id")
        if calendar_id is None or calendar_id == previous:
            continue
        if not settings.therapist_calendars(role).filter(pk=calendar_id).exists():
            errors[f"{role}_therapist"] = (
                f"This calendar cannot be chosen as {role} therapist under the current settings."
            )
    if (
        customer.secondary_therapist_id is not None
        and customer.secondary_therapist_id == customer.primary_therapist_id
    ):
        errors["secondary_therapist"] = "The secondary therapist is already the primary one."
    if errors:
        raise ValidationError(errors)


def _customer_link(customer: Customer) -> str:
    url = reverse("customers:detail", args=[customer.id])
    return format_html('<a href="{}">{} ({})</a>', url, customer.name, customer.number)


def _check_ssn_is_free(ssn: str, *, settings: CustomerSettings, exclude: Customer | None):
    if not settings.ssn_unique:
        return
    index = crypto.blind_index(ssn)
    if index is None:
        return
    holders = Customer.objects.filter(ssn_index=index)
    if exclude is not None:
        holders = holders.exclude(id=exclude.id)
    holder = holders.first()
    if holder is not None:
        raise ValidationError(
            {
                "ssn": format_html(
                    "This social security number already belongs to {}.", _customer_link(holder)
                )
            },
            code="ssn_taken",
        )


def _next_free_number(settings: CustomerSettings) -> int:
    """The automatic number; numbers typed in while automatic numbering was off are skipped."""
    number = settings.next_customer_number
    taken = set(
        Customer.objects.filter(number__gte=number, number__lt=number + 1000).values_list(
            "number", flat=True
        )
    )
    while number in taken:
        number += 1
    return number


@transaction.atomic
def customer_create(*, change: CustomerChange, number: int | None = None) -> Customer:
    """Create a customer. `number` is used only when automatic numbering is off."""
    settings = _locked_settings()
    fields = _allowed_fields(change.fields, settings)
    customer = Customer(**fields)
    if "group" not in fields:
        # With the selector off (or from an import that names none) a new customer still
        # gets the clinic's default group: the selector only decides who may change it.
        customer.group_id = settings.default_customer_group_id
    if settings.auto_customer_numbers:
        customer.number = _next_free_number(settings)
        settings.next_customer_number = customer.number + 1
        settings.save(update_fields=["next_customer_number"])
    else:
        if number is None:
            raise ValidationError({"number": "Type a customer number."}, code="required")
        customer.number = number
    if settings.ssn_enabled and change.ssn:
        _check_ssn_is_free(change.ssn, settings=settings, exclude=None)
        customer.set_ssn(change.ssn)
    extra_values_apply(customer, change.extra)
    _check_therapists(customer, settings)
    customer.full_clean()
    _save_with_unique_number(customer, force_insert=True)
    return customer


@transaction.atomic
def customer_update(
    *, customer: Customer, change: CustomerChange, version: int, number: int | None = None
) -> Customer:
    """Save an edit made on `version` of the customer.

    Refused when someone saved the customer after that version was shown: their change is
    kept and the user is told to reload, rather than silently overwriting it.
    """
    settings = _locked_settings() if change.ssn else CustomerSettings.load()
    current = Customer.objects.select_for_update().get(id=customer.id)
    refuse_if_erased(current)
    before = (current.primary_therapist_id, current.secondary_therapist_id)
    if current.version != version:
        raise ValidationError(
            "Someone else saved this customer after you opened it. Their change has been kept: "
            "reload the page to see it, then make your change again.",
            code="stale",
        )
    for name, value in _allowed_fields(change.fields, settings).items():
        setattr(current, name, value)
    if number is not None and not settings.auto_customer_numbers:
        current.number = number
    if settings.ssn_enabled and change.ssn is not None:
        if change.ssn:
            _check_ssn_is_free(change.ssn, settings=settings, exclude=current)
        current.set_ssn(change.ssn)
    extra_values_apply(current, change.extra)
    _check_therapists(current, settings, before)
    current.version = F("version") + 1
    current.full_clean(exclude=["version"])
    _save_with_unique_number(current)
    current.refresh_from_db()
    return current


def _save_with_unique_number(customer: Customer, **options) -> None:
    """Save; a typed number taken a moment ago by someone else gets a message, not a 500."""
    try:
        with transaction.atomic():
            customer.save(**options)
    except IntegrityError as error:
        if "number" not in str(error):
            raise
        raise ValidationError(
            {"number": f"Customer number {customer.number} was just taken: type another."}
        ) from None


@transaction.atomic
def customer_delete(*, customer: Customer) -> None:
    """Delete a customer for good. Clinical and billing rows PROTECT their customer: while
    any exist, the customer stays and the refusal names them."""
    try:
        with transaction.atomic():
            Customer.objects.filter(id=customer.id).delete()
    except ProtectedError as error:
        kinds = sorted({str(row._meta.verbose_name_plural) for row in error.protected_objects})
        raise ValidationError(
            f"{customer.name} cannot be deleted while they have {' and '.join(kinds)}: "
            "clinical records are kept for their retention period."
        ) from None


def ssn_duplicates() -> list[list[Customer]]:
    """Customers sharing a social security number, grouped; empty when all are distinct."""
    indexes = (
        Customer.objects.filter(ssn_index__isnull=False)
        .values("ssn_index")
        .annotate(holders=Count("id"))
        .filter(holders__gt=1)
        .values_list("ssn_index", flat=True)
    )
    groups: dict[bytes, list[Customer]] = {}
    for customer in Customer.objects.filter(ssn_index__in=indexes).order_by("number"):
        groups.setdefault(bytes(customer.ssn_index), []).append(customer)  # type: ignore[arg-type]  # filtered on above
    return list(groups.values())


@dataclass(frozen=True)
class SettingsSaved:
    settings: CustomerSettings
    secondary_therapists_removed: int = 0


@transaction.atomic
def customer_settings_update(
    *, values: dict[str, Any], remove_secondary_therapists: bool = False
) -> SettingsSaved:
    """Save the back-end settings, refusing combinations the data does not allow.

    "Only primary" means customers have no secondary therapist: saving it takes the
    secondary therapist off every customer who has one, which the caller must confirm
    with `remove_secondary_therapists` after being told how many (the refusal says so).
    """
    settings = _locked_settings()
    for name, value in values.items():
        setattr(settings, name, value)
    errors = customer_settings_errors(
        settings, remove_secondary_therapists=remove_secondary_therapists
    )
    if errors:
        raise ValidationError(errors)
    settings.full_clean()
    settings.save()
    removed = 0
    if (
        settings.secondary_therapist_choice
        == CustomerSettings.SecondaryTherapistChoice.ONLY_PRIMARY
    ):
        # Confirmed above (customer_settings_errors counted them): no second count here.
        removed = Customer.objects.filter(secondary_therapist__isnull=False).update(
            secondary_therapist=None, version=F("version") + 1, updated=timezone.now()
        )
    return SettingsSaved(settings=settings, secondary_therapists_removed=removed)


def customers_losing_secondary_therapist(settings: CustomerSettings) -> int:
    """How many customers these (unsaved) settings take the secondary therapist from:
    with "Only primary" nobody has one."""
    if (
        settings.secondary_therapist_choice
        != CustomerSettings.SecondaryTherapistChoice.ONLY_PRIMARY
    ):
        return 0
    return Customer.objects.filter(secondary_therapist__isnull=False).count()


def customer_settings_errors(
    settings: CustomerSettings, *, remove_secondary_therapists: bool = False
) -> dict[str, Any]:
    """What is wrong with these (unsaved) settings given the data, by field; {} when nothing."""
    errors: dict[str, Any] = {}
    losing = customers_losing_secondary_therapist(settings)
    if losing and not remove_secondary_therapists:
        errors["remove_secondary_therapists"] = ngettext(
            "%(count)d customer has a secondary therapist. With “Only primary” nobody has "
            "one: tick the box to take it off that customer, then press Update.",
            "%(count)d customers have a secondary therapist. With “Only primary” nobody has "
            "one: tick the box to take it off those %(count)d customers, then press Update.",
            losing,
        ) % {"count": losing}
    shared = shared_debtors()
    if shared and not settings.can_share_debtor:
        errors["can_share_debtor"] = format_html(
            "Some debtors pay for several customers; give those customers their own debtors "
            "first: {}",
            _debtor_links(shared),
        )
    elif settings.can_share_debtor and settings.share_debtor_must_be_activated:
        not_activated = [debtor for debtor in shared if not debtor.can_be_shared]
        if not_activated:
            errors["share_debtor_must_be_activated"] = format_html(
                "These debtors pay for several customers but are not ticked “can be shared”: {}",
                _debtor_links(not_activated),
            )
    if settings.ssn_unique:
        duplicates = ssn_duplicates()
        if duplicates:
            groups = format_html_join(
                "; ",
                "{}",
                (
                    (format_html_join(" and ", "{}", ((_customer_link(c),) for c in group)),)
                    for group in duplicates
                ),
            )
            errors["ssn_unique"] = format_html(
                "Some customers share a social security number; correct them first: {}", groups
            )
    if settings.auto_customer_numbers:
        holder = Customer.objects.filter(number=settings.next_customer_number).first()
        if holder is not None:
            highest = Customer.objects.aggregate(highest=Max("number"))["highest"]
            errors["next_customer_number"] = format_html(
                "Customer number {} is already used by {}. The highest number in use is {}.",
                settings.next_customer_number,
                _customer_link(holder),
                highest,
            )
    if settings.share_debtor_must_be_activated and not settings.can_share_debtor:
        errors["share_debtor_must_be_activated"] = "Tick “Can share debtor” as well."
    specific_calendar = CustomerSettings.SecondaryTherapistChoice.CALENDAR
    if (
        settings.secondary_therapist_choice == specific_calendar
        and settings.secondary_therapist_calendar is None
    ):
        errors["secondary_therapist_calendar"] = "Choose the calendar."
    return errors


def _debtor_links(debtors: list[Debtor]):
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse("debtors:detail", args=[debtor.pk]), debtor.name) for debtor in debtors),
    )


def shared_debtors() -> list[Debtor]:
    """Debtors paying (as the debtor, not the secondary) for more than one customer."""
    return list(
        Debtor.objects.annotate(paying_for=Count("customers"))
        .filter(paying_for__gt=1)
        .order_by("name")
    )


def debtors_with_sharing(
    debtors: QuerySet[Debtor], *, customer: Customer, settings: CustomerSettings
) -> QuerySet[Debtor]:
    """`debtors`, each annotated with `taken_by_id`: the (first, by number) other customer
    it pays for when the sharing settings keep it from paying for `customer` too, else None.

    The one statement of the sharing rule: the debtor chooser marks these debtors as
    unavailable, and customer_set_debtor refuses them.
    """
    others = Customer.objects.filter(debtor=OuterRef("pk")).exclude(id=customer.id)
    holder = Subquery(others.order_by("number").values("id")[:1])
    taken_by: Subquery | Case | Value
    if not settings.can_share_debtor:
        taken_by = holder
    elif settings.share_debtor_must_be_activated:
        taken_by = Case(When(can_be_shared=False, then=holder), default=None)
    else:
        taken_by = Value(None, output_field=UUIDField())
    return debtors.annotate(taken_by_id=taken_by)


def debtor_sharing_refusal(settings: CustomerSettings) -> str:
    """Why a debtor with a `taken_by_id` (debtors_with_sharing) cannot be chosen."""
    if not settings.can_share_debtor:
        return _("Debtors cannot be shared")
    return _("This debtor is not ticked “can be shared”")


@dataclass(frozen=True)
class DebtorChoice:
    debtor: Debtor
    taken_by: Customer | None  # set: the debtor cannot be chosen, it already pays for them


def debtor_choices(
    debtors: QuerySet[Debtor], *, customer: Customer, settings: CustomerSettings, limit: int
) -> list[DebtorChoice]:
    """The first `limit` of `debtors` to offer as the customer's debtor, each with the
    customer that keeps it from being chosen (two queries, whatever `limit`)."""
    # taken_by_id is debtors_with_sharing's annotation, unknown to the type checker.
    rows: list[Any] = list(
        debtors_with_sharing(debtors, customer=customer, settings=settings)[:limit]
    )
    holders = Customer.objects.in_bulk({row.taken_by_id for row in rows if row.taken_by_id})
    return [DebtorChoice(debtor=row, taken_by=holders.get(row.taken_by_id)) for row in rows]


def _check_debtor_may_be_taken(debtor: Debtor, *, customer: Customer, settings) -> None:
    one = Debtor.objects.filter(pk=debtor.pk)
    with_sharing = debtors_with_sharing(one, customer=customer, settings=settings)
    taken_by_id = with_sharing.values_list("taken_by_id", flat=True).get()  # type: ignore[misc]  # annotated
    if taken_by_id is None:
        return
    holder = Customer.objects.get(id=taken_by_id)
    raise ValidationError(
        format_html(
            "{}: {} already pays for {}.",
            debtor_sharing_refusal(settings),
            debtor.name,
            _customer_link(holder),
        ),
        code="debtor_taken",
    )


@transaction.atomic
def customer_set_debtor(
    *, customer: Customer, debtor: Debtor | None, secondary: bool = False
) -> Customer:
    """Make `debtor` the customer's debtor (or secondary debtor); None removes it.

    Under the settings lock, like every rule across customers: two customers taking the
    same unshared debtor at once are served one after the other, and the second is refused.
    """
    settings = _locked_settings()
    current = Customer.objects.select_for_update().get(id=customer.id)
    if secondary and not settings.secondary_debtor_enabled:
        # Removing counts too: a switched-off feature keeps its stored value.
        raise ValidationError(
            _("The %(label)s is switched off.") % {"label": settings.secondary_debtor_field_name},
            code="disabled",
        )
    if debtor is not None:
        refuse_if_erased(current)
        # Re-read under a row lock: the debtor may have been edited (unticked "can be
        # shared", made inactive) or deleted since the page showed it; debtor_update and
        # debtor_delete take the same lock.
        try:
            debtor = Debtor.objects.select_for_update().get(pk=debtor.pk)
        except Debtor.DoesNotExist:
            raise ValidationError("That debtor no longer exists.", code="gone") from None
        if not debtor.active:
            raise ValidationError(f"{debtor.name} is inactive.", code="inactive")
        if secondary:
            label = settings.secondary_debtor_field_name
            group = settings.secondary_debtor_group
            if group is not None and debtor.group_id != group.id:
                raise ValidationError(
                    f"The {label} must be a debtor of the group {group.name}.", code="group"
                )
        else:
            _check_debtor_may_be_taken(debtor, customer=current, settings=settings)
    if secondary:
        current.secondary_debtor = debtor
    else:
        current.debtor = debtor
    current.save(update_fields=["secondary_debtor" if secondary else "debtor", "updated"])
    return current


@transaction.atomic
def customer_make_own_debtor(*, customer: Customer) -> Debtor:
    """Create a debtor from a private customer's details and make it their debtor."""
    customer = Customer.objects.select_for_update().get(id=customer.id)
    refuse_if_erased(customer)
    if customer.is_business:
        raise ValidationError(
            "Only a private customer can be made their own debtor.", code="business"
        )
    if customer.debtor_id is not None:
        # The button is gone once a debtor is set; a second click must not add another.
        raise ValidationError(f"{customer.name} already has a debtor.", code="has_debtor")
    debtor = debtor_create(
        values={
            "name": customer.name,
            "kind": Debtor.Kind.PERSON,
            "email": customer.email,
            "phone": customer.phone,
            "address": customer.address,
            "postal_code": customer.postal_code,
            "city": customer.city,
        }
    )
    customer_set_debtor(customer=customer, debtor=debtor)
    return debtor


def debtor_activation_required() -> bool:
    """Whether only debtors ticked "can be shared" may be shared (told to debtors.usage)."""
    settings = CustomerSettings.load()
    return settings.can_share_debtor and settings.share_debtor_must_be_activated


@transaction.atomic
def customer_set_therapists(*, customer: Customer, primary, secondary) -> Customer:
    """Change only the customer's therapists (from a reservation), by the profile's rule."""
    settings = CustomerSettings.load()
    if not settings.therapists_enabled:
        raise ValidationError("Primary/secondary therapists are switched off.")
    current = Customer.objects.select_for_update().get(id=customer.id)
    refuse_if_erased(current)
    before = (current.primary_therapist_id, current.secondary_therapist_id)
    current.primary_therapist = primary
    if settings.has_secondary_therapist:
        current.secondary_therapist = secondary
    _check_therapists(current, settings, before)
    current.version = F("version") + 1
    current.save(update_fields=["primary_therapist", "secondary_therapist", "version", "updated"])
    current.refresh_from_db()
    return current
