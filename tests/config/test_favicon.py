"""The site's icon: linked from every page and answered at /favicon.ico for anyone, signed
in or not, without a 403 or a logged error (browsers ask for it on every page)."""

import logging

import pytest
from django.contrib.staticfiles import finders


def _assert_favicon(response) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.parametrize("who", ["anonymous", "portal user", "staff"])
def test_favicon_is_answered_for_everyone_without_an_error_logged(
    who, client, client_for, portal_admin, receptionist, caplog
):
    user = {"portal user": portal_admin.portal_user, "staff": receptionist}.get(who)
    browser = client if user is None else client_for(user)
    with caplog.at_level(logging.WARNING):
        response = browser.get("/favicon.ico")
    _assert_favicon(response)
    assert [record.getMessage() for record in caplog.records] == []


def test_pages_link_the_icon(client, db):
    response = client.get("/portal/login/")
    assert b'rel="icon"' in response.content
    assert b"img/favicon.svg" in response.content
    assert finders.find("img/favicon.svg")
