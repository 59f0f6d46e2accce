from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts"

    def ready(self) -> None:
        from contacts.views import persons
        from contacts.views.directory import customer_tab_context
        from customers.profile import (
            ProfileTab,
            register_deletion_consequence,
            register_detail,
            register_tab,
        )

        register_tab(
            ProfileTab(
                key="persons",
                label="Persons",
                template="contacts/person_tab.html",
                order=10,
                is_shown=lambda request, settings: request.user.has_perm(
                    "contacts.view_contactperson"
                ),
                context=persons.customer_tab_context,
            )
        )
        register_deletion_consequence(_contact_persons)
        register_detail(_primary_contact)

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


def _contact_persons(customer) -> list[str]:
    persons = customer.contact_persons.count()
    logins = customer.contact_persons.filter(portal_user__isnull=False).count()
    lines = [f"{persons} contact person(s)"] if persons else []
    if logins:
        lines.append(f"{logins} customer portal login(s) of those persons")
    return lines


def _primary_contact(customer) -> list[tuple[str, str]]:
    from contacts.services import primary_contact

    primary = primary_contact(customer)
    return [("Primary contact", primary.name)] if primary else []


def _chosen_contacts(customer) -> list[str]:
    count = customer.directory_links.count()
    if not count:
        return []
    return [f"the choice of {count} directory contact(s) (the contacts stay in the directory)"]
