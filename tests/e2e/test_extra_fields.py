"""An administrator adds an extra field, and it appears on the customer form and profile."""

from tests.factories import CustomerFactory


def test_an_added_field_is_filled_out_on_customer_information(
    page, live_server, administrator, sign_in, screenshot
):
    customer = CustomerFactory(first_name="Ida", last_name="Holm")
    sign_in(administrator)
    page.goto(f"{live_server.url}/customers/settings/")
    page.get_by_role("link", name="Extra fields").click()
    page.get_by_role("link", name="New extra field").click()
    page.get_by_label("Label").fill("Shoe size")
    page.get_by_label("Type").select_option("Choice")
    page.get_by_label("Options").fill("Small\nMedium\nLarge")
    page.get_by_role("button", name="Add field").click()
    page.get_by_text("Extra field “Shoe size” added").wait_for()
    screenshot("list")

    page.goto(f"{live_server.url}/customers/{customer.pk}/edit/")
    page.get_by_label("Shoe size").select_option("Medium")
    screenshot("form")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Medium").wait_for()
    screenshot("profile")
