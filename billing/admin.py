from django.contrib import admin

from billing.models import Invoice, InvoiceLine, InvoiceNumbering, PriceItem
from config.admin import ReadOnlyAdmin


@admin.register(PriceItem)
class PriceItemAdmin(admin.ModelAdmin):
    """The price list, kept by administrators. An item is switched off, not deleted, once
    something was sold with it (sale lines keep it)."""

    list_display = ("code", "name", "kind", "price", "vat_rate", "active")
    list_filter = ("kind", "vat_rate", "active")
    search_fields = ("code", "name")


@admin.register(InvoiceNumbering)
class InvoiceNumberingAdmin(admin.ModelAdmin):
    """Where the series starts: changeable only until the first invoice is issued."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not Invoice.objects.exists()

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not InvoiceNumbering.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fk_name = "invoice"
    fields = (
        "position",
        "description",
        "quantity",
        "unit_price",
        "discount_percent",
        "vat_rate",
        "net",
        "vat",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    """Read-only: an issued invoice never changes (a credit note corrects it)."""

    list_display = ("number", "kind", "issued_on", "due_on", "debtor_name", "total")
    list_filter = ("kind",)
    search_fields = ("=number", "debtor_name")
    date_hierarchy = "issued_on"
    inlines = [InvoiceLineInline]
    readonly_fields = (
        "number",
        "kind",
        "credits",
        "customer",
        "debtor",
        "issued_on",
        "due_on",
        "net_total",
        "vat_total",
        "total",
        "reason",
    )
    fields = readonly_fields
