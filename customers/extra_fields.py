"""Extra customer fields ("spaces"): adding, ordering, deleting and restoring them, and
writing a customer's values. Deleting only hides a field; its values stay on the customers.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from customers.models import Customer, ExtraField


def extra_values_apply(customer: Customer, extra: dict[str, str]) -> None:
    """Write the values of fields in use; values of deleted fields, and of fields the form
    did not show, stay as they are."""
    in_use = {extra_field.key for extra_field in ExtraField.objects.in_use()}
    values = dict(customer.extra_fields)
    for key, value in extra.items():
        if key not in in_use:
            continue
        if value == "":
            values.pop(key, None)
        else:
            values[key] = value
    customer.extra_fields = values


@transaction.atomic
def extra_field_create(*, field: ExtraField) -> ExtraField:
    """Save a new extra field after the others."""
    last = ExtraField.objects.select_for_update().aggregate(Max("position"))["position__max"]
    field.position = (last or 0) + 1
    field.full_clean()
    field.save()
    return field


def extra_field_values_count(field: ExtraField) -> int:
    """How many customers have filled out `field`."""
    return Customer.objects.filter(extra_fields__has_key=field.key).count()


@transaction.atomic
def extra_field_delete(*, field: ExtraField) -> None:
    """Hide the field from customer information; its values stay (restore brings it back)."""
    field.mark_deleted()
    field.save(update_fields=["deleted"])


@transaction.atomic
def extra_field_restore(*, field: ExtraField) -> None:
    field.deleted = None
    try:
        field.validate_constraints()
    except ValidationError:
        raise ValidationError(
            f"“{field.label}” cannot be restored: a field in use has the same label. "
            "Rename that one first."
        ) from None
    field.save(update_fields=["deleted"])


@transaction.atomic
def extra_field_move(*, field: ExtraField, up: bool) -> None:
    """Swap `field` with its neighbour above (or below) in the order of fields in use."""
    fields = list(ExtraField.objects.in_use().select_for_update())
    index = next(i for i, candidate in enumerate(fields) if candidate.pk == field.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(fields):
        return
    fields[index], fields[other] = fields[other], fields[index]
    for position, candidate in enumerate(fields, start=1):
        if candidate.position != position:
            candidate.position = position
            candidate.save(update_fields=["position"])
