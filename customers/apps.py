from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from customers.debtor_usage import customers_paid_for
        from customers.services import debtor_activation_required
        from debtors.usage import register_activation_policy, register_debtor_users

        register_debtor_users(customers_paid_for)
        register_activation_policy(debtor_activation_required)
        user_logged_in.connect(_cache_settings, dispatch_uid="customers.cache_settings_at_sign_in")


def _cache_settings(sender, request, user, **kwargs) -> None:
    """Every staff page's menu reads the back-end settings: cached from sign-in on, as
    accounts caches its SecuritySettings (CustomerSettings.for_request)."""
    from customers.models import CustomerSettings

    if request is not None and not user.is_portal_user:
        CustomerSettings.for_request(request)
