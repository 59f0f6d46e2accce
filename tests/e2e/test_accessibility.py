"""axe-core finds no serious or critical WCAG 2.2 AA violation on the main staff and portal
pages, and the keyboard shows where it is (a visible focus outline)."""

from tests.e2e.accessibility import blocking_violations
from tests.e2e.main_pages import SIGNED_OUT_PAGES, main_portal_pages, main_staff_pages
from tests.factories import authenticator


def _violations_on(page, base_url, pages) -> dict[str, list[str]]:
    found = {}
    for name, path in pages:
        response = page.goto(f"{base_url}{path}")
        assert response.status == 200, (name, response.status)
        if violations := blocking_violations(page):
            found[name] = violations
    return found


def test_main_staff_pages_have_no_serious_accessibility_violations(
    page, live_server, administrator, sign_in, customer_settings
):
    customer_settings(show_contacts=True, records_addon_enabled=True)
    pages = main_staff_pages(by=administrator)
    authenticator(administrator)
    sign_in(administrator)
    assert _violations_on(page, live_server.url, pages) == {}


def test_main_portal_pages_have_no_serious_accessibility_violations(
    page, live_server, portal_admin, portal_sign_in
):
    pages = main_portal_pages(portal_admin)
    portal_sign_in(portal_admin)
    assert _violations_on(page, live_server.url, pages) == {}


def test_sign_in_pages_have_no_serious_accessibility_violations(page, live_server, db):
    assert _violations_on(page, live_server.url, SIGNED_OUT_PAGES) == {}
