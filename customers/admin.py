from django.contrib import admin

from customers.models import Customer, CustomerGroup


@admin.register(CustomerGroup)
class CustomerGroupAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("number", "first_name", "last_name", "company_name", "kind", "group")
    list_filter = ("kind", "group")
    list_select_related = ("group",)
    search_fields = ("=number", "first_name", "last_name", "company_name", "email")
