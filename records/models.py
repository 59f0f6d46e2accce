"""Records (journals) of a customer and their entries, encrypted at rest.

Titles and bodies are stored only as AES-GCM tokens (config.crypto) bound to their row and
column: `entry.body` decrypts, `entry.seal(...)` encrypts. `key_id` names the key of the
ring that sealed a row, so re-encryption under a new key (manage.py reencrypt_records)
finds the rows still under an old one, and can stop and resume anywhere.

Clinical rows PROTECT what they hang on: a customer with records, or a user who wrote
entries, cannot be deleted by a cascade.

RecordAccess is the access log: one row per view, write, print or export of a record. It
is append-only (a trigger refuses UPDATE and DELETE), chained with a keyed MAC
(records.audit) and outlives what it names: its references carry no foreign-key
constraint, so deleting an entry keeps the log of it.
"""

import logging
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy

from config import crypto
from config.counting import count_of

logger = logging.getLogger(__name__)


class RecordGroup(models.Model):
    """A named template for entries ("Initial assessment", "Treatment note")."""

    name = models.CharField(max_length=100)
    # Sanitised HTML (tables allowed) when rich_text, else plain text. Rich or not is
    # decided by the Editor setting when the template is written, and kept with it.
    template = models.TextField(blank=True)
    rich_text = models.BooleanField(default=False, editable=False)
    is_active = models.BooleanField(
        "active", default=True, help_text="Only active groups are offered for new entries."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="recordgroup_name_unique_ci",
                violation_error_message="A record group with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SealedText:
    """`title = SealedText()`: reading `record.title` decrypts `title_encrypted`."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        return self if instance is None else instance._open(self.name)


class Sealed(models.Model):
    """Text fields kept as tokens `<field>_encrypted`, bound to this row's table and id."""

    SEALED_FIELDS: tuple[str, ...] = ()
    # What a page shows in place of the title of a row that cannot be opened.
    UNREADABLE_TITLE = gettext_lazy("This item cannot be opened")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The key that sealed this row's fields (re-encryption looks for old ones). Not
    # indexed, so that re-encrypting a row (a new key_id) can be a HOT update, which writes
    # no index; re-encryption finds the old ones with a sweep of the table (migration 0008).
    key_id = models.CharField(max_length=32, editable=False)

    class Meta:
        abstract = True

    def opened(self) -> dict[str, str]:
        """Every sealed field in clear (raises crypto.DecryptionError when one cannot be)."""
        return {field: self._open(field) for field in self.SEALED_FIELDS}

    def readable(self) -> dict[str, str] | None:
        """Every sealed field in clear, or None when one cannot be opened (a ciphertext
        copied from another row, a key that is gone). Refuse loudly, never show: the page
        says the item cannot be opened and the rest of it works, while an error naming the
        row goes to the log, which is how the clinic's administrator is told. Opened, and
        logged, once per instance."""
        if not hasattr(self, "_readable"):
            try:
                self._readable: dict[str, str] | None = self.opened()
            except crypto.DecryptionError as error:
                logger.error("%s %s cannot be decrypted: %s", self._meta.label, self.pk, error)
                self._readable = None
        return self._readable

    @property
    def shown_title(self) -> str:
        """The title in clear, or words saying it cannot be opened (see readable)."""
        text = self.readable()
        return str(self.UNREADABLE_TITLE) if text is None else text["title"]

    def _open(self, field: str) -> str:
        token = getattr(self, f"{field}_encrypted")
        return crypto.decrypt(token, table=self._meta.db_table, row_id=str(self.pk), field=field)

    def seal(self, **texts: str) -> None:
        """Encrypt every sealed field (title="...", body="...") under the current key, so
        the row has one key id."""
        if texts.keys() != set(self.SEALED_FIELDS):
            raise ValueError(f"seal() needs exactly {', '.join(self.SEALED_FIELDS)}")
        for field, text in texts.items():
            token = crypto.encrypt(
                text, table=self._meta.db_table, row_id=str(self.pk), field=field
            )
            setattr(self, f"{field}_encrypted", token)
        self.key_id = crypto.current_key_id()
        self.__dict__.pop("_readable", None)  # opened afresh from the new tokens


class RecordQuerySet(models.QuerySet):
    def with_entry_count(self) -> "RecordQuerySet":
        """Annotate `entry_count`, counted per record from the (record, created) index."""
        return self.annotate(entry_count=count_of(Entry.objects, "record"))


class Record(Sealed):
    SEALED_FIELDS = ("title",)
    UNREADABLE_TITLE = gettext_lazy("Record that cannot be opened")

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="records"
    )
    title_encrypted = models.BinaryField(editable=False)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    archived = models.DateTimeField(null=True, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "id"]
        indexes = [models.Index(fields=["customer", "created"])]

    title = SealedText()

    def __str__(self) -> str:
        return f"Record {self.pk}"


class EntryQuerySet(models.QuerySet):
    def in_journal_order(self, newest_first: bool) -> "EntryQuerySet":
        """The Customer record setting "Sorting": newest first, or newest last."""
        order = ["-created", "-id"] if newest_first else ["created", "id"]
        return self.order_by(*order)

    def for_display(self) -> "EntryQuerySet":
        """With what an entry card shows: author, group and whether it was ever edited."""
        return self.select_related("author", "group").annotate(
            was_edited=models.Exists(EntryVersion.objects.filter(entry=models.OuterRef("pk")))
        )


class Entry(Sealed):
    SEALED_FIELDS = ("title", "body")
    UNREADABLE_TITLE = gettext_lazy("Entry that cannot be opened")

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="entries")
    group = models.ForeignKey(
        RecordGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="record_entries"
    )
    # The edit and delete windows run from here.
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)
    title_encrypted = models.BinaryField(editable=False)
    body_encrypted = models.BinaryField(editable=False)
    # The body is sanitised HTML (written with the rich-text editor), else plain text.
    rich_text = models.BooleanField(default=False, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["-created", "id"]
        indexes = [models.Index(fields=["record", "created", "id"])]

    title = SealedText()
    body = SealedText()

    if TYPE_CHECKING:
        # What an entry being shown carries (records.tab: entry_opened, entry_with_windows).
        text: dict[str, str] | None
        edit_refusal: str | None
        delete_refusal: str | None
        edit_closes: datetime | None
        delete_closes: datetime | None

    def __str__(self) -> str:
        return f"Entry {self.pk}"

    def window_closes(self, minutes: int | None) -> datetime | None:
        """When a window of `minutes` (None: no limit, 0: never) closes for this entry."""
        return None if minutes is None else self.created + timedelta(minutes=minutes)

    def within(self, minutes: int | None, now: datetime | None = None) -> bool:
        closes = self.window_closes(minutes)
        return closes is None or (now or timezone.now()) < closes


class EntryVersion(Sealed):
    """An entry as it was before an edit: kept for every edit, readable with permission."""

    SEALED_FIELDS = ("title", "body")
    UNREADABLE_TITLE = gettext_lazy("Version that cannot be opened")

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="versions")
    title_encrypted = models.BinaryField(editable=False)
    body_encrypted = models.BinaryField(editable=False)
    rich_text = models.BooleanField(default=False, editable=False)
    # Who wrote this version, and when it was replaced by whom.
    written = models.DateTimeField()
    replaced = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-replaced", "id"]

    title = SealedText()
    body = SealedText()

    def __str__(self) -> str:
        return f"Version of entry {self.entry_id} replaced {self.replaced:%Y-%m-%d %H:%M}"


PURGED_BY = "The retention purge (manage.py purge_records)"


class RecordAccess(models.Model):
    """One line of the access log: who did what to which record, when, from where.

    Written only by records.services.record_access_log, which chains it onto the line
    before (records.audit: `chain_previous`, `chain_mac`); `manage.py verify_access_log`
    checks the chain.

    Plain PostgreSQL triggers (migrations 0004 and 0006, not pgtrigger ones, whose triggers
    any session may switch off with `SET pgtrigger.ignore`) refuse UPDATE, DELETE and
    TRUNCATE for every role, the application's included. They do not stop a role that owns
    the table (DISABLE TRIGGER; the test suite's flush does that): in production the
    application's role must not own it (README). The triggers stop the application; the
    chain and its coverage check (records.audit) show everything else.
    """

    class Action(models.TextChoices):
        VIEW = "view", gettext_lazy("Viewed")
        HISTORY = "history", gettext_lazy("Viewed earlier versions")
        CREATE = "create", gettext_lazy("Created")
        EDIT = "edit", gettext_lazy("Edited")
        DELETE = "delete", gettext_lazy("Deleted")
        ARCHIVE = "archive", gettext_lazy("Archived")
        RESTORE = "restore", gettext_lazy("Restored from the archive")
        PRINT = "print", gettext_lazy("Printed")
        EXPORT = "export", gettext_lazy("Exported")
        PURGE = "purge", gettext_lazy("Purged after the retention period")
        # Someone without the permission tried to open (or change) the record: refused.
        DENIED = "denied", gettext_lazy("Denied: tried without permission")

    at = models.DateTimeField(default=timezone.now)
    # None only for the line `manage.py purge_records` writes: no person did it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # No constraints: the log keeps naming an entry (or record) after it is deleted.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    record = models.ForeignKey(
        Record, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    entry = models.ForeignKey(
        Entry,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    address = models.GenericIPAddressField(null=True, blank=True)
    # The chain (records.audit): the id of the line before this one (None for the first),
    # and this line's MAC over that line's MAC and its own fields.
    chain_previous = models.BigIntegerField(null=True, editable=False)
    chain_mac = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = "record access"
        verbose_name_plural = "record access log"
        ordering = ["-at", "-id"]
        # Reading it is the audit permission; nobody is given a permission to change it.
        default_permissions = ("view",)
        indexes = [models.Index(fields=["customer", "-at", "-id"])]
        constraints = [
            # A line has at most one successor and only one line starts the chain, so even
            # two writers that missed the chain's lock could not fork it: one would fail.
            models.UniqueConstraint(
                fields=["chain_previous"],
                nulls_distinct=False,
                name="recordaccess_one_successor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.by} {self.get_action_display().lower()} record {self.record_id}"

    @property
    def was_denied(self) -> bool:
        return self.action == self.Action.DENIED

    @property
    def by(self) -> str:
        """Who did it: the staff member, or the scheduled purge."""
        return PURGED_BY if self.user is None else str(self.user)
