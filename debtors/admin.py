from django.contrib import admin

from debtors.models import Debtor, DebtorGroup


@admin.register(DebtorGroup)
class DebtorGroupAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Debtor)
class DebtorAdmin(admin.ModelAdmin):
    """Read-only: debtors are edited on the staff pages, where the sharing rules apply."""

    list_display = ("number", "name", "kind", "group", "active")
    list_filter = ("kind", "group", "active")
    search_fields = ("=number", "name", "email", "vat_number", "ean")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
