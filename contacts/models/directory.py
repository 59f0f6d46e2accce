"""The contact directory: categories of professionals (doctors, insurers, caseworkers ...)
and their contacts, global for all customers, chosen onto customers' profiles.

Deleting a category takes its contacts and their links to customers with it (the guide
asks for that), after a warning that counts what goes (contacts.views.category_delete).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordDistance
from django.db import models
from django.db.models.functions import Collate, Concat, Lower
from phonenumber_field.modelfields import PhoneNumberField

from config.counting import count_of
from config.search import Fold

# Shorter fragments match too much to be useful (and trigrams need two letters).
SEARCH_MIN_LENGTH = 2
# How many trigram matches search() ranks at most when names, organisations ...
# do not start with the text: enough for every fuzzy match in a real directory, and a
# bound on the work when a word is common.
FUZZY_SAMPLE = 500
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
    def with_contact_count(self) -> "ContactCategoryQuerySet":
        """Annotate `contact_count`. A count per category, read from the category index
        alone (an index-only scan), not a join and GROUP BY over every contact: about
        5 times faster with 1,000,000 contacts (bench/directory.py)."""
        return self.annotate(contact_count=count_of(Contact.objects, "category"))

    def matching(self, text: str) -> list[int]:
        """Ids of the categories whose name contains, or closely resembles, `text`."""
        folded = Fold(models.Value(text))
        return list(
            self.annotate(folded_name=Fold("name"))
            .filter(
                models.Q(folded_name__contains=folded)
                | models.Q(folded_name__trigram_word_similar=folded)
            )
            .values_list("id", flat=True)
        )


class ContactCategory(models.Model):
    name = models.CharField(max_length=100)
    created = models.DateTimeField(auto_now_add=True)

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


class ContactQuerySet(models.QuerySet):
    def search(self, text: str, limit: int) -> list["Contact"]:
        """The `limit` contacts that best match `text`, best first.

        Case and accents never matter ("sorensen" finds "Sørensen"). Ranked in tiers:
        last name starts with the text, then "first last" name, organisation,
        description, category name; each tier in name order, read in that order
        from its own index, so no tier sorts its matches and a fragment as common as
        "je" costs the same as a rare one. Only when these give fewer than `limit`,
        the rest come from trigram word similarity over every searched field (a typo,
        "Jenssen" for "Jensen"; a word inside a field; an email fragment), best first.
        Digits alone search phone numbers. (Measured in bench/directory.py.)
        """
        text = text.replace("\x00", "").strip()
        if len(text) < SEARCH_MIN_LENGTH:
            return []
        found: list[Contact] = []

        def take(tier: "ContactQuerySet") -> None:
            if len(found) < limit:
                tier = tier.exclude(pk__in=[contact.pk for contact in found])
                found.extend(tier[: limit - len(found)])

        digits = "".join(c for c in text if "0" <= c <= "9")
        if not any(c.isalpha() for c in text):
            if len(digits) >= 3:
                take(self.filter(search_text__contains=digits).order_by(*NAME_ORDER))
            return found
        prefix = Fold(models.Value(text))
        for key in PREFIX_KEYS:
            take(self.alias(key=key).filter(key__startswith=prefix).order_by("key", *NAME_ORDER))
        categories = len(found) < limit and ContactCategory.objects.matching(text)
        if categories:
            take(self.filter(category_id__in=categories).order_by("category_id", *NAME_ORDER))
        # Typos and words inside fields: the trigram index finds the candidates; ranking
        # a bounded sample of them keeps a common word from sorting thousands of rows.
        similar = self.filter(search_text__trigram_word_similar=prefix)
        # Unordered (no Meta.ordering): any FUZZY_SAMPLE candidates, not the first ones by
        # creation, which sorted every candidate before the LIMIT.
        sample = (
            similar.exclude(pk__in=[c.pk for c in found]).order_by().values("pk")[:FUZZY_SAMPLE]
        )
        take(
            self.filter(pk__in=models.Subquery(sample))
            .alias(distance=TrigramWordDistance(prefix, "search_text"))
            .order_by("distance", *NAME_ORDER)
        )
        return found

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
    phone = PhoneNumberField(blank=True)
    mobile = PhoneNumberField("mobile phone", blank=True)
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
