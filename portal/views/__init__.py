"""The customer portal's pages, and the staff pages of portal access."""

from django.http import HttpRequest


def site_url(request: HttpRequest) -> str:
    """This site's address ("https://clinic.example"), for links sent by e-mail."""
    return request.build_absolute_uri("/").rstrip("/")
