from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

# `kartotek_fold(text)`: lower case without accents ("Sørensen" -> "sorensen"), for
# case- and accent-insensitive search (config.search.Fold). unaccent() itself is only
# STABLE (it reads its dictionary by search_path), so it cannot serve generated columns
# or indexes; this wrapper names the dictionary by schema and is declared IMMUTABLE, the
# way the unaccent documentation suggests. The SQL-standard body is bound at creation,
# so a changed search_path cannot redirect it.
CREATE_FOLD = """
CREATE FUNCTION kartotek_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN lower(public.unaccent('public.unaccent'::regdictionary, $1));
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_staff_roles")]
    operations = [
        UnaccentExtension(),
        migrations.RunSQL(CREATE_FOLD, "DROP FUNCTION kartotek_fold(text);"),
    ]
