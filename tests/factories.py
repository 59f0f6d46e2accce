"""factory-boy factories for the whole suite."""

import itertools

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from contacts.models import (
    Contact,
    ContactCategory,
    ContactPerson,
    ContactPersonPhone,
    CustomerContact,
)
from customers.models import Customer, CustomerGroup
from debtors.models import Debtor, DebtorGroup
from portal.models import PortalAccess

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@clinic.example")
    kind = User.Kind.STAFF
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, role_name, **kwargs):
        """UserFactory(role="Therapist") puts the user in that role's group."""
        if create and role_name:
            self.groups.add(Group.objects.get(name=role_name))


class PortalUserFactory(UserFactory):
    kind = User.Kind.PORTAL


class CustomerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerGroup
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Group {n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    number = factory.Sequence(lambda n: 10_000 + n)
    kind = Customer.Kind.PRIVATE
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Faker("email")
    group = factory.SubFactory(CustomerGroupFactory)


class DebtorGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DebtorGroup
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Debtor group {n}")


class DebtorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debtor

    number = factory.Sequence(lambda n: 50_000 + n)
    name = factory.Faker("company")
    kind = Debtor.Kind.COMPANY
    email = factory.Faker("company_email")


class ContactCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Category {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    category = factory.SubFactory(ContactCategoryFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    description = "GP"
    email = factory.Faker("email")


class CustomerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerContact

    customer = factory.SubFactory(CustomerFactory)
    contact = factory.SubFactory(ContactFactory)


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    customer = factory.SubFactory(CustomerFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Faker("email")


class ContactPersonPhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPersonPhone

    person = factory.SubFactory(ContactPersonFactory)
    kind = "mobile"
    number = factory.Sequence(lambda n: f"+452{n:07d}")


_portal_logins = itertools.count(1)


def portal_contact(*, customer=None, permissions=(), **fields) -> ContactPerson:
    """A contact person who signs in to the portal (with PASSWORD) holding `permissions`
    (portal.models.Permission values); portal_contact(permissions=[Permission.BILLING])."""
    fields.setdefault("email", f"contact{next(_portal_logins)}@portal.example")
    person = ContactPersonFactory(customer=customer or CustomerFactory(), **fields)
    person.portal_user = PortalUserFactory(
        username=person.email.lower(),
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
    )
    person.save(update_fields=["portal_user"])
    PortalAccess.objects.create(person=person, **{permission: True for permission in permissions})
    return person
