"""Typo-tolerant directory search and maintained category counts (issue #18).

The word table (contacts.models.words) with the functions its triggers and search() use,
filled from the existing contacts; ContactCategory.contact_count, filled from them too.
The triggers keep both current from here on.
"""

import django.contrib.postgres.indexes
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

# The distinct folded words of four letters or more of a text: shorter ones cannot be one
# edit from a typed word of five letters, the least a typo search corrects.
CREATE_WORDS = r"""
CREATE FUNCTION kartotek_words(text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(
    SELECT DISTINCT word FROM regexp_split_to_table(kartotek_fold($1), '[^[:alnum:]]+') AS word
    WHERE length(word) >= 4
);
"""

# Whether a and b differ by exactly one insertion, deletion, substitution or
# transposition of two adjacent letters (Damerau-Levenshtein distance 1).
CREATE_ONE_EDIT = r"""
CREATE FUNCTION kartotek_one_edit(a text, b text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    la int := length(a);
    lb int := length(b);
    i int := 1;
BEGIN
    IF a = b OR abs(la - lb) > 1 THEN
        RETURN false;
    END IF;
    WHILE i <= least(la, lb) AND substr(a, i, 1) = substr(b, i, 1) LOOP
        i := i + 1;
    END LOOP;
    IF la = lb THEN
        RETURN substr(a, i + 1) = substr(b, i + 1)
            OR (substr(a, i, 1) = substr(b, i + 1, 1) AND substr(a, i + 1, 1) = substr(b, i, 1)
                AND substr(a, i + 2) = substr(b, i + 2));
    ELSIF la > lb THEN
        RETURN substr(a, i + 1) = substr(b, i);
    END IF;
    RETURN substr(a, i) = substr(b, i + 1);
END
$$;
"""

# The folded text with one typed word (five letters or more) replaced by a directory word
# one edit away: the three closest per word (trigram similarity, then the commoner word),
# and, when several words have one, all of them corrected at once. One edit in a word of
# five letters leaves a trigram similarity of at least 0.2 (a transposition of its first
# letters), so the trigram index finds every candidate at 0.15, and kartotek_one_edit keeps
# the true ones. The threshold is this function's own (SET), not the session's.
CREATE_TYPO_VARIANTS = r"""
CREATE FUNCTION kartotek_typo_variants(typed text) RETURNS SETOF text
LANGUAGE plpgsql STABLE STRICT ROWS 4
SET pg_trgm.similarity_threshold = 0.15 AS $$
DECLARE
    words text[] := regexp_split_to_array(btrim(kartotek_fold(typed)), '\s+');
    best text[] := words;
    corrected int := 0;
    neighbour text;
BEGIN
    FOR i IN 1 .. coalesce(array_length(words, 1), 0) LOOP
        CONTINUE WHEN length(words[i]) < 5;
        FOR neighbour IN
            SELECT word FROM contacts_contactword
            WHERE word % words[i] AND kartotek_one_edit(word, words[i])
            ORDER BY similarity(word, words[i]) DESC, uses DESC, word
            LIMIT 3
        LOOP
            IF best[i] = words[i] THEN
                best[i] := neighbour;
                corrected := corrected + 1;
            END IF;
            RETURN NEXT array_to_string(words[1:i - 1] || neighbour || words[i + 1:], ' ');
        END LOOP;
    END LOOP;
    IF corrected > 1 THEN
        RETURN NEXT array_to_string(best, ' ');
    END IF;
END
$$;
"""

FILL = """
INSERT INTO contacts_contactword (word, uses)
SELECT word, count(*) FROM contacts_contact
CROSS JOIN LATERAL unnest(kartotek_words(concat_ws(' ', first_name, last_name, organisation,
    description))) AS word
GROUP BY word;
UPDATE contacts_contactcategory AS category SET contact_count = (
    SELECT count(*) FROM contacts_contact WHERE category_id = category.id
);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0005_contact_category_created"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContactWord",
            fields=[
                ("word", models.TextField(primary_key=True, serialize=False)),
                ("uses", models.IntegerField()),
            ],
        ),
        migrations.AddField(
            model_name="contactcategory",
            name="contact_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunSQL(CREATE_WORDS, "DROP FUNCTION kartotek_words(text);"),
        migrations.RunSQL(CREATE_ONE_EDIT, "DROP FUNCTION kartotek_one_edit(text, text);"),
        migrations.RunSQL(CREATE_TYPO_VARIANTS, "DROP FUNCTION kartotek_typo_variants(text);"),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        pgtrigger.migrations.AddTrigger(
            model_name="contact",
            trigger=pgtrigger.compiler.Trigger(
                name="category_count_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="UPDATE contacts_contactcategory AS category SET contact_count = category.contact_count + delta.n FROM (SELECT category_id, count(*) AS n FROM new_contacts GROUP BY category_id) AS delta WHERE category.id = delta.category_id AND delta.n <> 0; RETURN NULL;",
                    hash="0c2fd2de4fa40c32f488929baccd6d0237ef59db",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_category_count_insert_ea6eb",
                    referencing="REFERENCING NEW TABLE AS new_contacts ",
                    table="contacts_contact",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="contact",
            trigger=pgtrigger.compiler.Trigger(
                name="category_count_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="UPDATE contacts_contactcategory AS category SET contact_count = category.contact_count + delta.n FROM (SELECT category_id, sum(n) AS n FROM (SELECT category_id, count(*) AS n FROM new_contacts GROUP BY category_id UNION ALL SELECT category_id, -count(*) AS n FROM old_contacts GROUP BY category_id) AS moves GROUP BY category_id) AS delta WHERE category.id = delta.category_id AND delta.n <> 0; RETURN NULL;",
                    hash="a6e1b7c3e1c536ee36279ba7fc7e0d0aa918cc2c",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_category_count_update_a9018",
                    referencing="REFERENCING OLD TABLE AS old_contacts  NEW TABLE AS new_contacts ",
                    table="contacts_contact",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="contact",
            trigger=pgtrigger.compiler.Trigger(
                name="category_count_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="UPDATE contacts_contactcategory AS category SET contact_count = category.contact_count + delta.n FROM (SELECT category_id, -count(*) AS n FROM old_contacts GROUP BY category_id) AS delta WHERE category.id = delta.category_id AND delta.n <> 0; RETURN NULL;",
                    hash="e0ff60abce377e29382e7178e5d894011abd2740",
                    level="STATEMENT",
                    operation="DELETE",
                    pgid="pgtrigger_category_count_delete_8679c",
                    referencing="REFERENCING OLD TABLE AS old_contacts ",
                    table="contacts_contact",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="contact",
            trigger=pgtrigger.compiler.Trigger(
                name="contact_words_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="INSERT INTO contacts_contactword (word, uses) SELECT word, n FROM (SELECT word, count(*) AS n FROM new_contacts CROSS JOIN LATERAL unnest(kartotek_words(concat_ws(' ', new_contacts.first_name, new_contacts.last_name, new_contacts.organisation, new_contacts.description))) AS word GROUP BY word) AS delta WHERE n <> 0 ORDER BY word ON CONFLICT (word) DO UPDATE SET uses = contacts_contactword.uses + EXCLUDED.uses; RETURN NULL;",
                    hash="e9fcea854cd59ad8db92f1a8138107550ef65b1a",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_contact_words_insert_35480",
                    referencing="REFERENCING NEW TABLE AS new_contacts ",
                    table="contacts_contact",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="contact",
            trigger=pgtrigger.compiler.Trigger(
                name="contact_words_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="INSERT INTO contacts_contactword (word, uses) SELECT word, n FROM (SELECT word, sum(n) AS n FROM (SELECT word, count(*) AS n FROM new_contacts CROSS JOIN LATERAL unnest(kartotek_words(concat_ws(' ', new_contacts.first_name, new_contacts.last_name, new_contacts.organisation, new_contacts.description))) AS word GROUP BY word UNION ALL SELECT word, -count(*) AS n FROM old_contacts CROSS JOIN LATERAL unnest(kartotek_words(concat_ws(' ', old_contacts.first_name, old_contacts.last_name, old_contacts.organisation, old_contacts.description))) AS word GROUP BY word) AS moves GROUP BY word) AS delta WHERE n <> 0 ORDER BY word ON CONFLICT (word) DO UPDATE SET uses = contacts_contactword.uses + EXCLUDED.uses;DELETE FROM contacts_contactword WHERE uses <= 0 AND word IN (SELECT word FROM (SELECT word, count(*) AS n FROM old_contacts CROSS JOIN LATERAL unnest(kartotek_words(concat_ws(' ', old_contacts.first_name, old_contacts.last_name, old_contacts.organisation, old_contacts.description))) AS word GROUP BY word) AS gone); RETURN NULL;",
                    hash="fe1dbe6d3b11a1e1176aab66da770eda8c264905",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_contact_words_update_750d9",
                    referencing="REFERENCING OLD TABLE AS old_contacts  NEW TABLE AS new_contacts ",
                    table="contacts_contact",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="contact",
            trigger=pgtrigger.compiler.Trigger(
                name="contact_words_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="INSERT INTO contacts_contactword (word, uses) SELECT word, n FROM (SELECT word, -count(*) AS n FROM old_contacts CROSS JOIN LATERAL unnest(kartotek_words(concat_ws(' ', old_contacts.first_name, old_contacts.last_name, old_contacts.organisation, old_contacts.description))) AS word GROUP BY word) AS delta WHERE n <> 0 ORDER BY word ON CONFLICT (word) DO UPDATE SET uses = contacts_contactword.uses + EXCLUDED.uses;DELETE FROM contacts_contactword WHERE uses <= 0 AND word IN (SELECT word FROM (SELECT word, count(*) AS n FROM old_contacts CROSS JOIN LATERAL unnest(kartotek_words(concat_ws(' ', old_contacts.first_name, old_contacts.last_name, old_contacts.organisation, old_contacts.description))) AS word GROUP BY word) AS gone); RETURN NULL;",
                    hash="4036aa31e32825e32418a7f8b99f37f1627e5dbe",
                    level="STATEMENT",
                    operation="DELETE",
                    pgid="pgtrigger_contact_words_delete_69c28",
                    referencing="REFERENCING OLD TABLE AS old_contacts ",
                    table="contacts_contact",
                    when="AFTER",
                ),
            ),
        ),
        migrations.AddIndex(
            model_name="contactword",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["word"], name="contactword_word_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
