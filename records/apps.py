from django.apps import AppConfig
from django.utils.translation import ngettext


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Records"

    def ready(self) -> None:
        from customers.profile import ProfileTab, register_deletion_blocker, register_tab
        from records import tab

        register_tab(
            ProfileTab(
                key="record",
                label="Record",
                template="records/customer_tab.html",
                order=40,
                is_shown=tab.is_shown,
                context=tab.context,
            )
        )
        register_deletion_blocker(_records_kept)


def _records_kept(customer) -> list[str]:
    count = customer.records.count()
    if not count:
        return []
    return [
        ngettext("%(count)d record (journal)", "%(count)d records (journals)", count)
        % {"count": count}
    ]
