"""The consent history of a contact person's communication preferences.

The rows are written by a database trigger (django-pghistory, on ContactPerson), so no
path that changes a preference — a form, the portal, the admin, a bulk update — escapes
it; the request's user comes from pghistory's middleware context.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
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


@dataclass(frozen=True)
class PreferenceEvent:
    """One saved change of a person's preferences, with what they were before it."""

    row: Any  # the pghistory event row (pgh_created_at, pgh_obj_id, ...)
    user_id: Any  # who made it, when a signed-in user did (pghistory's context)
    before: dict[str, bool] | None  # None: the person was created with `after`
    after: dict[str, bool]


def preference_events(events: QuerySet) -> list[PreferenceEvent]:
    """`events` (pghistory rows of ContactPerson preferences, of one person or many) oldest
    first, each with the preferences its person had before it. One query, with contexts."""
    rows = events.select_related("pgh_context").order_by("pgh_id")
    before: dict[Any, dict[str, bool]] = {}
    walked = []
    for row in rows:
        after = {name: getattr(row, name) for name in PREFERENCE_FIELDS}
        context = row.pgh_context.metadata if row.pgh_context else {}
        walked.append(PreferenceEvent(row, context.get("user"), before.get(row.pgh_obj_id), after))
        before[row.pgh_obj_id] = after
    return walked


def preference_history(person: ContactPerson) -> list[PreferenceChange]:
    """Every preference change of `person`, newest first (one query for the events and
    their context, one for the names of the users who made them)."""
    events = preference_events(person.preference_changes.all())  # type: ignore[attr-defined]  # pghistory's event model
    user_ids = {event.user_id for event in events if event.user_id}
    names = {user.pk: str(user) for user in get_user_model().objects.filter(pk__in=user_ids)}
    labels = {
        name: str(capfirst(ContactPerson._meta.get_field(name).verbose_name))  # type: ignore[union-attr]  # fields, not relations
        for name in PREFERENCE_FIELDS
    }
    changes: list[PreferenceChange] = []
    for event in events:
        when = event.row.pgh_created_at
        who = names.get(event.user_id, "the system (no signed-in user)")
        for name in PREFERENCE_FIELDS:
            new = event.after[name]
            old = None if event.before is None else event.before[name]
            if old != new and (old is not None or new):
                changes.append(PreferenceChange(when, who, labels[name], old, new))
    return changes[::-1]
