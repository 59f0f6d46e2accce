"""Writes to debtors. Rules that involve customers live in customers.services."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from debtors.models import Debtor
from debtors.usage import DebtorUser, activation_required, debtor_users

# pg_advisory_xact_lock key: new debtor numbers are handed out one at a time.
DEBTOR_NUMBER_LOCK = 7_100_001


def _users_html(users: list[DebtorUser]):
    return format_html_join(", ", '<a href="{}">{}</a>', ((u.url, u.label) for u in users))


def next_debtor_number() -> int:
    highest = Debtor.objects.aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


@transaction.atomic
def debtor_create(*, values: dict, number: int | None = None) -> Debtor:
    """Create a debtor; without a typed number it gets the next one after the highest."""
    if number is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DEBTOR_NUMBER_LOCK])
        number = next_debtor_number()
    debtor = Debtor(number=number, **values)
    debtor.full_clean()
    try:
        with transaction.atomic():
            debtor.save()
    except IntegrityError:
        # A typed number someone else took between the check and the save.
        raise ValidationError(
            {"number": f"Debtor number {number} was just taken: type another."}
        ) from None
    return debtor


@transaction.atomic
def debtor_update(*, debtor: Debtor, values: dict) -> Debtor:
    current = Debtor.objects.select_for_update().get(pk=debtor.pk)
    unticked = current.can_be_shared and not values.get("can_be_shared", True)
    for name, value in values.items():
        setattr(current, name, value)
    # Only unticking matters, and only where sharing must be activated per debtor: an
    # edit of a legitimately shared debtor's phone number is not a sharing question.
    if unticked and activation_required():
        paying_for = [user for user in debtor_users(current) if user.role == "debtor"]
        if len(paying_for) > 1:
            raise ValidationError(
                {
                    "can_be_shared": format_html(
                        "Several customers share this debtor: {}. Give all but one of them "
                        "another debtor first.",
                        _users_html(paying_for),
                    )
                }
            )
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def debtor_delete(*, debtor: Debtor) -> None:
    """Delete a debtor no customer uses; refused, naming them, while any does."""
    current = Debtor.objects.select_for_update().get(pk=debtor.pk)
    users = debtor_users(current)
    if users:
        raise ValidationError(
            format_html(
                "{} cannot be deleted while customers use it: {}.",
                current.name,
                _users_html(users),
            ),
            code="in_use",
        )
    current.delete()


@transaction.atomic
def debtor_group_delete(*, group) -> None:
    """Delete an empty debtor group; refused while debtors or the settings use it."""
    from django.db.models import ProtectedError

    count = group.debtors.count()
    if count:
        raise ValidationError(
            ngettext(
                "%(group)s still holds %(count)d debtor: move it to another group first.",
                "%(group)s still holds %(count)d debtors: move them to another group first.",
                count,
            )
            % {"group": group.name, "count": count},
            code="in_use",
        )
    try:
        group.delete()
    except ProtectedError:
        raise ValidationError(
            f"{group.name} is the secondary debtor group in Back-end › Customer: "
            "choose another there first.",
            code="in_settings",
        ) from None
