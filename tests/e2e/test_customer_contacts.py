"""Staff build the contact directory from a customer's profile and choose from it."""

from contacts.models import Contact, CustomerContact
from tests.factories import CustomerFactory


def test_category_and_contact_made_on_one_customer_are_chosen_on_another(
    page, live_server, receptionist, sign_in, screenshot, customer_settings
):
    customer_settings(show_contacts=True)
    first = CustomerFactory(first_name="Anna", last_name="Jensen")
    second = CustomerFactory(first_name="Bo", last_name="Berg")
    sign_in(receptionist)

    page.goto(f"{live_server.url}/customers/{first.id}/?tab=contacts")
    page.get_by_label("Category name").fill("General practitioners")
    page.get_by_role("button", name="Create category").click()
    page.get_by_role("heading", name="Edit category").wait_for()
    # The new-contact form is on the category page itself (the guide's one click less).
    page.get_by_label("First name").fill("Ida")
    page.get_by_label("Last name or organisation name").fill("Holm")
    page.get_by_label("Description").fill("GP")
    page.get_by_label("Phone", exact=True).fill("86 12 34 56")
    page.get_by_role("button", name="Create new contact").click()
    page.get_by_text("Contact Ida Holm created.").wait_for()

    page.goto(f"{live_server.url}/customers/{second.id}/?tab=contacts")
    page.get_by_label("Choose a contact for Bo Berg").fill("holm")
    page.get_by_role("button", name="Choose Ida Holm").click()
    page.get_by_text("Ida Holm added to Bo Berg's contacts.").wait_for()
    screenshot("contacts-tab")
    assert page.get_by_role("heading", name="General practitioners").is_visible()

    page.get_by_role("link", name="Remove Ida Holm from Bo Berg").click()
    page.get_by_role("button", name="Remove").click()
    page.get_by_text("removed from Bo Berg's contacts").wait_for()
    assert not CustomerContact.objects.exists()
    assert Contact.objects.filter(last_name="Holm").exists()


def test_a_contact_is_chosen_with_the_keyboard_alone(
    page, live_server, receptionist, sign_in, customer_settings
):
    from tests.factories import ContactFactory

    customer_settings(show_contacts=True)
    customer = CustomerFactory(first_name="Bo", last_name="Berg")
    ContactFactory(first_name="Ida", last_name="Holm", description="GP")
    ContactFactory(first_name="Ivar", last_name="Holmgaard", description="GP")
    sign_in(receptionist)
    page.goto(f"{live_server.url}/customers/{customer.id}/?tab=contacts")
    search = page.get_by_label("Choose a contact for Bo Berg")
    search.fill("holm")
    page.get_by_role("button", name="Choose Ivar Holmgaard").wait_for()
    search.press("ArrowDown")  # first result: Holm
    page.keyboard.press("ArrowDown")  # second: Holmgaard
    page.keyboard.press("ArrowUp")  # back to Holm
    page.keyboard.press("Enter")
    page.get_by_text("Ida Holm added to Bo Berg's contacts.").wait_for()
    assert list(CustomerContact.objects.values_list("contact__last_name", flat=True)) == ["Holm"]


def test_an_empty_category_name_is_refused_at_the_field_in_place(
    page, live_server, receptionist, sign_in, customer_settings
):
    customer_settings(show_contacts=True)
    customer = CustomerFactory(first_name="Anna", last_name="Jensen")
    sign_in(receptionist)
    page.goto(f"{live_server.url}/customers/{customer.id}/?tab=contacts")
    page.get_by_role("button", name="Create category").click()
    field = page.get_by_label("Category name")
    page.locator("#error_1_id_name").wait_for()
    assert "This field is required." in page.locator("#error_1_id_name").inner_text()
    assert field.get_attribute("aria-invalid") == "true"
    assert page.url.endswith("?tab=contacts")  # still the profile, in place
    assert page.locator(".alert-danger").count() == 0
