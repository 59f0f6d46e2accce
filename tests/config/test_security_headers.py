"""Every page carries the security headers; no inline script is allowed."""


def test_pages_send_csp_without_inline_scripts(client, db):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_pages_deny_framing_and_sniffing(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_templates_contain_no_inline_script_or_style():
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    offenders = [
        path.name
        for path in templates.rglob("*.html")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=\"", path.read_text())
    ]
    assert offenders == []


def _assert_security_headers(response) -> None:
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_portal_user_refused_on_a_staff_page_gets_the_security_headers(client_for, portal_admin):
    response = client_for(portal_admin.portal_user).get("/customers/")
    assert response.status_code == 403
    _assert_security_headers(response)


def test_sign_in_redirect_of_a_staff_page_carries_the_security_headers(client, db):
    response = client.get("/customers/")
    assert response.status_code == 302
    _assert_security_headers(response)


def test_second_factor_redirect_carries_the_security_headers(client_for, administrator):
    from accounts.models import SecuritySettings

    SecuritySettings(require_two_factor=True).save()
    response = client_for(administrator).get("/customers/")
    assert response.status_code == 302
    _assert_security_headers(response)
