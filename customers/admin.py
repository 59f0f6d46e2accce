from django import forms
from django.contrib import admin

from config.admin import ReadOnlyAdmin
from customers import services
from customers.forms import CustomerSettingsForm
from customers.models import Calendar, Customer, CustomerExport, CustomerGroup, CustomerSettings


@admin.register(CustomerGroup)
class CustomerGroupAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "therapist", "active")
    list_select_related = ("therapist",)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    """Read-mostly: customers are edited on the staff pages, where the settings and rules apply."""

    list_display = ("number", "first_name", "last_name", "company_name", "kind", "group")
    list_filter = ("kind", "group")
    list_select_related = ("group",)
    search_fields = ("=number", "first_name", "last_name", "company_name", "email")
    exclude = ("ssn_encrypted", "ssn_index")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CustomerSettingsAdminForm(forms.ModelForm):
    remove_secondary_therapists = CustomerSettingsForm.base_fields["remove_secondary_therapists"]

    class Meta:
        model = CustomerSettings
        fields = CustomerSettingsForm.Meta.fields

    def clean(self):
        cleaned = super().clean() or {}  # Django's returns cleaned_data, never None
        if self.errors:
            return cleaned  # the rules below need every field parsed
        values = {name: cleaned[name] for name in CustomerSettingsForm.Meta.fields}
        candidate = CustomerSettings(id=self.instance.id, **values)
        errors = services.customer_settings_errors(
            candidate, remove_secondary_therapists=cleaned["remove_secondary_therapists"]
        )
        for field, error in errors.items():
            self.add_error(field, error)
        return cleaned


@admin.register(CustomerSettings)
class CustomerSettingsAdmin(admin.ModelAdmin):
    """The one settings row: editable, never added or deleted; saved through the service so
    the admin obeys the same rules as the Back-end › Customer page."""

    form = CustomerSettingsAdminForm

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in CustomerSettingsForm.Meta.fields}
        services.customer_settings_update(
            values=values,
            remove_secondary_therapists=form.cleaned_data["remove_secondary_therapists"],
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CustomerExport)
class CustomerExportAdmin(ReadOnlyAdmin):
    """The log of customer exports, to read."""

    list_display = ["at", "user", "rows", "query"]
    date_hierarchy = "at"
