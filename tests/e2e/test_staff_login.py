"""A member of staff signs in with the browser and reaches the customer list."""

from tests.factories import CustomerFactory


def test_staff_user_signs_in_and_reaches_customer_list(
    page, live_server, receptionist, password, screenshot
):
    CustomerFactory(first_name="Anna", last_name="Jensen", number=1001)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(receptionist.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("heading", name="Customers").wait_for()
    assert page.url == f"{live_server.url}/customers/"
    assert page.get_by_role("cell", name="Jensen, Anna").is_visible()
    screenshot("customer-list")


def test_wrong_password_shows_message_in_browser(page, live_server, receptionist, screenshot):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(receptionist.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Please enter a correct username and password").wait_for()
    screenshot("wrong-password")
