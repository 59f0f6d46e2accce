from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts"

    def ready(self) -> None:
        from contacts.views import customer_tab_context
        from customers.profile import ProfileTab, register_deletion_consequence, register_tab

        register_tab(
            ProfileTab(
                key="contacts",
                label="Contacts",
                template="contacts/customer_tab.html",
                order=20,
                is_shown=lambda request, settings: (
                    settings.show_contacts and request.user.has_perm("contacts.view_contact")
                ),
                context=customer_tab_context,
            )
        )
        register_deletion_consequence(_chosen_contacts)


def _chosen_contacts(customer) -> list[str]:
    count = customer.directory_links.count()
    if not count:
        return []
    return [f"the choice of {count} directory contact(s) (the contacts stay in the directory)"]
