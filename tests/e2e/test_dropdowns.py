"""Dropdown menus inside tables: the Actions menu of a table with a single row opens whole
and its items can be clicked (the table's scrolling wrapper used to cut it off)."""

from tests.factories import ContactPersonFactory, CustomerFactory

# True when the element's centre, as it is on screen now, is the element itself: nothing
# (no clipping container, no other element) covers it, so a person can click it.
IS_CLICKABLE_WHERE_IT_IS = """el => {
  const box = el.getBoundingClientRect();
  const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return box.width > 0 && box.height > 0 && (hit === el || el.contains(hit));
}"""


def test_edit_is_clicked_from_the_actions_menu_of_a_one_row_persons_tab(
    page, live_server, receptionist, sign_in
):
    customer = CustomerFactory(first_name="Bo", last_name="Berg")
    ContactPersonFactory(customer=customer, first_name="Ida", last_name="Holm")
    sign_in(receptionist)
    page.goto(f"{live_server.url}/customers/{customer.id}/?tab=persons")

    page.get_by_role("button", name="Actions for Ida Holm").click()
    edit = page.locator(".dropdown-menu.show").get_by_role("link", name="Edit", exact=True)
    edit.wait_for()
    assert edit.evaluate(IS_CLICKABLE_WHERE_IT_IS)
    edit.click()
    page.get_by_role("heading", name="Edit Ida Holm").wait_for()


def test_edit_is_clicked_from_the_actions_menu_of_a_one_row_portal_contact_list(
    page, live_server, portal_admin, portal_sign_in
):
    portal_sign_in(portal_admin)
    page.goto(f"{live_server.url}/portal/contacts/")

    page.get_by_role("button", name="Actions for Ada Admin").click()
    edit = page.locator(".dropdown-menu.show").get_by_role("link", name="Edit", exact=True)
    edit.wait_for()
    assert edit.evaluate(IS_CLICKABLE_WHERE_IT_IS)
    edit.click()
    page.get_by_role("button", name="Save").wait_for()
    assert page.url.split("?")[0].endswith(f"/portal/contacts/{portal_admin.pk}/edit/")
