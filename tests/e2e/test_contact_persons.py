"""Staff add a customer's contact person, see SMS ticked as they type, make them primary."""

from contacts.models import ContactPerson
from tests.factories import CustomerFactory


def test_person_is_added_with_sms_ticked_by_typing_and_made_primary(
    page, live_server, receptionist, sign_in, screenshot, customer_settings
):
    customer_settings(sms_enabled=True)
    customer = CustomerFactory(first_name="Asta", last_name="Berg")
    sign_in(receptionist)

    page.goto(f"{live_server.url}/customers/{customer.id}/?tab=persons")
    page.get_by_role("link", name="Add contact person").click()
    page.get_by_label("Title").select_option("Mrs")
    page.get_by_label("First name").fill("Ida")
    page.get_by_label("Surname").fill("Berg")
    assert page.locator("input[name=email]").count() == 1
    sms = page.get_by_role("checkbox", name="SMS")
    assert not sms.is_checked()
    page.get_by_label("Number").first.press_sequentially("20304050")
    assert sms.is_checked()  # ticked as the mobile number was typed
    assert not page.get_by_role("checkbox", name="Email").is_checked()
    page.get_by_role("button", name="Add phone number").click()
    page.get_by_label("Phone type").nth(1).select_option("office")
    page.get_by_label("Number").nth(1).fill("86123456")
    screenshot("person-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Mrs Ida Berg added to Asta Berg's contact persons.").wait_for()
    person = ContactPerson.objects.get()
    assert person.prefers_sms
    assert sorted(str(phone.number) for phone in person.phones.all()) == [
        "+4520304050",
        "+4586123456",
    ]

    page.get_by_role("button", name="Actions for Mrs Ida Berg").click()
    page.get_by_role("link", name="Set as primary contact").click()
    page.get_by_label("Type “primary” to confirm").fill("primary")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Mrs Ida Berg is now the primary contact.").wait_for()
    screenshot("persons-tab")
    details = page.get_by_role("complementary", name="Customer details")
    assert "Mrs Ida Berg" in details.inner_text()
    person.refresh_from_db()
    assert person.is_primary
