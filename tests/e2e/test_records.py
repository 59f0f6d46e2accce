"""A therapist keeps a record in the browser: the rich-text editor works offline under the
CSP, a table from a record group's template survives, and delete asks first."""

from records.models import Entry, RecordGroup
from tests.factories import CustomerFactory, authenticator


def test_a_therapist_writes_an_entry_with_the_editor_from_a_template(
    page, live_server, therapist, sign_in, screenshot, customer_settings
):
    customer_settings(record_editor_enabled=True, records_addon_enabled=True)
    RecordGroup.objects.create(
        name="Initial assessment",
        rich_text=True,
        template="<h3>Findings</h3><table><tbody><tr><td>Range of motion</td><td>95°</td></tr>"
        "</tbody></table><p></p>",
    )
    customer = CustomerFactory(first_name="Ida", last_name="Holm")
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    authenticator(therapist)
    sign_in(therapist)

    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.get_by_role("link", name="Record", exact=True).click()
    page.get_by_text("Ida Holm has no records yet.").wait_for()
    page.get_by_role("link", name="New record").click()
    page.get_by_label("Title").fill("Physiotherapy, left knee")
    page.get_by_role("button", name="Create record").click()
    page.get_by_text("Record “Physiotherapy, left knee” created.").wait_for()

    page.get_by_role("button", name="New entry").click()
    page.get_by_role("link", name="Initial assessment").click()
    editor = page.frame_locator(".tox-edit-area iframe").locator("body")
    editor.get_by_text("Range of motion").wait_for()
    editor.locator("p").last.click()
    page.keyboard.type("Swelling on the medial side.")
    screenshot("editor")
    page.get_by_role("button", name="Add entry").click()
    page.get_by_text("Entry “Initial assessment” added.").wait_for()

    entry = Entry.objects.get()
    assert entry.rich_text
    assert "<table>" in entry.body and "Swelling on the medial side." in entry.body
    cell = page.locator(".entry-body table td", has_text="Range of motion")
    assert cell.is_visible()
    assert not [text for text in problems if "Content Security Policy" in text], problems
    screenshot("tab")


def test_deleting_an_entry_asks_first(page, live_server, therapist, sign_in, customer_settings):
    from records import services

    customer_settings(record_editor_enabled=False, records_addon_enabled=True)
    customer = CustomerFactory(first_name="Ida", last_name="Holm")
    record = services.record_create(customer=customer, title="Knee", by=therapist)
    services.entry_create(record=record, title="Mistaken note", body="Wrong patient", by=therapist)
    authenticator(therapist)
    sign_in(therapist)
    page.goto(f"{live_server.url}/customers/{customer.pk}/?tab=record")
    page.get_by_role("link", name="Delete Mistaken note").click()
    page.get_by_role("heading", name="Delete the entry “Mistaken note”?").wait_for()
    page.get_by_role("button", name="Delete entry").click()
    page.get_by_text("Entry “Mistaken note” deleted.").wait_for()
    assert not Entry.objects.exists()
