"""What happens at sign-in: the session's timeout stamps and whether a second factor is due."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts import two_factor
from accounts.middleware import stamp_session
from accounts.models import SecuritySettings


@receiver(user_logged_in, dispatch_uid="accounts.session_signed_in")
def session_signed_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    stamp_session(request.session, time.time())
    if not user.is_portal_user:
        two_factor.remember_authenticator(request.session, user)
        # Read on every request until the second factor is given; cached from here on.
        SecuritySettings.load()
