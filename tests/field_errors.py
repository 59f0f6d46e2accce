"""Reading a rendered form: the errors shown next to one field (crispy-bootstrap5's
`<div id="id_<field>_error" class="invalid-feedback">`)."""

import re
from html import unescape


def field_errors(html: str, field: str) -> str:
    """The text of the errors shown at `field` ("" when none)."""
    found = re.search(rf'<div id="id_{field}_error"[^>]*>(.*?)</div>', html, re.DOTALL)
    if found is None:
        return ""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())
