"""Keyboard use: Tab reaches every control of a page, each one shows where the focus is (an
outline), and a row's Actions menu is opened and used with the keyboard alone."""

from tests.factories import ContactPersonFactory, CustomerFactory

# Marks the focused element as reached and tells how its focus is drawn.
FOCUSED = """() => {
  const el = document.activeElement;
  if (el === document.body) return {name: "", outline: true};  // Tab left the page
  el.dataset.reached = "yes";
  const style = getComputedStyle(el);
  return {
    name: (el.innerText || el.getAttribute("aria-label") || el.name || el.tagName).trim(),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""
# The visible controls Tab never reached.
NOT_REACHED = """() => [...document.querySelectorAll(
  "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea"
)].filter(el => el.checkVisibility() && el.getClientRects().length && !el.dataset.reached)
  .map(el => el.outerHTML.slice(0, 120))"""


def _tab_through(page, stops: int) -> list[str]:
    """Presses Tab `stops` times; returns the controls whose focus had no visible outline."""
    unmarked = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["outline"]:
            unmarked.append(focused["name"])
    return unmarked


def _count_controls(page) -> int:
    return len(page.evaluate(NOT_REACHED.replace("&& !el.dataset.reached", "")))


def test_every_control_of_the_persons_tab_is_reached_by_tab_with_a_visible_focus(
    page, live_server, receptionist, sign_in
):
    customer = CustomerFactory(first_name="Bo", last_name="Berg")
    ContactPersonFactory(customer=customer, first_name="Ida", last_name="Holm")
    sign_in(receptionist)
    page.goto(f"{live_server.url}/customers/{customer.id}/?tab=persons")

    assert _tab_through(page, _count_controls(page) + 1) == []
    assert page.evaluate(NOT_REACHED) == []


def test_a_contact_is_edited_from_its_actions_menu_with_the_keyboard_alone(
    page, live_server, portal_admin, portal_sign_in
):
    portal_sign_in(portal_admin)
    page.goto(f"{live_server.url}/portal/contacts/")

    assert _tab_through(page, _count_controls(page) + 1) == []
    assert page.evaluate(NOT_REACHED) == []
    page.get_by_role("button", name="Actions for Ada Admin").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")  # View
    page.keyboard.press("ArrowDown")  # Edit
    assert page.evaluate(FOCUSED)["name"] == "Edit"
    assert page.evaluate(FOCUSED)["outline"]
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Edit Contact").wait_for()
