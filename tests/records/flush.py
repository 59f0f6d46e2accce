"""The test suite's way past the access log's TRUNCATE refusal (records migration 0006).

Transactional tests end with Django's flush, which empties every table with TRUNCATE. The
log's BEFORE TRUNCATE trigger refuses that for every role; the flush here switches the
trigger off around its TRUNCATE with ALTER TABLE ... DISABLE TRIGGER, which only the
table's owner may run. The test database's role owns its tables; in production the
application's role does not (README), so the application cannot take this way.
"""

from collections.abc import Callable

ACCESS_LOG = "records_recordaccess"
NO_TRUNCATE = "recordaccess_no_truncate"


def flushing_past_the_access_log(sql_flush: Callable) -> Callable:
    """DatabaseOperations.sql_flush, with the access log's TRUNCATE trigger off around it."""

    def wrapped(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = sql_flush(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if ACCESS_LOG not in tables or not statements:
            return statements
        return [
            f"ALTER TABLE {ACCESS_LOG} DISABLE TRIGGER {NO_TRUNCATE}",
            *statements,
            f"ALTER TABLE {ACCESS_LOG} ENABLE TRIGGER {NO_TRUNCATE}",
        ]

    return wrapped
