"""Customers (a clinic's clients or patients) and the groups they are kept in."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper


class CustomerGroup(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CustomerQuerySet(models.QuerySet):
    def search(self, text: str) -> "CustomerQuerySet":
        """Customers whose name, company, number, email or phone contain `text`.

        `icontains` emits UPPER(column) LIKE UPPER(%text%), which the trigram indexes on
        UPPER(column) in Customer.Meta serve.
        """
        text = text.strip()
        if not text:
            return self
        matches = models.Q()
        for field in ("first_name", "last_name", "company_name", "email", "phone"):
            matches |= models.Q(**{f"{field}__icontains": text})
        if text.isdigit():
            matches |= models.Q(number=int(text))
        return self.filter(matches)

    def for_list(self) -> "CustomerQuerySet":
        return self.select_related("group")


class Customer(models.Model):
    class Kind(models.TextChoices):
        PRIVATE = "private", "Private"
        BUSINESS = "business", "Business"

    number = models.PositiveBigIntegerField("customer number", unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRIVATE)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    company_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    group = models.ForeignKey(
        CustomerGroup, on_delete=models.PROTECT, related_name="customers", null=True, blank=True
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "company_name", "number"]
        indexes = [
            GinIndex(
                OpClass(Upper(field), name="gin_trgm_ops"),
                name=f"customer_{field}_trgm",
            )
            for field in ("first_name", "last_name", "company_name", "email")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    @property
    def name(self) -> str:
        if self.kind == self.Kind.BUSINESS:
            return self.company_name
        return f"{self.first_name} {self.last_name}".strip()
