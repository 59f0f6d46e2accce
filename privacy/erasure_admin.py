"""Admin of the GDPR erasure requests: shown, never added, changed or deleted there (they
are made on the customer's Privacy tab, and purge_records completes them)."""

from django.contrib import admin
from django.utils.html import format_html_join

from config.admin import ReadOnlyAdmin
from privacy.erasure import summary_lines
from privacy.models import ErasureRequest


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "received",
        "subject_kind",
        "subject_id",
        "erased_at",
        "records_kept_until",
        "purged_at",
        "recorded_by",
    ]
    list_filter = ["subject_kind", ("purged_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recorded_by"]
    search_fields = ["=subject_id", "=customer_id"]
    date_hierarchy = "erased_at"
    exclude = ["summary"]
    readonly_fields = ["erased", "purged"]

    @admin.display(description="What was erased")
    def erased(self, request: ErasureRequest) -> str:
        return self._lines(request.summary.get("erased", {}))

    @admin.display(description="What was purged")
    def purged(self, request: ErasureRequest) -> str:
        return self._lines(request.summary.get("purged", {}))

    @staticmethod
    def _lines(counts: dict[str, int]) -> str:
        return format_html_join("", "<div>{}</div>", ((line,) for line in summary_lines(counts)))
