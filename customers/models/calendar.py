"""Therapists' calendars. The therapists issue adds reservations and their management."""

from django.conf import settings
from django.db import models


class Calendar(models.Model):
    """One therapist's calendar; customers' primary/secondary therapists are chosen from these."""

    name = models.CharField(max_length=100)
    therapist = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="calendar",
        null=True,
        blank=True,
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
