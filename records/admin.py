"""Admin of the records add-on: record groups (the staff page has the rich-text editor; the
admin edits the same sanitised HTML as text) and a read-only view of the access log."""

from django import forms
from django.contrib import admin

from config.admin import ReadOnlyAdmin
from records import services
from records.forms import RecordGroupForm
from records.models import RecordAccess, RecordGroup


class RecordGroupAdminForm(RecordGroupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin's Content-Security-Policy has no room for the editor's inline styles.
        self.fields["template"].widget = forms.Textarea(attrs={"rows": 14, "cols": 80})


@admin.register(RecordGroup)
class RecordGroupAdmin(admin.ModelAdmin):
    form = RecordGroupAdminForm
    list_display = ["name", "is_active", "rich_text"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change) -> None:
        # Through the service, which sanitises the template; the admin goes on with `obj`.
        if change:
            services.record_group_update(group=obj, **form.group_input())
        else:
            obj.pk = services.record_group_create(**form.group_input()).pk
            obj._state.adding = False
            obj.refresh_from_db()


@admin.register(RecordAccess)
class RecordAccessAdmin(ReadOnlyAdmin):
    """The access log, to read: nobody adds, changes or deletes a line of it."""

    list_display = ["at", "by", "action", "customer_id", "record_id", "address"]
    list_select_related = ["user"]
    list_filter = ["action"]
    date_hierarchy = "at"
