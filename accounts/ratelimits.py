"""Limits on what anyone can make Kartotek e-mail: password reset links (staff and
portal) and portal invitations sent again.

Counted per client address and per target (the address typed, the person invited) in the
cache by django-ratelimit: every app server sees the same counts when CACHE_URL points at
Redis or memcached (production with several servers), each process its own otherwise.
Each request counts against both limits, so a refusal does not depend on whether the
address belongs to anybody. (Sign-in attempts are throttled apart, by django-axes, in
the database.)
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from accounts.network import client_ip

RESET_PER_ADDRESS = "3/h"
RESET_PER_CLIENT = "20/h"
INVITE_PER_PERSON = "3/h"
INVITE_PER_CLIENT = "30/h"

RESET_LIMITED = _(
    "Too many reset links were asked for just now. Wait an hour, then ask again; the links "
    "already sent keep working."
)
INVITE_LIMITED = _(
    "Too many invitations went to this person just now. Wait an hour before sending "
    "another; the ones already sent keep working."
)


def _over(request: HttpRequest, group: str, key: str, rate: str) -> bool:
    return is_ratelimited(
        request, group=group, key=lambda _group, _request: key, rate=rate, increment=True
    )


def _over_both(request: HttpRequest, group: str, target: str, rates: tuple[str, str]) -> bool:
    by_target = _over(request, f"{group}-target", target, rates[0])
    by_client = _over(request, f"{group}-client", client_ip(request), rates[1])
    return by_target or by_client


def reset_limited(request: HttpRequest, email: str) -> bool:
    """Count a reset asked for `email`; whether it is one too many."""
    return _over_both(
        request, "password-reset", email.strip().lower(), (RESET_PER_ADDRESS, RESET_PER_CLIENT)
    )


def invitation_limited(request: HttpRequest, person_id) -> bool:
    """Count an invitation sent again to contact person `person_id`; whether it is one too
    many."""
    return _over_both(
        request, "portal-invite", str(person_id), (INVITE_PER_PERSON, INVITE_PER_CLIENT)
    )
