"""A therapist turns on two-factor sign-in in the browser and then opens a record."""

import base64

from django_otp.oath import TOTP

from records import services
from tests.factories import CustomerFactory


def code_for(secret_text: str) -> str:
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def test_a_therapist_sets_up_an_authenticator_to_open_records(
    page, live_server, therapist, sign_in, screenshot
):
    customer = CustomerFactory(first_name="Ida", last_name="Holm")
    services.record_create(customer=customer, title="Left knee", by=therapist)
    sign_in(therapist)

    page.goto(f"{live_server.url}/customers/{customer.pk}/?tab=record")
    page.get_by_text("open only after you have given a second factor").wait_for()
    assert page.get_by_text("Left knee").count() == 0
    page.get_by_role("link", name="Continue with your authenticator").click()

    page.get_by_role("heading", name="Set up two-factor sign-in").wait_for()
    qr = page.get_by_role("img", name="QR code to add Kartotek to your authenticator app")
    assert qr.evaluate("image => image.naturalWidth") > 0
    secret = page.locator("code").inner_text()
    screenshot("two-factor-setup")
    page.get_by_label("Code").fill(code_for(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    page.get_by_role("heading", name="Your backup codes").wait_for()
    assert page.get_by_role("list", name="Backup codes").get_by_role("listitem").count() == 10
    screenshot("two-factor-backup-codes")
    page.get_by_role("link", name="I have saved them").click()
    page.get_by_role("link", name="Left knee").wait_for()
