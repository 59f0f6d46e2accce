"""The log of GDPR access exports (Art. 15/20): who exported whose data, when and why."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SubjectKind(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PERSON = "person", "Contact person"


class SubjectExport(models.Model):
    """One export of everything held about a customer or a contact person.

    It names its subject by id only, with no constraint: the log outlives an erasure and
    holds no personal data of the subject itself.
    """

    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    subject_id = models.UUIDField()
    reason = models.CharField(
        max_length=200, help_text="Why the data is exported, e.g. the request it answers."
    )
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "GDPR export"
        verbose_name_plural = "GDPR export log"
        default_permissions = ("add", "view")
        indexes = [models.Index(fields=["subject_kind", "subject_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.by} exported {self.subject_kind} {self.subject_id}"
