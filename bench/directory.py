"""Benchmark the contact directory's type-ahead over 1,000,000 contacts in 50 categories.

    .venv/bin/python bench/directory.py [--contacts 1000000] [--runs 30] [--generate-only]

Generates the directory once (one INSERT ... SELECT in the database, then the trigram
index is built; the triggers fill the word table and the category counts) into a database
of its own per size, `kartotek_bench_contacts_<n>`, kept between runs. Then, for 2-, 3-
and 5-letter fragments and for typos, it measures the type-ahead a user sees on a
customer's Contacts tab (the htmx request through Django's test client: median and p95
server time, SQL queries), search() alone, and, in the same run on the same data, the raw
limit of each tier in plain SQL: the word-start prefix read on its index, the substring
read on the trigram index without ORDER BY, and the word table's similarity lookup. It
prints the type-ahead's ratio to each. Last, the staff directory's pages.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import measure_page, percentiles, timings, use_bench_database  # noqa: E402

CATEGORIES = 50
RESULTS = 20  # what the type-ahead shows (contacts.views.CHOICES_SHOWN)

FIRST_NAMES = [
    "Anna",
    "Lars",
    "Sofie",
    "Mikkel",
    "Ida",
    "Rasmus",
    "Freja",
    "Emil",
    "Laura",
    "Oliver",
    "Clara",
    "Noah",
    "Karen",
    "Jens",
    "Søren",
    "Mette",
    "Anders",
    "Hanne",
    "Peter",
    "Birgitte",
    "Henrik",
    "Lone",
    "Morten",
    "Susanne",
    "Jørgen",
    "Kirsten",
    "Niels",
    "Bente",
    "Thomas",
    "Helle",
    "Ole",
    "Pia",
    "Christian",
    "Lene",
    "Martin",
    "Tina",
    "Jesper",
    "Camilla",
    "Bo",
    "Maja",
    "Kasper",
    "Line",
    "Rune",
]
LAST_NAMES = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Knudsen",
    "Jakobsen",
    "Mikkelsen",
    "Olesen",
    "Frederiksen",
    "Laursen",
    "Henriksen",
    "Lund",
    "Schmidt",
    "Eriksen",
    "Holm",
    "Kristiansen",
    "Clausen",
    "Simonsen",
    "Svendsen",
    "Andreasen",
    "Iversen",
    "Østergaard",
    "Jeppesen",
    "Vestergaard",
    "Nissen",
    "Lauridsen",
    "Kjær",
    "Jepsen",
    "Mogensen",
    "Nørgaard",
    "Jessen",
    "Søndergaard",
    "Bertelsen",
    "Dahl",
    "Bach",
]
# Composite surnames give the long tail of rarer names a real directory has.
NAME_STARTS = [
    "Ager",
    "Bjerg",
    "Dal",
    "Eng",
    "Fisk",
    "Grøn",
    "Hol",
    "Kjær",
    "Lind",
    "Mølle",
    "Ove",
    "Ring",
    "Skov",
    "Thor",
    "Vest",
    "Øster",
]
NAME_ENDS = ["gaard", "berg", "holm", "strup", "mann", "toft", "bæk", "lund", "dal", "sgaard"]
SPECIALTIES = [
    "GP",
    "Dermatologist",
    "Caseworker",
    "Psychiatrist",
    "Psychologist",
    "Physiotherapist",
    "Occupational therapist",
    "Speech therapist",
    "Dentist",
    "Orthopaedic surgeon",
    "Neurologist",
    "Paediatrician",
    "Cardiologist",
    "Insurance officer",
    "Claims handler",
    "School nurse",
    "Health visitor",
    "Social worker",
    "Pharmacist",
    "Chiropractor",
    "Dietitian",
    "Midwife",
    "Ophthalmologist",
    "Rheumatologist",
    "Lawyer",
]
ORGANISATION_KINDS = ["Lægehus", "Hospital", "Kommune", "Forsikring", "Klinik", "Center"]
CITIES = [
    "Aarhus",
    "København",
    "Odense",
    "Aalborg",
    "Esbjerg",
    "Randers",
    "Kolding",
    "Horsens",
    "Vejle",
    "Roskilde",
]
CATEGORY_NAMES = [
    "General practitioners",
    "Dermatologists",
    "Caseworkers",
    "Insurers",
    "Psychiatrists",
    "Psychologists",
    "Physiotherapists",
    "Schools",
    "Dentists",
    "Hospitals",
] + [f"Network {n}" for n in range(11, CATEGORIES + 1)]

# 2-, 3- and 5-letter fragments as staff type them (word starts of common and rarer
# names, specialties, organisations and cities), then typos of one edit.
FRAGMENTS = {
    "2 letters": ["je", "ha", "mø", "kj"],
    "3 letters": ["jen", "sør", "der", "hos"],
    "5 letters": ["jense", "sørne", "derma", "aarhu"],
    "typos": ["pedrsen", "jenssen", "rasmusen", "sørnsen", "jens pedrsen"],
}


def _sql_array(words: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + word.replace("'", "''") + "'" for word in words) + "]"


def _generate(count: int) -> None:
    from contacts.models import Contact, ContactCategory

    have = Contact.objects.count()
    if have >= count:
        return
    print(f"generating {count - have} contacts ...", flush=True)
    started = time.perf_counter()
    for name in CATEGORY_NAMES:
        ContactCategory.objects.get_or_create(name=name)
    index = next(i for i in Contact._meta.indexes if i.name == "contact_search_trgm")
    with connection.cursor() as cursor:  # built once after the load: much faster
        cursor.execute(f"DROP INDEX IF EXISTS {index.name}")
    pick = "({array})[1 + floor(random() * array_length({array}, 1))::int]"
    first, last = (
        pick.format(array=_sql_array(FIRST_NAMES)),
        pick.format(array=_sql_array(LAST_NAMES)),
    )
    composite = (
        pick.format(array=_sql_array(NAME_STARTS))
        + " || "
        + pick.format(array=_sql_array(NAME_ENDS))
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            f"""
            INSERT INTO contacts_contact (category_id, title, first_name, last_name,
                organisation, description, email, phone, mobile, address, postal_code, city,
                notes, created, updated)
            SELECT category.id, CASE WHEN i %% 9 = 0 THEN 'Dr' ELSE '' END, names.first,
                names.last, CASE WHEN i %% 3 = 0 THEN
                    {pick.format(array=_sql_array(CITIES))} || ' '
                    || {pick.format(array=_sql_array(ORGANISATION_KINDS))} ELSE '' END,
                {pick.format(array=_sql_array(SPECIALTIES))},
                lower(translate(names.first || '.' || names.last, 'æøåÆØÅ', 'aoaAOA'))
                    || i || '@example.dk',
                '+45' || (20000000 + i), CASE WHEN i %% 4 = 0 THEN '+45' || (50000000 + i)
                    ELSE '' END,
                'Vestergade ' || (1 + i %% 120), '8000', 'Aarhus', '', now(), now()
            FROM generate_series(%s, %s) AS i
            CROSS JOIN LATERAL (
                SELECT {first} AS first,
                    CASE WHEN random() < 0.7 THEN {last} ELSE {composite} END AS last,
                    i AS n
            ) AS names
            JOIN contacts_contactcategory AS category
                ON category.name = ({_sql_array(CATEGORY_NAMES)})[1 + i %% {CATEGORIES}]
            """,
            [have + 1, count],
        )
    print(f"inserted in {time.perf_counter() - started:.0f} s; building the index ...", flush=True)
    with connection.schema_editor() as editor:
        editor.add_index(Contact, index)
    with connection.cursor() as cursor:
        # As autovacuum would: statistics, and the visibility map index-only scans need.
        cursor.execute("VACUUM ANALYZE contacts_contact")
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)


# The raw limit of each tier, without Django, on the same data: what PostgreSQL alone
# needs for the read each tier makes.
RAW_TIERS = {
    # a word-start tier: a range on its b-tree, in its order, stopping at the LIMIT
    "prefix": """
        SELECT id, last_name, first_name FROM contacts_contact
        WHERE kartotek_fold(last_name) COLLATE "C" LIKE kartotek_fold(%s) || '%%'
        ORDER BY kartotek_fold(last_name) COLLATE "C", last_name, first_name, id LIMIT %s
    """,
    # the inside-a-field tier: the trigram index, no ORDER BY
    "substring": """
        SELECT id, last_name, first_name FROM contacts_contact
        WHERE search_text LIKE '%%' || kartotek_fold(%s) || '%%' LIMIT %s
    """,
    # the typo tier's first step: the word table's trigram index (threshold 0.15, as in
    # kartotek_typo_variants), for the longest typed word
    "words": """
        SELECT word FROM contacts_contactword WHERE word %% kartotek_fold(%s)
        ORDER BY similarity(word, kartotek_fold(%s)) DESC LIMIT %s
    """,
}


def _raw(tier: str, fragment: str) -> None:
    word = max(fragment.split(), key=len)
    params = [word, word, 3] if tier == "words" else [fragment, RESULTS]
    with connection.cursor() as cursor:
        cursor.execute(RAW_TIERS[tier], params)
        cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--generate-only", action="store_true")
    arguments = parser.parse_args()

    # One database per size, so 1k, 100k and 1M are each generated once and kept.
    use_bench_database(f"kartotek_bench_contacts_{arguments.contacts}")
    _generate(arguments.contacts)
    if arguments.generate_only:
        return

    from accounts.models import User
    from customers.models import Customer, CustomerSettings

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    customer = Customer.objects.order_by("number").first() or Customer.objects.create(
        number=10**9, first_name="Bench", last_name="Customer"
    )
    CustomerSettings.objects.update_or_create(id=1, defaults={"show_contacts": True})
    client = Client()
    client.force_login(admin)
    type_ahead = f"/contacts/customer/{customer.id}/choose/"

    from contacts.models import Contact, ContactWord

    with connection.cursor() as cursor:
        cursor.execute("SET pg_trgm.similarity_threshold = 0.15")
    words = ContactWord.objects.count()
    print(
        f"\n{arguments.contacts:,} contacts in {CATEGORIES} categories, {words:,} words; "
        f"{arguments.runs} runs each; milliseconds, median/p95"
    )
    print(
        f"{'fragment':<15}{'type-ahead':>13}{'q':>3}{'search()':>13}"
        f"{'raw prefix':>13}{'raw substr':>13}{'raw words':>13}"
        f"{'÷prefix':>9}{'÷substr':>9}{'÷words':>8}{'hits':>5}"
    )

    def cell(measured: list[float]) -> str:
        median, p95 = percentiles(measured)
        return f"{median:>7.1f}/{p95:<5.1f}"

    everything: list[float] = []
    for group, fragments in FRAGMENTS.items():
        group_page: list[float] = []
        group_raw: dict[str, list[float]] = {tier: [] for tier in RAW_TIERS}
        for fragment in fragments:

            def fetch(fragment=fragment):
                response = client.get(type_ahead, {"q": fragment}, headers={"HX-Request": "true"})
                if response.status_code != 200:
                    raise SystemExit(f"type-ahead for {fragment!r} answered {response.status_code}")
                return response

            page = timings(fetch, arguments.runs)
            search = timings(
                lambda fragment=fragment: Contact.objects.select_related("category").search(
                    fragment, RESULTS
                ),
                arguments.runs,
            )
            raw = {
                tier: timings(
                    lambda tier=tier, fragment=fragment: _raw(tier, fragment), arguments.runs
                )
                for tier in RAW_TIERS
            }
            with CaptureQueriesContext(connection) as queries:
                hits = fetch().content.decode().count('name="contact"')
            group_page += page
            everything += page
            for tier, measured in raw.items():
                group_raw[tier] += measured
            page_median = percentiles(page)[0]
            ratios = "".join(
                f"{page_median / percentiles(raw[tier])[0]:>{width}.1f}"
                for tier, width in zip(RAW_TIERS, (9, 9, 8), strict=True)
            )
            print(
                f"{fragment!r:<15}{cell(page)}{len(queries):>3}{cell(search)}"
                + "".join(cell(raw[tier]) for tier in RAW_TIERS)
                + f"{ratios}{hits:>5}"
            )
        page_median = percentiles(group_page)[0]
        ratios = "".join(
            f"{page_median / percentiles(group_raw[tier])[0]:>{width}.1f}"
            for tier, width in zip(RAW_TIERS, (9, 9, 8), strict=True)
        )
        print(
            f"{group:<15}{cell(group_page)}{'':>3}{'':>13}"
            + "".join(cell(group_raw[tier]) for tier in RAW_TIERS)
            + f"{ratios}\n"
        )
    print(f"{'every fragment':<15}{cell(everything)}  (goal at 1M: 15 ms median, 30 ms p95)\n")

    print(f"{'staff page':<32}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    for name, url in [
        ("directory search 'jensen'", "/contacts/?q=jensen"),
        ("directory search 'caseworker'", "/contacts/?q=caseworker"),
        ("directory with category counts", "/contacts/"),
    ]:
        median, p95, queries = measure_page(client, url, arguments.runs)
        print(f"{name:<32}{median:>11.1f}{p95:>9.1f}{queries:>9}")


if __name__ == "__main__":
    main()
