"""What the apps' admin classes share."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log in the admin: its lines are shown, never added, changed or deleted there."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
