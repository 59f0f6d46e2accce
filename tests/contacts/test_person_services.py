"""contacts.services' writes of contact persons: the rules hold whichever page (or script)
adds or changes a person."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber

from contacts import services
from contacts.models import ContactPerson
from contacts.services import Phone
from tests.factories import (
    ContactPersonFactory,
    ContactPersonPhoneFactory,
    CustomerFactory,
    PortalUserFactory,
)

pytestmark = pytest.mark.django_db

IDA = {"first_name": "Ida", "last_name": "Holm", "email": "ida@example.dk"}


def _mobile(number="+4520304050") -> Phone:
    return Phone("mobile", PhoneNumber.from_string(number))


def _codes(error: ValidationError, field: str) -> list[str]:
    return [item.code for item in error.error_dict[field]]


def test_create_stores_the_person_with_their_phones():
    person = services.contact_person_create(
        customer=CustomerFactory(), fields=IDA, phones=[_mobile()]
    )
    person = ContactPerson.objects.get(pk=person.pk)
    assert person.name == "Ida Holm"
    assert [str(phone.number) for phone in person.phones.all()] == ["+4520304050"]


def test_a_person_without_email_or_phone_is_refused_at_the_email_field():
    with pytest.raises(ValidationError) as refused:
        services.contact_person_create(customer=CustomerFactory(), fields=IDA | {"email": ""})
    assert _codes(refused.value, "email") == ["email_or_phone"]
    assert not ContactPerson.objects.exists()


def test_nothing_new_is_stored_about_an_erased_customer():
    customer = CustomerFactory(erased_on=timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        services.contact_person_create(customer=customer, fields=IDA)
    assert refused.value.code == "erased"
    assert not ContactPerson.objects.exists()


def test_a_newly_filled_field_ticks_its_preference_unless_the_script_did():
    person = services.contact_person_create(
        customer=CustomerFactory(),
        fields=IDA | {"address": "Vestergade 1"},
        phones=[_mobile()],
        sms_enabled=True,
    )
    assert (person.prefers_email, person.prefers_sms, person.prefers_letter) == (True, True, True)
    scripted = services.contact_person_create(
        customer=CustomerFactory(), fields=IDA, preferences_scripted=True
    )
    assert not scripted.prefers_email


def test_the_sms_preference_is_neither_ticked_nor_stored_while_sms_is_off():
    person = services.contact_person_create(
        customer=CustomerFactory(), fields=IDA | {"prefers_sms": True}, phones=[_mobile()]
    )
    assert not ContactPerson.objects.get(pk=person.pk).prefers_sms


def test_an_update_keeps_a_kept_number_and_drops_a_removed_one():
    phone = ContactPersonPhoneFactory(number="+4520304050", kind="mobile")
    ContactPersonPhoneFactory(person=phone.person, number="+4586123456", kind="home")
    services.contact_person_update(
        person=phone.person,
        fields={"last_name": "Berg"},
        phones=[Phone("office", phone.number)],
    )
    (kept,) = phone.person.phones.all()
    assert (kept.pk, kept.kind) == (phone.pk, "office")
    assert ContactPerson.objects.get(pk=phone.person.pk).last_name == "Berg"


def test_a_person_with_a_portal_login_keeps_their_email_address():
    person = ContactPersonFactory(portal_user=PortalUserFactory())
    with pytest.raises(ValidationError) as refused:
        services.contact_person_update(person=person, fields={"email": ""}, phones=[_mobile()])
    assert _codes(refused.value, "email") == ["login_needs_email"]


def test_a_portal_login_cannot_take_another_logins_email_address():
    other = PortalUserFactory()
    person = ContactPersonFactory(portal_user=PortalUserFactory())
    with pytest.raises(ValidationError) as refused:
        services.contact_person_update(
            person=person, fields={"email": other.username.upper()}, phones=[]
        )
    assert _codes(refused.value, "email") == ["login_name_taken"]
