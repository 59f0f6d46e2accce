"""Searching the directory: case- and accent-insensitive, typo-tolerant, best first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact
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


def test_a_typo_still_finds_the_contact():
    ContactFactory(first_name="Ida", last_name="Jensen")
    ContactFactory(first_name="Bo", last_name="Holm")
    assert _found("Jenssen") == ["Jensen"]
    assert _found("Jnesen") == []  # two letters swapped is too far


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


def _plans(query: str) -> list[str]:
    """EXPLAIN of every query search() runs, with sequential scans ruled out (a test
    table is too small for the planner to choose an index on its own)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        with CaptureQueriesContext(connection) as queries:
            Contact.objects.search(query, 20)
        plans = []
        for executed in queries.captured_queries:
            cursor.execute(f"EXPLAIN {executed['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_name_tiers_read_their_index_in_order_without_sorting():
    """With 1,000,000 contacts, sorting every match of a common fragment is what makes a
    type-ahead slow: each word-start tier walks its b-tree in the order it shows."""
    ContactFactory.create_batch(3, last_name="Jensen")
    plans = _plans("je")
    tiers = ("contact_search_last", "contact_search_full", "contact_search_org")
    for index, plan in zip(tiers, plans, strict=False):
        assert f"Index Scan using {index}" in plan
        assert "Sort" not in plan


def test_fuzzy_matches_come_from_the_trigram_index():
    ContactFactory(last_name="Jensen")
    assert "contact_search_trgm" in _plans("jenssen")[-1]


def test_the_typo_tier_samples_its_candidates_without_sorting_them():
    """The sample of trigram candidates is taken as the index yields them: ordered by
    creation (Meta.ordering), PostgreSQL sorted every candidate (14,000 for a common word at
    1,000,000 contacts) before keeping 500. Only the 500 are ranked."""
    ContactFactory(last_name="Jensen")
    with CaptureQueriesContext(connection) as queries:
        Contact.objects.search("jenssen", 20)
    typo_tier = queries.captured_queries[-1]["sql"]
    assert "LIMIT 500" in typo_tier
    assert typo_tier.count("ORDER BY") == 1, typo_tier  # the ranking of the sample alone
