"""The client's address, for login throttling and logs.

Behind a reverse proxy, settings.CLIENT_IP_HEADER names the header the proxy overwrites
with the client's address (e.g. HTTP_X_REAL_IP). We never read the left-most
X-Forwarded-For entry: the client writes that one itself, so rotating it would dodge
throttling.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    header = settings.CLIENT_IP_HEADER
    if header:
        candidate = request.META.get(header, "").strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass  # the proxy did not set it: fall back to the connection's address
    return request.META.get("REMOTE_ADDR", "")
