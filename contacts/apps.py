from django.apps import AppConfig
from django.utils.translation import ngettext


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts"

    def ready(self) -> None:
        from contacts import tab
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
                is_shown=tab.persons_shown,
                context=tab.persons_context,
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
                is_shown=tab.contacts_shown,
                context=tab.contacts_context,
            )
        )
        register_deletion_consequence(_chosen_contacts)


def _contact_persons(customer) -> list[str]:
    persons = customer.contact_persons.count()
    logins = customer.contact_persons.filter(portal_user__isnull=False).count()
    lines = []
    if persons:
        lines.append(
            ngettext("%(count)d contact person", "%(count)d contact persons", persons)
            % {"count": persons}
        )
    if logins:
        lines.append(
            ngettext(
                "%(count)d customer portal login of those persons",
                "%(count)d customer portal logins of those persons",
                logins,
            )
            % {"count": logins}
        )
    return lines


def _primary_contact(customer) -> list[tuple[str, str]]:
    from contacts.services import primary_contact

    primary = primary_contact(customer)
    return [("Primary contact", primary.name)] if primary else []


def _chosen_contacts(customer) -> list[str]:
    count = customer.directory_links.count()
    if not count:
        return []
    return [
        ngettext(
            "the choice of %(count)d directory contact (the contact stays in the directory)",
            "the choice of %(count)d directory contacts (the contacts stay in the directory)",
            count,
        )
        % {"count": count}
    ]
