"""Debtors (who pays) and their groups. The debtors issue builds the rest of this app."""

from django.db import models
from django.db.models.functions import Lower


class DebtorGroup(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="debtorgroup_name_unique_ci",
                violation_error_message="A debtor group with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.name
