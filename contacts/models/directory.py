"""The contact directory: categories of professionals (doctors, insurers, caseworkers ...)
and their contacts, global for all customers, chosen onto customers' profiles.

Deleting a category takes its contacts and their links to customers with it (the guide
asks for that), after a warning that counts what goes (contacts.views.category_delete).
"""

from collections.abc import Sequence
from typing import cast

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate, Concat, Lower
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler

from config.counting import count_of
from config.phones import StoredPhoneNumberField
from config.search import Fold
from config.triggers import statement_delta_triggers
from contacts.models.words import CONTACT_WORD_TRIGGERS, TYPO_MIN_LENGTH

# Shorter fragments match too much to be useful (and trigrams need two letters).
SEARCH_MIN_LENGTH = 2
# A fragment is looked for inside fields (search_text's trigram index) from this length:
# a shorter one has no trigram, and would read the whole table.
SUBSTRING_MIN_LENGTH = 3
NAME_ORDER = ("last_name", "first_name", "id")


def _folded(*names: str) -> models.Expression:
    """A folded field (or fields, space-separated), in C collation, so a plain b-tree
    index serves both `LIKE 'prefix%'` and the ordering (see Contact.Meta.indexes)."""
    parts = [part for name in names for part in (models.F(name), models.Value(" "))][:-1]
    text = Concat(*parts, output_field=models.TextField()) if len(parts) > 1 else parts[0]
    return Collate(Fold(text), "C")


# What search() matches by word start, in rank order.
PREFIX_KEYS = (
    _folded("last_name"),
    _folded("first_name", "last_name"),
    _folded("organisation"),
    _folded("description"),
)


CATEGORY_NAME_TAKEN = "A contact category with this name already exists."


class ContactCategoryQuerySet(models.QuerySet):
    def matching(self, text: str) -> models.QuerySet:
        """The categories whose name contains, or closely resembles, `text` (their ids, in
        id order: search() reads each one's contacts from its index in that order)."""
        folded = Fold(models.Value(text))
        return (
            self.annotate(folded_name=Fold("name"))
            .filter(
                models.Q(folded_name__contains=folded)
                | models.Q(folded_name__trigram_word_similar=folded)
            )
            .order_by("id")
            .values("id")
        )


class ContactCategory(models.Model):
    name = models.CharField(max_length=100)
    created = models.DateTimeField(auto_now_add=True)
    # How many contacts the category holds, kept by triggers on the contacts table
    # (Contact.Meta.triggers) in the same transaction as every insert, move and delete,
    # so the directory page reads it instead of counting a million contacts per view.
    contact_count = models.PositiveIntegerField(default=0, editable=False)

    objects = ContactCategoryQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        verbose_name_plural = "contact categories"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="contactcategory_name_unique_ci",
                violation_error_message=CATEGORY_NAME_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.name


def _name_order(contact: "Contact") -> tuple:
    return (contact.last_name, contact.first_name, contact.pk)


def _raw_condition(sql: str, params) -> models.Q:
    return models.Q(RawSQL(sql, params, output_field=models.BooleanField()))  # noqa: S611


def _condition_sql(contacts: models.QuerySet, condition: models.Q) -> tuple[str, list]:
    """`condition` on the contacts table as SQL and parameters."""
    keyed = contacts.filter(condition)
    compiler = keyed.query.get_compiler(using=contacts.db)
    sql, params = compiler.compile(keyed.query.where)
    return sql, list(params)


def _corrected_reads(contacts: models.QuerySet) -> list[models.QuerySet]:
    """Contacts whose fields start with `variant.text`, one read per word-start index, in
    that index's order (a range on the index, so the text may come from a joined row)."""
    manager = contacts.model._default_manager
    return [
        manager.alias(key=key)
        .filter(key__gte=RawSQL("variant.text", ()))
        .filter(key__lt=RawSQL("variant.text || chr(1114111)", ()))
        .order_by("key", *NAME_ORDER)
        for key in PREFIX_KEYS
    ]


def _leading(source: str, params: Sequence, reads: list[models.QuerySet], count: int) -> RawSQL:
    """Ids of the first `count` contacts of each of `reads`, for each row of `source`
    (a LATERAL join). Each read follows its own index and stops at `count`, so a common
    word or a large category costs `count` rows, not all of its contacts; what the tier
    then sorts is at most rows of `source` x len(reads) x `count`. (`source` and the
    reads are SQL compiled here, their values passed as parameters.)"""
    sqls, all_params = [], list(params)
    for read in reads:
        sql, read_params = read.values("pk")[:count].query.sql_with_params()
        sqls.append(f"({sql})")
        all_params.extend(read_params)
    lateral = " UNION ALL ".join(sqls)
    return RawSQL(  # noqa: S611
        f"SELECT found.pk FROM {source} CROSS JOIN LATERAL ({lateral}) AS found",  # noqa: S608
        all_params,
    )


# What the user typed, while a search's SQL is compiled (never a real search text: those
# lose their NUL characters first). Replaced by the text in the parameters.
_TYPED = "\x00typed\x00"
# The compiled ranking of each shape of search (limit, which tiers), built once per
# process from the ORM: compiling a query of seven tiers cost more than running it.
_RANKINGS: dict[tuple[int, bool, bool], tuple[str, tuple]] = {}


def _ranking(limit: int, inside: bool, typos: bool) -> tuple[str, tuple]:
    """SQL (and parameters, _TYPED for the text) selecting the ids of the `limit` best
    matches, best first. See ContactQuerySet.search for the tiers."""
    contacts = Contact._default_manager.alias(
        **{f"key_{n}": key for n, key in enumerate(PREFIX_KEYS)}
    )
    prefix = Fold(models.Value(_TYPED))
    # (what the tier shows, what later tiers leave out, ordering; None: unordered)
    tiers: list[tuple[models.Q, models.Q, tuple | None]] = []
    for n in range(len(PREFIX_KEYS)):
        starts = models.Q(**{f"key_{n}__startswith": prefix})
        tiers.append((starts, starts, (f"key_{n}", *NAME_ORDER)))
    categories, params = ContactCategory.objects.matching(_TYPED).query.sql_with_params()
    in_category = _raw_condition(
        f'"contacts_contact"."category_id" = ANY(ARRAY({categories}))', params
    )
    first_of_category = Contact._default_manager.filter(
        category_id=RawSQL("category.id", ())
    ).order_by("category_id", *NAME_ORDER)
    first_in_categories = _leading(
        f"({categories}) AS category", params, [first_of_category], limit
    )
    tiers.append((models.Q(pk__in=first_in_categories), in_category, ("category_id", *NAME_ORDER)))
    if typos:
        # Twice the rows per index: the tier leaves out what earlier tiers showed
        # (fewer than `limit`, or it would not run) and still has `limit` to show.
        variants = "kartotek_typo_variants(%s) AS variant(text)"
        corrected = _leading(variants, [_TYPED], _corrected_reads(contacts), 2 * limit)
        tiers.append((models.Q(pk__in=corrected), models.Q(pk__in=corrected), NAME_ORDER))
    if inside:
        # Last: a long fragment of common trigrams ("rasmusen": "sen", "use") costs the
        # trigram index 15 ms at 1,000,000 contacts, so it runs only when the word starts
        # and their corrections leave room.
        inside_fields = models.Q(search_text__contains=prefix)
        tiers.append((inside_fields, inside_fields, None))
    parts = []
    earlier: list[tuple[str, list]] = []
    for rank, (shows, leaves_out, ordering) in enumerate(tiers):
        tier = contacts.filter(shows)
        if earlier:
            sqls = " OR ".join(sql for sql, _ in earlier)
            tier = tier.filter(
                _raw_condition(f"NOT ({sqls})", [p for _, ps in earlier for p in ps])
            )
        tier = tier.order_by(*ordering) if ordering else tier.order_by()
        parts.append(
            tier.annotate(search_tier=models.Value(rank)).values(
                "pk", "last_name", "first_name", "search_tier"
            )[:limit]
        )
        if leaves_out:
            earlier.append(_condition_sql(contacts, leaves_out))
    union, params = parts[0].union(*parts[1:], all=True).order_by()[:limit].query.sql_with_params()
    unordered = (
        ", ".join(str(rank) for rank, (*_, ordering) in enumerate(tiers) if ordering is None)
        or "-1"
    )
    # Only the `limit` rows found are put in order: tier, then the order each tier's index
    # gave (position), except the unordered tier, shown in name order.
    return (
        "SELECT ranked.pk, row_number() OVER (ORDER BY ranked.search_tier, "  # noqa: S608
        f"CASE WHEN ranked.search_tier IN ({unordered}) THEN ranked.last_name END, "
        f"CASE WHEN ranked.search_tier IN ({unordered}) THEN ranked.first_name END, "
        f"CASE WHEN ranked.search_tier IN ({unordered}) THEN ranked.pk END, "
        "ranked.position) AS place "
        "FROM (SELECT found.*, row_number() OVER () AS position "
        f"FROM ({union}) AS found(pk, last_name, first_name, search_tier)) AS ranked",
        tuple(params),
    )


class _RankedCompiler(SQLCompiler):
    """Puts the query's ranking before it, as `ranked` (pk, place): computed once, however
    often the query refers to it."""

    query: "_RankedQuery"

    def as_sql(self, *args, **kwargs):
        sql, params = super().as_sql(*args, **kwargs)
        ranking, ranking_params = self.query.ranking
        return f"WITH ranked AS MATERIALIZED ({ranking}) {sql}", (*ranking_params, *params)


class _RankedQuery(Query):
    """A query of contacts that may read `ranked` (see ContactQuerySet.search)."""

    ranking: tuple[str, list] = ("", [])

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        if using:
            connection = connections[using]
        return _RankedCompiler(self, connection, using, elide_empty)


class ContactQuerySet(models.QuerySet["Contact"]):
    def search(self, text: str, limit: int) -> list["Contact"]:
        """The `limit` contacts that best match `text`, best first, in one query.

        Case and accents never matter ("sorensen" finds "Sørensen"). Ranked in tiers:
        last name starts with the text, then "first last" name, organisation,
        description, category name, each in name order and read in that order from its
        own index, so no tier sorts its matches and a fragment as common as "je" costs
        the same as a rare one. Then typos: the text with a word of five letters or
        more replaced by a directory word one edit away ("Pedrsen" -> Pedersen,
        contacts.models.words), searched on the word-start indexes again. Last, the text
        inside any searched field (a word inside an organisation, an e-mail fragment),
        from the trigram index without ordering (any `limit` of them, shown in name
        order). Digits alone search phone numbers. (Measured in bench/directory.py.)

        The tiers are one UNION ALL under the LIMIT: PostgreSQL runs them in order and
        stops as soon as it has `limit` rows, so a later tier costs nothing when the
        earlier ones fill the list. Each tier leaves out what an earlier one matches, so
        every contact comes once, from its best tier. The ranking is the statement's
        materialized WITH (`ranked`: id, place), run once; the ids found then select
        this queryset's rows (with its select_related and annotations). The ranking's SQL
        is compiled once per shape (_ranking).
        """
        text = text.replace("\x00", "").strip()
        if len(text) < SEARCH_MIN_LENGTH:
            return []
        if not any(c.isalpha() for c in text):
            digits = "".join(c for c in text if "0" <= c <= "9")
            if len(digits) < 3:
                return []
            # Any `limit` matches the trigram index yields, not all of them sorted.
            by_digits = self.filter(search_text__contains=digits).order_by()[:limit]
            return sorted(by_digits, key=_name_order)
        shape = (
            limit,
            len(text) >= SUBSTRING_MIN_LENGTH,
            any(len(word) >= TYPO_MIN_LENGTH for word in text.split()),
        )
        if shape not in _RANKINGS:
            _RANKINGS[shape] = _ranking(*shape)
        ranking, compiled = _RANKINGS[shape]
        found = (
            self.filter(_raw_condition('"contacts_contact"."id" IN (SELECT pk FROM ranked)', ()))
            .annotate(
                search_position=RawSQL(
                    'SELECT place FROM ranked WHERE ranked.pk = "contacts_contact"."id"',
                    (),
                    output_field=models.IntegerField(),
                )
            )
            .order_by()
        )
        ranked = found.query
        ranked.__class__ = _RankedQuery
        cast(_RankedQuery, ranked).ranking = (
            ranking,
            [text if p == _TYPED else p for p in compiled],
        )
        return sorted(found, key=lambda contact: contact.search_position)  # type: ignore[attr-defined]  # annotated above

    def with_customer_count(self) -> "ContactQuerySet":
        """Annotate `customer_count`: on how many customers' profiles each contact is.
        A subquery rather than a join and GROUP BY, so a ranked, sliced search counts
        for the rows it returns only."""
        return self.annotate(customer_count=count_of(CustomerContact.objects, "contact"))

    def possible_duplicates(self, contact: "Contact") -> "ContactQuerySet":
        """Other contacts with a similar name and the same email or phone number."""
        same_reach = models.Q()
        if contact.email:
            same_reach |= models.Q(email__iexact=contact.email)
        for number in filter(None, (contact.phone, contact.mobile)):
            same_reach |= models.Q(phone=number) | models.Q(mobile=number)
        if not same_reach:
            return self.none()
        name = f"{contact.first_name} {contact.last_name}".strip()
        full_name = Concat("first_name", models.Value(" "), "last_name")
        return (
            self.filter(same_reach)
            .exclude(pk=contact.pk)
            .annotate(name_similarity=TrigramSimilarity(full_name, name))
            .filter(name_similarity__gte=DUPLICATE_NAME_SIMILARITY)
            .select_related("category")
        )


SEARCHED_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "organisation",
    "description",
    "email",
    "phone",
    "mobile",
)

# The rule's words, for the constraint and for the form that shows it at the fields.
NO_EMAIL_OR_PHONE = "Enter an email address or a phone number."

# How alike two names must be (pg_trgm similarity, 0-1) to call contacts possible
# duplicates: "Ida Holm" and "Ida Holm-Berg" are, "Ida Holm" and "Bo Berg" are not.
DUPLICATE_NAME_SIMILARITY = 0.45


def _add_to_categories(delta: str, *, removes: bool) -> str:
    """Add the (category_id, n) rows of `delta` to the categories' contact_count."""
    return (
        "UPDATE contacts_contactcategory AS category "  # noqa: S608
        "SET contact_count = category.contact_count + delta.n "
        f"FROM ({delta}) AS delta WHERE category.id = delta.category_id AND delta.n <> 0; "
        "RETURN NULL;"
    )


def _per_category(rows: str, sign: str = "") -> str:
    return f"SELECT category_id, {sign}count(*) AS n FROM {rows} GROUP BY category_id"  # noqa: S608


# ContactCategory.contact_count, kept per statement (transition tables), so a bulk import
# or a category's cascade updates each category once. Deleting a category deletes its
# contacts first (Django's cascade), which updates the row about to go.
CATEGORY_COUNT_TRIGGERS = statement_delta_triggers(
    "category_count", key="category_id", rows_delta=_per_category, apply=_add_to_categories
)


class Contact(models.Model):
    category = models.ForeignKey(ContactCategory, on_delete=models.CASCADE, related_name="contacts")
    title = models.CharField(max_length=40, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField("last name or organisation name", max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    description = models.CharField(
        "description",
        max_length=200,
        blank=True,
        help_text="Position or specialty, e.g. GP, Dermatologist, Caseworker.",
    )
    email = models.EmailField(blank=True)
    # Read without the parser: the type-ahead reads 20 contacts a keystroke.
    phone = StoredPhoneNumberField(blank=True)
    mobile = StoredPhoneNumberField("mobile phone", blank=True)
    address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # What search() matches: the searchable fields, lower case without accents, kept by
    # the database (never out of date) and indexed for trigram search.
    search_text = models.GeneratedField(
        expression=Fold(
            Concat(
                *(part for name in SEARCHED_FIELDS for part in (models.F(name), models.Value(" "))),
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        # New contacts appear at the bottom of their category.
        ordering = ["created", "id"]
        indexes = [
            # search(): one b-tree per word-start tier, in the tier's order ...
            *(
                models.Index(key, *NAME_ORDER, name=f"contact_search_{name}")
                for name, key in zip(("last", "full", "org", "desc"), PREFIX_KEYS, strict=True)
            ),
            models.Index("category", *NAME_ORDER, name="contact_category_name"),
            # The category page lists its contacts in this order, a page at a time from a
            # row (config.pagination): one range of this index, however deep the page.
            models.Index(fields=["category", "created", "id"], name="contact_category_created"),
            # ... and trigrams for typos, words inside fields, email and phone fragments.
            GinIndex(
                fields=["search_text"], name="contact_search_trgm", opclasses=["gin_trgm_ops"]
            ),
        ]
        triggers = [*CATEGORY_COUNT_TRIGGERS, *CONTACT_WORD_TRIGGERS]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="") | ~models.Q(phone="") | ~models.Q(mobile=""),
                name="contact_has_email_or_phone",
                violation_error_message=NO_EMAIL_OR_PHONE,
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)


class CustomerContact(models.Model):
    """A directory contact chosen onto a customer's profile."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="directory_links"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="customer_links")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "contact"], name="customercontact_once_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} for customer {self.customer_id}"
