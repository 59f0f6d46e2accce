"""Small and wide screens: at 390 px no main page scrolls sideways (tables keep their Actions
reachable, forms fit) and the customer profile shows its tabs before its details panel; at
1280 px forms stay at a readable width. Every main page is saved as a 390 px and a 1280 px
screenshot in test-artifacts/ for a person to look at."""

from tests.e2e.accessibility import blocking_violations
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.main_pages import SIGNED_OUT_PAGES, main_portal_pages, main_staff_pages
from tests.factories import CustomerFactory, authenticator

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCROLL_WIDTH = "document.scrollingElement.scrollWidth"
READABLE_FORM_WIDTH = 720
# The widths of the visible forms with fields to fill in (not the buttons-only ones).
FORM_WIDTHS = """() => [...document.querySelectorAll("main form")]
  .filter(form => form.checkVisibility()
    && form.querySelector("input:not([type=hidden]):not([type=submit]), select, textarea"))
  .map(form => Math.round(form.getBoundingClientRect().width))"""
# The Actions buttons of table rows that are not wholly on the screen.
ACTIONS_OFF_SCREEN = """() => [...document.querySelectorAll("table .dropdown-toggle")]
  .filter(button => {
    const box = button.getBoundingClientRect();
    return box.left < 0 || box.right > window.innerWidth || box.width === 0;
  }).map(button => button.textContent.trim())"""


def _misfits(page, base_url, pages) -> dict[str, str]:
    """Visits each page at 390 and 1280 px and saves both screenshots; returns what does not
    fit, by page: wider than the phone, a row's Actions off its screen, an accessibility
    violation of the phone layout, a form too wide on the desktop."""
    ARTIFACTS.mkdir(exist_ok=True)
    found = {}
    for name, path in pages:
        page.set_viewport_size(PHONE)
        response = page.goto(f"{base_url}{path}")
        assert response.status == 200, (name, response.status)
        if (width := page.evaluate(SCROLL_WIDTH)) > PHONE["width"]:
            found[name] = f"{width} px wide at 390 px"
        elif actions := page.evaluate(ACTIONS_OFF_SCREEN):
            found[name] = f"{actions} off the screen at 390 px"
        elif violations := blocking_violations(page):  # stacked tables, collapsed menus
            found[name] = f"{violations} at 390 px"
        page.screenshot(path=str(ARTIFACTS / f"screen-390-{name}.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        if wide := [w for w in page.evaluate(FORM_WIDTHS) if w > READABLE_FORM_WIDTH]:
            found[name] = f"forms {wide} px wide at 1280 px"
        page.screenshot(path=str(ARTIFACTS / f"screen-1280-{name}.png"), full_page=True)
    return found


def test_main_staff_pages_fit_a_390px_screen(
    page, live_server, administrator, sign_in, customer_settings
):
    customer_settings(show_contacts=True, records_addon_enabled=True)
    pages = main_staff_pages(by=administrator)
    authenticator(administrator)
    sign_in(administrator)
    assert _misfits(page, live_server.url, pages) == {}


def test_main_portal_pages_fit_a_390px_screen(page, live_server, portal_admin, portal_sign_in):
    pages = main_portal_pages(portal_admin)
    portal_sign_in(portal_admin)
    assert _misfits(page, live_server.url, pages) == {}


def test_sign_in_pages_fit_a_390px_screen(page, live_server, db):
    assert _misfits(page, live_server.url, SIGNED_OUT_PAGES) == {}


def test_the_customer_profile_shows_its_tabs_before_its_details_on_a_phone(
    page, live_server, receptionist, sign_in
):
    customer = CustomerFactory(first_name="Ida", last_name="Holm")
    sign_in(receptionist)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/customers/{customer.id}/")
    tabs = page.locator(".nav-tabs").bounding_box()
    details = page.get_by_role("complementary", name="Customer details").bounding_box()
    assert tabs["y"] + tabs["height"] <= details["y"]
    page.set_viewport_size(DESKTOP)  # side by side, details on the right
    tabs = page.locator(".nav-tabs").bounding_box()
    details = page.get_by_role("complementary", name="Customer details").bounding_box()
    assert tabs["x"] + tabs["width"] <= details["x"]
