"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Skipped, with the reason, when /usr/bin/chromium is missing (`.ci/run` installs it, and
sets KARTOTEK_REQUIRE_BROWSER=1 so that there a missing browser fails instead).
Screenshots go to test-artifacts/ for a human to look at.
"""

import os
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import totp_code

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in the test's thread; Django then refuses ORM
# calls from it unless told that this thread is not serving async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)
            # The live server's threads must see the test's data: committed transactions,
            # also for fixtures that ask for `db`.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium (as .ci/run does)"
        if os.environ.get("KARTOTEK_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """screenshot("name"): save the page as test-artifacts/<test>-<name>.png."""

    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def sign_in(page, live_server, password):
    """sign_in(user): sign in through the login page as that user, with the code of the
    user's authenticator when they have one."""

    def go(user) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            page.get_by_label("Code").fill(totp_code(device))
            page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Sign out").wait_for()

    return go


@pytest.fixture
def portal_sign_in(page, live_server, password):
    """portal_sign_in(person): sign in to the customer portal as that contact person."""

    def go(person) -> None:
        page.goto(f"{live_server.url}/portal/login/")
        page.get_by_label("Email address").fill(person.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("button", name="Sign out").wait_for()

    return go
