"""GDPR erasure requests (Art. 17): what was erased, what was kept, why, and until when.

A request names its subject by id only (a customer's or a contact person's UUID), with no
constraint: it outlives its subject and must hold no personal data of it. The reason and
the summary (counts per kind of data, keys from privacy.erasure.LABELS) are about the
erasure, never about the person.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from privacy.models.export import SubjectKind


class ErasureRequestQuerySet(models.QuerySet):
    def for_customer(self, customer_id) -> "ErasureRequestQuerySet":
        """The requests about a customer and about their contact persons, newest first."""
        return self.filter(customer_id=customer_id).select_related("recorded_by")

    def awaiting_purge(self) -> "ErasureRequestQuerySet":
        """Erased customers whose records are kept and not purged yet, the earliest due first."""
        return self.filter(records_kept_until__isnull=False, purged_at__isnull=True).order_by(
            "records_kept_until", "id"
        )


class ErasureRequest(models.Model):
    """One request to erase a customer or a contact person, and what came of it.

    A customer without records is deleted at once (records_kept_until stays empty). A
    customer with records keeps only their identity with the records until
    records_kept_until has passed; then manage.py purge_records deletes the records and the
    customer and sets purged_at.
    """

    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    subject_id = models.UUIDField()
    # The customer the subject belongs to (the customer itself, or the person's customer),
    # so the customer's Privacy tab lists both kinds. No foreign key: it may be deleted.
    customer_id = models.UUIDField()
    received = models.DateField("request received")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(
        "why records are kept",
        blank=True,
        help_text="The legal ground for keeping the clinical records. Do not write the "
        "person's name or other personal data here.",
    )
    erased_at = models.DateTimeField(default=timezone.now)
    records_kept_until = models.DateField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    # {"erased": {"contact_persons": 2, ...}, "purged": {"records": 1, ...}}: counts only.
    summary = models.JSONField(default=dict, blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-erased_at", "-id"]
        verbose_name = "GDPR erasure request"
        # Requests are made on the customer's Privacy tab, where the rules apply; the
        # admin only shows them.
        default_permissions = ("add", "view")
        indexes = [models.Index(fields=["customer_id", "-erased_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(records_kept_until__isnull=True) | ~models.Q(reason=""),
                name="erasurerequest_kept_records_have_a_reason",
                violation_error_message="Say why the clinical records are kept.",
            ),
            models.CheckConstraint(
                condition=models.Q(subject_kind=SubjectKind.CUSTOMER)
                | models.Q(records_kept_until__isnull=True),
                name="erasurerequest_only_customers_keep_records",
            ),
            models.CheckConstraint(
                condition=models.Q(purged_at__isnull=True)
                | models.Q(records_kept_until__isnull=False),
                name="erasurerequest_purges_only_kept_records",
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure of {self.get_subject_kind_display().lower()} {self.subject_id}"

    def clean(self) -> None:
        errors = {}
        if self.records_kept_until is not None and not self.reason.strip():
            errors["reason"] = "Say why the clinical records are kept."
        if self.received and self.received > timezone.localdate(self.erased_at):
            errors["received"] = "The request cannot have been received after today."
        if errors:
            raise ValidationError(errors)

    @property
    def state(self) -> str:
        """Where the request stands, in words for the Privacy tab."""
        if self.records_kept_until is None:
            return "Erased"
        if self.purged_at is not None:
            return f"Records purged on {date_format(timezone.localtime(self.purged_at))}"
        return f"Erased; records kept until {date_format(self.records_kept_until)}"
