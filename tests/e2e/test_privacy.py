"""An administrator answers a GDPR access request and an erasure request in the browser."""

import io
import zipfile

from contacts.models import ContactPerson
from privacy.models import ErasureRequest, SubjectExport
from tests.factories import ContactPersonFactory, CustomerFactory, authenticator


def test_an_administrator_exports_a_customer_and_erases_a_contact_person(
    page, live_server, administrator, sign_in, screenshot
):
    customer = CustomerFactory(first_name="Ida", last_name="Holm", email="ida@holm.example")
    ContactPersonFactory(customer=customer, first_name="Ole", last_name="Holm")
    authenticator(administrator)
    sign_in(administrator)

    page.goto(f"{live_server.url}/customers/{customer.pk}/?tab=privacy")
    page.get_by_role("heading", name="Privacy").wait_for()
    screenshot("privacy-tab")
    page.get_by_role("link", name="Export all data of Ida Holm").click()
    page.get_by_label("Why is the data exported?").fill("Access request by letter of 20 Nov")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export and download").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert {"data.json", "summary.html", "README.txt"} <= set(archive.namelist())
    assert b"ida@holm.example" in archive.read("data.json")
    assert SubjectExport.objects.get().reason == "Access request by letter of 20 Nov"

    page.goto(f"{live_server.url}/customers/{customer.pk}/?tab=privacy")
    page.get_by_role("link", name="Erase Ole Holm").click()
    screenshot("erase-person")
    page.get_by_label("Request received on").fill("2026-11-20")
    page.get_by_role("button", name="Erase contact person").click()
    page.get_by_text("Ole Holm has been erased from Ida Holm's contact persons.").wait_for()
    assert not ContactPerson.objects.filter(customer=customer).exists()
    assert ErasureRequest.objects.count() == 1
