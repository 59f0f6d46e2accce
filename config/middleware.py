"""Middleware of the whole site that belongs to no app."""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext


class RejectNulInQueryMiddleware:
    """A query string holding a NUL character gets 400 Bad Request, before any view reads it.

    No form, link or search box of ours sends one, and PostgreSQL refuses to store or
    compare text containing it: every view would otherwise have to guard each parameter it
    passes to a query (a search, a log line of the search) against a server error. Form
    posts need no such guard: Django's form fields refuse NUL with a message at the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            raise BadRequest(gettext("The address contains a character that is not allowed."))
        return self.get_response(request)
