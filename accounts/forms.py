"""Staff sign-in."""

from django.contrib.auth.forms import AuthenticationForm


class StaffAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing portal users with the same message as a wrong password.

    The same message, so the staff login does not tell who has a portal account.
    """

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if user.is_portal_user:
            raise self.get_invalid_login_error()
