from django.contrib import admin

from records.models import RecordGroup


@admin.register(RecordGroup)
class RecordGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
