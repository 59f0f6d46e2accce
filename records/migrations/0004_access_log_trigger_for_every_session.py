"""The access log's append-only trigger, as plain PostgreSQL.

pgtrigger's triggers step aside for any session that sets `pgtrigger.ignore`, so the
application's own role (or an injected statement) could switch the Protect trigger of 0002
off. This one has no such switch: UPDATE and DELETE are refused for every role. Only a role
that owns the table can ALTER TABLE ... DISABLE TRIGGER, and the chain (records.audit)
shows what it then changes.
"""

import pgtrigger.migrations
from django.db import migrations

CREATE = """
CREATE FUNCTION records_recordaccess_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The record access log is append-only: % refused.', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER recordaccess_append_only
    BEFORE UPDATE OR DELETE ON records_recordaccess
    FOR EACH ROW EXECUTE FUNCTION records_recordaccess_append_only();
"""

DROP = """
DROP TRIGGER recordaccess_append_only ON records_recordaccess;
DROP FUNCTION records_recordaccess_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0003_access_log_chain"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="recordaccess",
            name="recordaccess_append_only",
        ),
        migrations.RunSQL(CREATE, DROP),
    ]
