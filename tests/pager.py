"""Following the First / Previous / Next / Last links of a keyset list (keyset_pager.html)."""

import html
import re


def pager_link(content: str, label: str) -> str:
    """The query string of the pager's `label` link, as a browser would follow it."""
    found = re.search(rf'<a class="page-link" href="([^"]*)"[^>]*>{label}<', content)
    assert found, f"no {label} link on the page"
    return html.unescape(found.group(1))
