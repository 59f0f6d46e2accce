"""The access log refuses TRUNCATE, for every role.

0004's trigger refuses UPDATE and DELETE row by row; TRUNCATE is a statement of its own and
passed it, so a role granted ALL (TRUNCATE included) could empty the log in one go and the
chain would then verify "0 lines, intact". A BEFORE TRUNCATE trigger refuses it whoever asks.

What can still empty the table, and why the application cannot:
- ALTER TABLE ... DISABLE TRIGGER (or DROP TRIGGER) needs the table's owner: the
  application's role must not own it (README). The test suite's flush does exactly this
  as the owner, around its TRUNCATE (tests/records/flush.py).
- SET session_replication_role = replica skips triggers, but only a superuser (or a role
  explicitly granted SET on it) may set it; the application's role is neither.
- A setting or GUC the trigger checked would not do: any session may SET a custom GUC.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION records_recordaccess_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The record access log is append-only: TRUNCATE refused.'
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER recordaccess_no_truncate
    BEFORE TRUNCATE ON records_recordaccess
    FOR EACH STATEMENT EXECUTE FUNCTION records_recordaccess_no_truncate();
"""

DROP = """
DROP TRIGGER recordaccess_no_truncate ON records_recordaccess;
DROP FUNCTION records_recordaccess_no_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0005_access_log_purge_line"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
