"""The social security number on the profile: Show reveals it, Hide masks it again, both
from the keyboard; a number that cannot be opened says so instead of breaking the page."""

from customers.models import Customer
from customers.services import CustomerChange, customer_create

SSN = "010190-1234"
MASKED = "••••••-••••"


def _customer(ssn=SSN, first_name="Anna"):
    fields = {"kind": "private", "first_name": first_name, "last_name": "Jensen"}
    return customer_create(change=CustomerChange(fields=fields, ssn=ssn))


def test_ssn_show_turns_into_hide_and_back_with_the_keyboard(
    page, live_server, receptionist, sign_in, customer_settings, screenshot
):
    customer_settings(ssn_enabled=True, ssn_unique=False)
    customer = _customer()
    sign_in(receptionist)
    page.goto(f"{live_server.url}/customers/{customer.id}/")
    field = page.locator("#ssn-field")
    assert field.inner_text().startswith(MASKED)

    page.get_by_role("button", name="Show the social security number").focus()
    page.keyboard.press("Enter")
    hide = page.get_by_role("button", name="Hide the social security number")
    hide.wait_for()
    assert SSN in field.inner_text()
    assert hide.evaluate("button => button === document.activeElement")
    screenshot("revealed")

    page.keyboard.press("Enter")
    show = page.get_by_role("button", name="Show the social security number")
    show.wait_for()
    assert SSN not in page.content()
    assert field.inner_text().startswith(MASKED)
    assert show.evaluate("button => button === document.activeElement")

    page.keyboard.press("Space")  # and once more: the masked field is live again
    hide.wait_for()
    assert SSN in field.inner_text()


def test_ssn_that_cannot_be_opened_says_so_and_the_page_keeps_working(
    page, live_server, receptionist, sign_in, customer_settings
):
    customer_settings(ssn_enabled=True, ssn_unique=False)
    first = _customer()
    second = _customer(ssn="020202-2222", first_name="Bo")
    Customer.objects.filter(id=second.id).update(ssn_encrypted=first.ssn_encrypted)
    sign_in(receptionist)
    page.goto(f"{live_server.url}/customers/{second.id}/")
    page.get_by_role("button", name="Show the social security number").click()
    page.get_by_role("alert").filter(has_text="cannot be opened").wait_for()
    assert SSN not in page.content()
    assert page.get_by_role("heading", name="Bo Jensen").is_visible()


def test_ssn_typed_into_the_search_box_finds_the_customer_and_stays_out_of_the_url(
    page, live_server, receptionist, sign_in, customer_settings
):
    customer_settings(ssn_enabled=True, ssn_unique=False)
    _customer()
    _customer(ssn="020202-2222", first_name="Eva")
    sign_in(receptionist)
    page.goto(f"{live_server.url}/customers/")
    page.get_by_label("Search customers").fill(SSN)
    page.get_by_label("Search customers").press("Enter")
    page.get_by_text("with that social security number").wait_for()
    assert page.get_by_role("link", name="Jensen, Anna").is_visible()
    assert page.get_by_role("link", name="Jensen, Eva").count() == 0
    assert "ssn=" in page.url
    for digits in ("010190", "1234"):
        assert digits not in page.url
    page.get_by_label("Search customers").fill("eva")
    page.get_by_label("Search customers").press("Enter")
    page.get_by_role("link", name="Jensen, Eva").wait_for()
    assert page.url.endswith("/customers/?q=eva")
