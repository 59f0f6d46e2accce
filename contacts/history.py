"""The consent history of a contact person's communication preferences.

The rows are written by a database trigger (django-pghistory, on ContactPerson), so no
path that changes a preference — a form, the portal, the admin, a bulk update — escapes
it; the request's user comes from pghistory's middleware context.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils.text import capfirst

from contacts.models import ContactPerson
from contacts.models.persons import PREFERENCE_FIELDS


@dataclass(frozen=True)
class PreferenceChange:
    when: datetime
    who: str
    preference: str
    old: bool | None  # None: the person was created with this setting
    new: bool


def preference_history(person: ContactPerson) -> list[PreferenceChange]:
    """Every preference change of `person`, newest first (one query for the events and
    their context, one for the names of the users who made them)."""
    events = list(person.preference_changes.select_related("pgh_context").order_by("pgh_id"))
    user_ids = {
        event.pgh_context.metadata.get("user")
        for event in events
        if event.pgh_context and event.pgh_context.metadata.get("user")
    }
    names = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=user_ids)
    }
    labels = {
        name: capfirst(ContactPerson._meta.get_field(name).verbose_name)
        for name in PREFERENCE_FIELDS
    }
    changes: list[PreferenceChange] = []
    before: dict[str, bool] | None = None
    for event in events:
        context = event.pgh_context.metadata if event.pgh_context else {}
        who = names.get(context.get("user"), "the system (no signed-in user)")
        for name in PREFERENCE_FIELDS:
            new = getattr(event, name)
            old = None if before is None else before[name]
            if old != new and (old is not None or new):
                changes.append(PreferenceChange(event.pgh_created_at, who, labels[name], old, new))
        before = {name: getattr(event, name) for name in PREFERENCE_FIELDS}
    return changes[::-1]
