"""factory-boy factories for the whole suite."""

import itertools
from functools import cache

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def _email_from_name(person, n: int) -> str:
    """An address made of the name, so a search that finds it also finds the name.

    A random address can look like any search text to the trigram fallback, and a
    test that sets the names it searches for would then fail now and again.
    """
    names = (person.first_name, person.last_name)
    local = ".".join("".join(filter(str.isalnum, name)) for name in names)
    return f"{local.lower()}{n}@example.com"


@cache
def _password_hash() -> str:
    """PASSWORD hashed once per test process: a real Argon2 hash, which sign-in checks as
    in production, without paying a third of a second for it on every user made."""
    return make_password(PASSWORD)


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
    password = factory.LazyFunction(_password_hash)

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
    email = factory.LazyAttributeSequence(_email_from_name)
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
    email = factory.LazyAttributeSequence(_email_from_name)


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
    email = factory.LazyAttributeSequence(_email_from_name)


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


def authenticator(user) -> TOTPDevice:
    """The user's authenticator app (TOTP), set up and confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def totp_code(device: TOTPDevice, at: float | None = None) -> str:
    """The code the authenticator app shows now (or at the time `at`)."""
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        clock.time = at
    return f"{clock.token():0{device.digits}d}"


def login_with_second_factor(client, user) -> None:
    """Sign `client` in as `user` in a session verified with the user's authenticator."""
    device = authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
