"""A portal user signs in, searches the contacts, adds one, edits it from its View page and
deletes another through the Confirm Delete pop-up."""

from django.core.management import call_command

from contacts.models import ContactPerson
from tests.factories import ContactPersonFactory


def test_portal_user_manages_contacts(page, live_server, portal_admin, password, screenshot):
    customer = portal_admin.customer
    ContactPersonFactory(customer=customer, title="Mr", first_name="Ole", last_name="Lund")
    ContactPersonFactory(customer=customer, first_name="Gitte", last_name="Gone")

    page.goto(f"{live_server.url}/portal/login/")
    page.get_by_label("Email address").fill("ADA@nordlys.example")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome, Ada").wait_for()
    screenshot("home")

    page.get_by_role("button", name="Account").click()
    page.get_by_role("link", name="Search Contacts").click()
    page.get_by_label("Name").fill("lund")
    page.get_by_label("Name").press("Enter")
    page.get_by_text("1 contact found.").wait_for()
    assert page.get_by_role("link", name="Ole Lund").is_visible()
    assert not page.get_by_role("link", name="Gitte Gone").is_visible()

    page.get_by_role("link", name="Contacts", exact=True).first.click()
    page.get_by_role("link", name="Add Contact").click()
    page.get_by_label("Title").select_option("Ms")
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Surname").fill("Ny")
    page.get_by_role("textbox", name="Email").fill("nina@nordlys.example")
    page.get_by_label("Access reports").check()
    screenshot("add-contact")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Ms Nina Ny saved.").wait_for()
    nina = ContactPerson.objects.get(last_name="Ny")
    assert nina.portal_access.permissions == {"access_reports"}

    page.get_by_role("link", name="Nina Ny").click()
    page.get_by_role("heading", name="Account information").wait_for()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Description or position").fill("Bookkeeper")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Ms Nina Ny saved.").wait_for()
    assert page.url.endswith(f"/portal/contacts/{nina.pk}/")  # back where the edit began
    assert page.get_by_text("Bookkeeper").is_visible()

    page.goto(f"{live_server.url}/portal/contacts/")
    page.get_by_role("button", name="Actions for Gitte Gone").click()
    page.get_by_role("link", name="Delete").click()
    dialog = page.get_by_role("dialog", name="Confirm Delete")
    dialog.get_by_text("Gitte Gone").wait_for()
    screenshot("confirm-delete")
    dialog.get_by_role("button", name="Yes").click()
    page.get_by_text("Gitte Gone deleted.").wait_for()
    assert not ContactPerson.objects.filter(last_name="Gone").exists()
    page.get_by_role("button", name="Actions for Ada Admin").click()
    assert page.get_by_role("link", name="Delete").count() == 0  # never oneself
    screenshot("contacts")


def test_staff_grant_portal_access_from_the_persons_page(
    page, live_server, receptionist, sign_in, screenshot, mailoutbox
):
    person = ContactPersonFactory(first_name="Nina", last_name="Ny", email="nina@example.dk")
    sign_in(receptionist)
    page.goto(f"{live_server.url}/contacts/persons/{person.pk}/")
    page.get_by_role("link", name="Grant portal access").click()
    page.get_by_label("Access billing").check()
    page.get_by_label("Create work order").check()
    screenshot("grant")
    page.get_by_role("button", name="Grant access and send invitation").click()
    page.get_by_text("an invitation is on its way to nina@example.dk").wait_for()
    page.get_by_text("Signs in as nina@example.dk").wait_for()
    screenshot("person-page")
    person.refresh_from_db()
    assert person.portal_access.permissions == {"access_billing", "create_work_order"}
    assert mailoutbox == []  # the worker sends it, not the request
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [message.to for message in mailoutbox] == [["nina@example.dk"]]
