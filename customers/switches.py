"""Pages of a feature that a back-end setting switches on and off (Back-end › Customer)."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from customers.models import CustomerSettings

View = Callable[..., HttpResponseBase]


def switched_on(flag: str, reason: str) -> Callable[[View], View]:
    """A view that answers 404 while the setting `flag` is off, before anything else (method,
    permission) is looked at, whoever asks: a switched-off feature leaves no trace."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            if not getattr(CustomerSettings.for_request(request), flag):
                raise Http404(reason)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
