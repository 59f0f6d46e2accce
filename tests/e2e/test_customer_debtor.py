"""Staff choose a customer's debtor by typing part of its name."""

from customers.models import Customer
from tests.factories import CustomerFactory, DebtorFactory


def test_debtor_is_found_by_typing_and_chosen(page, live_server, receptionist, sign_in, screenshot):
    customer = CustomerFactory(first_name="Anna", last_name="Jensen")
    DebtorFactory(name="Tryg Forsikring")
    DebtorFactory(name="Fjord A/S")
    sign_in(receptionist)
    page.goto(f"{live_server.url}/customers/{customer.id}/")
    page.get_by_role("link", name="Choose").first.click()
    page.get_by_label("Search by name, number, email, VAT or EAN").fill("tryg")
    page.get_by_role("button", name="Choose Fjord A/S").wait_for(state="detached")
    page.get_by_role("button", name="Choose Tryg Forsikring").click()
    page.get_by_text("Debtor set to Tryg Forsikring.").wait_for()
    screenshot("profile-with-debtor")
    assert Customer.objects.get().debtor.name == "Tryg Forsikring"
