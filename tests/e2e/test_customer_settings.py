"""An administrator turns a customer field on in Back-end › Customer and sees it appear."""

from customers.models import CustomerSettings


def test_ticking_gender_on_backend_page_adds_the_field_to_the_customer_form(
    page, live_server, administrator, sign_in, screenshot
):
    assert CustomerSettings.load().gender_enabled is False
    sign_in(administrator)
    page.goto(f"{live_server.url}/customers/new/")
    assert page.get_by_label("Gender").count() == 0

    page.get_by_role("link", name="Back-end").click()
    page.get_by_label("Customer gender").check()
    screenshot("settings")
    page.get_by_role("button", name="Update").click()
    page.get_by_text("The customer settings have been updated.").wait_for()

    page.goto(f"{live_server.url}/customers/new/")
    page.get_by_label("Gender").wait_for()
    screenshot("customer-form")


def test_new_customer_is_created_from_the_form(page, live_server, receptionist, sign_in):
    sign_in(receptionist)
    page.goto(f"{live_server.url}/customers/")
    page.get_by_role("link", name="New customer").click()
    page.get_by_label("First name").fill("Ingrid")
    page.get_by_label("Last name").fill("Holm")
    page.get_by_label("Phone").fill("20 30 40 50")
    page.get_by_role("button", name="Create customer").click()
    page.get_by_text("Customer Ingrid Holm").first.wait_for()
    assert page.get_by_role("heading", name="Ingrid Holm").is_visible()
    assert page.get_by_text("+45 20 30 40 50").first.is_visible()


def test_business_kind_shows_company_name_instead_of_person_names(
    page, live_server, receptionist, sign_in
):
    sign_in(receptionist)
    page.goto(f"{live_server.url}/customers/new/")
    assert page.get_by_label("Company name").is_hidden()
    page.get_by_label("Business").check()
    assert page.get_by_label("Company name").is_visible()
    assert page.get_by_label("First name").is_hidden()
