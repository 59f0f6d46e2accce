from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import SecuritySettings, User


@admin.register(User)
class KartotekUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "kind", "is_active")
    list_filter = ("kind", "is_active", "is_staff", "is_superuser", "groups")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Kartotek", {"fields": ("kind",)}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Kartotek", {"fields": ("kind",)}))


@admin.register(SecuritySettings)
class SecuritySettingsAdmin(admin.ModelAdmin):
    """The one settings row: editable, never added or deleted."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
