"""The customer list in the browser: the search box's hint is readable whole, at 1280 px
and at 390 px."""

import pytest

from tests.factories import CustomerFactory

# The hint typed in as text overflows the box exactly when the hint itself is cut off
# (the text then also shares the box with the search field's clear button).
PLACEHOLDER_FITS = """input => {
  input.value = input.placeholder;
  const sizes = {needed: input.scrollWidth, room: input.clientWidth};
  input.value = "";
  return sizes;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_search_placeholder_is_not_cut_off(
    page, live_server, receptionist, sign_in, screenshot, width
):
    CustomerFactory(first_name="Anna", last_name="Jensen", phone="+4520123456")
    sign_in(receptionist)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/customers/")
    search = page.get_by_label("Search customers")
    sizes = search.evaluate(PLACEHOLDER_FITS)
    screenshot(f"{width}px")
    assert sizes["needed"] <= sizes["room"], sizes
    # Nor does the page scroll sideways to show it.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
