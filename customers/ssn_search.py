"""A social security number typed into a search, kept out of URLs and logs.

A search term travels in the URL (browser history, the web server's access log, the
export log's "which search"), and a whole SSN must never be in any of them. So a term
shaped like one (looks_like_ssn) is looked up through the blind index instead: the
search form posts it, and the list is then shown at a URL carrying `ssn=<token>`, the
blind index in URL-safe base64. The token finds exactly the customers with that number
and, without SSN_INDEX_KEY, tells nothing about it. Where a search is written down (the
export log) an SSN-shaped term is stored masked, beside its blind index.
"""

import base64
import binascii
import re

from config import crypto

MASKED_SSN = "••••••-••••"
# Ten digits once spaces and dashes are gone (the Danish CPR number, DDMMYY-NNNN), not
# written as an international phone number (a leading +).
SSN_DIGITS = re.compile(r"[0-9]{10}")
INDEX_BYTES = 32  # HMAC-SHA256


def looks_like_ssn(text: str) -> bool:
    text = text.strip()
    return not text.startswith("+") and bool(
        SSN_DIGITS.fullmatch(crypto.normalise_identifier(text))
    )


def token_for(ssn: str) -> str:
    """The opaque value that stands for `ssn` (not empty) in a URL."""
    return token_for_index(crypto.blind_index(ssn) or b"")


def index_for_token(token: str) -> bytes | None:
    """The blind index a token carries; None when it is not one (typed, cut short)."""
    try:
        index = base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4))
    except (UnicodeEncodeError, binascii.Error, ValueError):
        return None
    return index if len(index) == INDEX_BYTES else None


def token_for_index(index: bytes) -> str:
    return base64.urlsafe_b64encode(bytes(index)).rstrip(b"=").decode("ascii")
