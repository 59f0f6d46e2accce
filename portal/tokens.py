"""One-time links that let a portal user set a password: the invitation and the reset.

Django's password-reset token, with its own salt and lifetime per purpose. A token is
bound to the user's password hash and last login, so it stops working once used.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class ExpiringTokenGenerator(PasswordResetTokenGenerator):
    def __init__(self, *, purpose: str, lifetime: timedelta):
        super().__init__()
        self.key_salt = f"kartotek.portal.{purpose}"
        self.lifetime = lifetime

    def _now(self) -> datetime:
        # UTC: Django's naive local time would stretch or shorten a link's life by an hour
        # across a daylight-saving change.
        return datetime.now(UTC).replace(tzinfo=None)

    def check_token(self, user, token) -> bool:
        # Django's check_token applies the global PASSWORD_RESET_TIMEOUT; each purpose
        # here has its own lifetime, so the same checks are made against that.
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        genuine = any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )
        age = self._num_seconds(self._now()) - timestamp
        return genuine and 0 <= age <= self.lifetime.total_seconds()

    def expires_at(self, issued):
        return issued + self.lifetime


invitation_tokens = ExpiringTokenGenerator(
    purpose="invitation", lifetime=timedelta(days=settings.PORTAL_INVITATION_DAYS)
)
reset_tokens = ExpiringTokenGenerator(
    purpose="password-reset", lifetime=timedelta(hours=settings.PORTAL_PASSWORD_RESET_HOURS)
)
