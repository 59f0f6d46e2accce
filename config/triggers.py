"""Tables kept by the database from the contacts table's writes, one statement at a time."""

from collections.abc import Callable
from typing import Any

import pgtrigger

NEW, OLD = "new_contacts", "old_contacts"


def statement_delta_triggers(
    prefix: str,
    *,
    key: str,
    rows_delta: Callable[..., str],
    apply: Callable[..., str],
) -> list[pgtrigger.Trigger]:
    """Three statement-level triggers (insert, update, delete) that keep a derived table
    current from each statement's net change, in the same transaction.

    `rows_delta(rows, sign)` is SQL giving (key, n) rows for the transition table `rows`
    (new_contacts or old_contacts), negated with sign "-"; an update's change is the new
    rows' minus the old rows' per `key`. `apply(delta, removes=...)` is the trigger's body
    for that change (`removes`: the statement took rows away), ending in RETURN NULL.
    Seeing every row of a statement at once, a bulk import updates each key once."""
    moves = (
        f"SELECT {key}, sum(n) AS n FROM ("  # noqa: S608
        f"{rows_delta(NEW)} UNION ALL {rows_delta(OLD, '-')}"
        f") AS moves GROUP BY {key}"
    )
    statement: dict[str, Any] = {"when": pgtrigger.After, "level": pgtrigger.Statement}
    return [
        pgtrigger.Trigger(
            name=f"{prefix}_insert",
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new=NEW),
            func=apply(rows_delta(NEW), removes=False),
            **statement,
        ),
        pgtrigger.Trigger(
            name=f"{prefix}_update",
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old=OLD, new=NEW),
            func=apply(moves, removes=True),
            **statement,
        ),
        pgtrigger.Trigger(
            name=f"{prefix}_delete",
            operation=pgtrigger.Delete,
            referencing=pgtrigger.Referencing(old=OLD),
            func=apply(rows_delta(OLD, "-"), removes=True),
            **statement,
        ),
    ]
