"""Small helpers about requests shared by the staff side and the portal."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind the login, for the type checker only (no request is ever
    made of this class): its user is signed in, and django_htmx's middleware adds `htmx`."""

    user: "User"
    htmx: HtmxDetails


def local_url(request: HttpRequest, url: str | None) -> str | None:
    """`url` when it is the path of a page of this site (safe to send the user on to, as a
    "next" parameter asks), else None."""
    if not url or not url.startswith("/"):
        # Not a path: redirect() would take a bare word for the name of a URL pattern.
        return None
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else None
