"""The log of customer exports: who downloaded how many customers, when, with which search."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CustomerExport(models.Model):
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField()
    # The list's search the export was made from ("" for all customers); a social security
    # number only masked, with its blind index beside it (never the digits).
    query = models.CharField(max_length=200, blank=True)
    ssn_index = models.BinaryField(null=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.user} exported {self.rows} customers on {self.at:%Y-%m-%d %H:%M}"
