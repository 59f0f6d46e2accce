"""Keeps portal users out of the staff side of Kartotek."""

from django.conf import settings
from django.core.exceptions import PermissionDenied

# Where the customer portal lives (config/urls.py mounts it here).
PORTAL_PREFIX = "/portal/"
# What a signed-in portal user may reach: the portal, and these few paths outside it.
PORTAL_USER_PATHS = (PORTAL_PREFIX, "/healthz", "/accounts/logout/", f"/{settings.STATIC_URL}")


class PortalUserBoundaryMiddleware:
    """A signed-in portal user gets 403 on every staff page and on the admin.

    Staff views check permissions too, but a portal user holds none; this makes the boundary
    structural, so a staff page that forgets a permission check still stays closed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.is_portal_user
            and not request.path.startswith(PORTAL_USER_PATHS)
        ):
            raise PermissionDenied("Portal users cannot open staff pages.")
        return self.get_response(request)
