"""The words of the directory, for typo-tolerant search ("Pedrsen" finds Pedersen).

`ContactWord` holds each distinct folded word (config.search.Fold: lower case, accents
off) of the contacts' first names, last names, organisations and descriptions, with how
many contacts use it. A trigram index on this small table (a few hundred thousand words
for a million contacts) finds the words one edit away from a typed word quickly; the
corrected text is then searched on the contacts' own word-start indexes
(ContactQuerySet.search), so a typo costs what a correctly spelt search costs.

Statement-level triggers on the contacts table (CONTACT_WORD_TRIGGERS) keep the table
current in the same transaction as any write: a form, the import, the admin, a bulk
`QuerySet.update`. They see each statement's rows as transition tables, so importing
5,000 contacts updates each word once, not 5,000 times. A word no contact uses any more
is deleted by the same statement that removes its last use.

Not in the table: e-mail addresses and phone numbers. Nearly every address is unique, so
they would make the word table as large as the directory, and an address fragment is
already found as a substring (search_text's trigram index). Descriptions are in: their
vocabulary is small (specialties) and "Dermatolgist" is a typo staff make.

The SQL functions (migration 0006_contact_words):
- kartotek_words(text) -> text[]: the distinct folded words of four letters or more
  (shorter words cannot be one edit from a typed word of five letters);
- kartotek_one_edit(a, b): whether a and b differ by one insertion, deletion,
  substitution or transposition of adjacent letters;
- kartotek_typo_variants(text): the text with one typed word of five letters or more
  replaced by a word of the table one edit away (the closest three per word, and all
  typed words corrected at once), closest first.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import models

from config.triggers import statement_delta_triggers

# A typed word needs this many letters before a one-edit neighbour counts as meant:
# "holm" for "hold" would find unrelated names.
TYPO_MIN_LENGTH = 5

# The words one contact gives the table (kartotek_words over these fields).
WORDS_OF = "kartotek_words(concat_ws(' ', {row}.first_name, {row}.last_name, {row}.organisation, {row}.description))"  # noqa: E501


def _uses(rows: str, sign: str = "") -> str:
    """(word, n) for every word the contacts in the transition table `rows` use."""
    return (
        f"SELECT word, {sign}count(*) AS n FROM {rows} "  # noqa: S608
        f"CROSS JOIN LATERAL unnest({WORDS_OF.format(row=rows)}) AS word GROUP BY word"
    )


# Upsert (word, n) rows; in word order, so concurrent statements lock words in one order.
_ADD = (
    "INSERT INTO contacts_contactword (word, uses) SELECT word, n FROM ({delta}) AS delta "
    "WHERE n <> 0 ORDER BY word "
    "ON CONFLICT (word) DO UPDATE SET uses = contacts_contactword.uses + EXCLUDED.uses;"
)
# Words the statement took uses from: those now unused go.
_PRUNE = (
    "DELETE FROM contacts_contactword WHERE uses <= 0 "
    "AND word IN (SELECT word FROM ({gone}) AS gone);"
)


def _apply_uses(delta: str, *, removes: bool) -> str:
    """Add `delta`'s uses to the word table; a statement that removed uses also deletes
    the words left unused."""
    prune = _PRUNE.format(gone=_uses("old_contacts")) if removes else ""
    return _ADD.format(delta=delta) + prune + " RETURN NULL;"


CONTACT_WORD_TRIGGERS = statement_delta_triggers(
    "contact_words", key="word", rows_delta=_uses, apply=_apply_uses
)


class ContactWord(models.Model):
    """A distinct folded word of the directory, and how many contacts use it (kept by
    the triggers above; never written by the application)."""

    word = models.TextField(primary_key=True)
    uses = models.IntegerField()

    class Meta:
        indexes = [
            GinIndex(fields=["word"], name="contactword_word_trgm", opclasses=["gin_trgm_ops"])
        ]

    def __str__(self) -> str:
        return self.word
