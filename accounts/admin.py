from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class KartotekUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "kind", "is_active")
    list_filter = ("kind", "is_active", "is_staff", "is_superuser", "groups")
    fieldsets = (*UserAdmin.fieldsets, ("Kartotek", {"fields": ("kind",)}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Kartotek", {"fields": ("kind",)}))
