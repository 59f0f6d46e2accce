from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from billing import tab
        from customers.profile import ProfileTab, register_deletion_blocker, register_tab

        register_tab(
            ProfileTab(
                key="invoices",
                label=str(_("Invoices")),
                template="billing/customer_tab.html",
                order=60,
                is_shown=tab.is_shown,
                context=tab.context,
            )
        )
        register_deletion_blocker(tab.deletion_blockers)
