from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy (GDPR)"

    def ready(self) -> None:
        from customers.profile import ProfileTab, register_tab
        from privacy import tab

        register_tab(
            ProfileTab(
                key="privacy",
                label="Privacy",
                template="privacy/customer_tab.html",
                order=90,
                is_shown=tab.is_shown,
                context=tab.context,
            )
        )
