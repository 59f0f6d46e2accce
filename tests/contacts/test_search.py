"""Searching the directory: case- and accent-insensitive, typo-tolerant, best first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact, ContactWord
from tests.factories import ContactCategoryFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _found(query: str) -> list[str]:
    return [contact.last_name for contact in Contact.objects.search(query, 20)]


def test_search_ignores_case_and_accents_both_ways():
    ContactFactory(first_name="Søren", last_name="Ærø-Bøgh")
    ContactFactory(first_name="Rene", last_name="Lefèvre")
    assert _found("SOREN") == ["Ærø-Bøgh"]
    assert _found("aero-bogh") == ["Ærø-Bøgh"]
    assert _found("lefevre") == ["Lefèvre"]
    assert _found("LEFÈVRE") == ["Lefèvre"]


@pytest.mark.parametrize(
    ("typed", "last_name"),
    [
        ("Pedrsen", "Pedersen"),  # a letter left out
        ("Jenssen", "Jensen"),  # one too many
        ("Rasmusen", "Rasmussen"),
        ("Sørnsen", "Sørensen"),  # accents folded as everywhere
        ("Pedersne", "Pedersen"),  # two letters swapped
        ("Jnesen", "Jensen"),
        ("Hanzen", "Hansen"),  # one letter wrong
    ],
)
def test_a_typo_in_a_name_finds_the_contact(typed, last_name):
    ContactFactory(first_name="Ida", last_name=last_name, email="ida@example.dk")
    ContactFactory(first_name="Bo", last_name="Holm", email="bo@example.dk")
    assert _found(typed) == [last_name]


@pytest.mark.parametrize(
    ("typed", "unrelated"),
    [
        ("Pedrsen", "Petersen"),  # two edits away
        ("Jenssen", "Hansen"),
        ("Rasmusen", "Rasmus"),
        ("Sørnsen", "Svendsen"),
        ("Holms", "Helm"),
    ],
)
def test_a_typo_does_not_find_unrelated_names(typed, unrelated):
    ContactFactory(first_name="Ida", last_name=unrelated, email="ida@example.dk")
    assert _found(typed) == []


def test_a_typo_in_a_short_word_is_not_guessed():
    """Under five letters one edit reaches too many names: "Holn" is not taken for Holm."""
    ContactFactory(first_name="Ida", last_name="Holm", email="ida@example.dk")
    assert _found("Holn") == []


def test_first_name_and_a_misspelt_last_name_find_that_person():
    ContactFactory(first_name="Jens", last_name="Pedersen", email="jens@example.dk")
    ContactFactory(first_name="Anne", last_name="Pedersen", email="anne@example.dk")
    assert [str(c) for c in Contact.objects.search("jens pedrsen", 20)] == ["Jens Pedersen"]


def test_a_typo_in_an_organisation_or_description_finds_the_contact():
    ContactFactory(last_name="Holm", organisation="Skejby Sygehus", email="a@example.dk")
    ContactFactory(last_name="Berg", description="Dermatologist", email="b@example.dk")
    assert _found("skejbi") == ["Holm"]
    assert _found("dermatolgist") == ["Berg"]


def test_the_typo_words_follow_every_change_of_the_directory():
    """The word table is kept by triggers: a new name is there at once, a name no contact
    uses any more is gone, whatever wrote the rows (here bulk writes, no save())."""
    category = ContactCategoryFactory()
    Contact.objects.bulk_create(
        [
            Contact(category=category, last_name="Pedersen", email=f"{n}@example.dk")
            for n in range(3)
        ]
    )
    assert ContactWord.objects.get(word="pedersen").uses == 3
    assert _found("pedrsen") == ["Pedersen"] * 3
    Contact.objects.filter(email="0@example.dk").update(last_name="Sørensen")
    assert ContactWord.objects.get(word="pedersen").uses == 2
    assert ContactWord.objects.get(word="sorensen").uses == 1
    Contact.objects.filter(last_name="Pedersen").delete()
    assert not ContactWord.objects.filter(word="pedersen").exists()
    assert _found("pedrsen") == []
    assert _found("sørnsen") == ["Sørensen"]


def test_the_closest_match_comes_first():
    for last_name in ("Jensen-Kristiansen", "Jensen", "Jenssen", "Mogensen"):
        ContactFactory(first_name="", last_name=last_name, email=f"{len(last_name)}@x.dk")
    found = _found("jensen")
    assert found[:2] == ["Jensen", "Jensen-Kristiansen"]
    assert found.index("Jenssen") > 1
    assert "Mogensen" not in found


def test_search_covers_organisation_description_email_and_category():
    ContactFactory(last_name="Holm", organisation="Aarhus Universitetshospital")
    ContactFactory(last_name="Berg", description="Dermatologist")
    ContactFactory(last_name="Lund", email="lund@myclinic.dk")
    ContactFactory(last_name="Dahl", category=ContactCategoryFactory(name="Insurers"))
    assert _found("universitets") == ["Holm"]
    assert _found("dermatol") == ["Berg"]
    assert _found("clinic") == ["Lund"]
    assert _found("insur") == ["Dahl"]


def test_two_letters_find_word_starts():
    # Fixed e-mail addresses: a random one ("john@hotmail...") would rightly match "ho".
    ContactFactory(first_name="Ida", last_name="Holm", email="ida@example.dk")
    ContactFactory(
        first_name="Bo", last_name="Lund", description="Caseworker", email="bo@example.dk"
    )
    assert _found("ho") == ["Holm"]
    assert _found("h") == []  # one letter is not a search


def test_digits_search_phone_numbers():
    ContactFactory(last_name="Holm", email="", phone="+4586123456")
    ContactFactory(last_name="Berg", email="", mobile="+4520304050")
    assert _found("86 12 34") == ["Holm"]
    assert _found("2030") == ["Berg"]


def test_the_search_text_follows_every_edit():
    # Fixed names and address: a random "holmes@..." would rightly match "holm".
    contact = ContactFactory(first_name="Ida", last_name="Holm", email="ida@example.dk")
    contact.last_name = "Bakke"
    contact.save()
    assert _found("bakke") == ["Bakke"]
    assert _found("holm") == []


def _plan(query: str, limit: int = 20, *, discourage: tuple[str, ...] = ()) -> str:
    """EXPLAIN of the one query search() runs, with sequential scans ruled out (a test
    table is too small for the planner to choose an index on its own), and the plan
    nodes in `discourage` too."""
    with connection.cursor() as cursor:
        for node in ("seqscan", *discourage):
            cursor.execute(f"SET LOCAL enable_{node} = off")
        with CaptureQueriesContext(connection) as queries:
            Contact.objects.search(query, limit)
        assert len(queries) == 1
        cursor.execute(f"EXPLAIN {queries.captured_queries[0]['sql']}")
        return "\n".join(row[0] for row in cursor.fetchall())


def _sorted_inputs(plan: str) -> list[str]:
    """The subtree under each Sort node of an EXPLAIN, but the final ordering of the rows
    found (at most the limit: the "ranked" subquery)."""
    lines = plan.splitlines()
    subtrees = []
    for at, line in enumerate(lines):
        if line.lstrip().startswith("->  Sort"):
            depth = len(line) - len(line.lstrip())
            below = []
            for deeper in lines[at + 1 :]:
                if len(deeper) - len(deeper.lstrip()) <= depth:
                    break
                below.append(deeper)
            first_node = next(line for line in below if line.lstrip().startswith("->"))
            if not first_node.lstrip().startswith("->  Subquery Scan on ranked"):
                subtrees.append("\n".join(below))
    return subtrees


def test_name_tiers_read_their_index_in_order_without_sorting():
    """With 1,000,000 contacts, sorting every match of a common fragment is what makes a
    type-ahead slow: each word-start tier walks its b-tree in the order it shows. The
    category tier reads the first contacts of each matching category from its index
    (LIMIT per category), and sorts at most those."""
    ContactFactory.create_batch(3, last_name="Jensen")
    # Sorting three rows is cheap enough for the planner to prefer it on a test table:
    # with sorts and bitmaps discouraged, a tier can only do without if its index serves
    # its order.
    plan = _plan("je", discourage=("sort", "bitmapscan"))
    for index in ("contact_search_last", "contact_search_full", "contact_search_org"):
        assert f"Scan using {index}" in plan
    for sorted_input in _sorted_inputs(plan):
        # Never a word-start tier; at most the category tier's reads (a LIMIT per
        # category), sorted when more than one category matches.
        assert "contact_search_" not in sorted_input
        assert "contact_category_name" in sorted_input


def test_inside_fields_the_search_reads_the_trigram_index_without_sorting():
    ContactFactory(last_name="Jensen")
    plan = _plan("clinic")
    assert "contact_search_trgm" in plan
    substring_tier = plan.split("contact_search_trgm")[0].rsplit("->  Limit", 1)[1]
    assert "Sort" not in substring_tier


def test_the_typo_tier_matches_words_on_the_word_index_first():
    """The typo is looked up among the directory's words (kartotek_typo_variants, on the
    word table's trigram index), and only the corrected text among the contacts, on their
    word-start indexes: no similarity is computed per contact."""
    ContactFactory(last_name="Pedersen")
    plan = _plan("pedrsen")
    typo_tier = plan.split("Function Scan on kartotek_typo_variants")[1]
    assert "using contact_search_last" in typo_tier
    assert "similarity" not in plan and "<->" not in plan
    with connection.cursor() as cursor:
        # The function's own statement is not in the EXPLAIN above: count its index scans
        # in this transaction instead, planned afresh under the same rules.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        scans = "SELECT pg_stat_get_xact_numscans('contactword_word_trgm'::regclass)"
        cursor.execute(scans)
        before = cursor.fetchone()[0]
        assert _found("pedrsen") == ["Pedersen"]
        cursor.execute(scans)
        assert cursor.fetchone()[0] > before


def test_the_typo_tier_reads_a_bounded_number_of_rows_per_word():
    """A typo of a common name (14,000 Pedersens at 1,000,000 contacts) reads at most
    twice the shown rows per index for each correction, not every Pedersen."""
    ContactFactory.create_batch(50, last_name="Pedersen")
    with CaptureQueriesContext(connection) as queries:
        assert len(Contact.objects.search("pedrsen", 20)) == 20
    assert "LIMIT 40" in queries.captured_queries[0]["sql"]
