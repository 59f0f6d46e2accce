"""Admin of the GDPR export log: read-only, like every log."""

from django.contrib import admin

from config.admin import ReadOnlyAdmin
from privacy.models import SubjectExport


@admin.register(SubjectExport)
class SubjectExportAdmin(ReadOnlyAdmin):
    """Who exported whose data, when and why; nobody adds, changes or deletes a line here."""

    list_display = ["at", "by", "subject_kind", "subject_id", "reason", "address"]
    list_filter = ["subject_kind"]
    list_select_related = ["by"]
    search_fields = ["reason"]
    date_hierarchy = "at"
