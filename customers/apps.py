from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from customers.debtor_usage import customers_paid_for
        from customers.services import debtor_activation_required
        from debtors.usage import register_activation_policy, register_debtor_users

        register_debtor_users(customers_paid_for)
        register_activation_policy(debtor_activation_required)
