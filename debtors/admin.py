from django.contrib import admin

from debtors.models import DebtorGroup


@admin.register(DebtorGroup)
class DebtorGroupAdmin(admin.ModelAdmin):
    search_fields = ("name",)
