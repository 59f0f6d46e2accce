"""Staff sign-in and the second factor."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.tasks import Task
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import tasks
from accounts.models import User
from config.tasks import enqueue_on_commit


class StaffAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing portal users with the same message as a wrong password.

    The same message, so the staff login does not tell who has a portal account.
    """

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if user.is_portal_user:
            raise self.get_invalid_login_error()


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, leaving the e-mail to the worker: `reset_task(user_id, domain,
    protocol)` is enqueued once the request commits (accounts.tasks). `get_users` says who
    gets a link; the task asks it again when it runs.

    An address that is nobody's enqueues the task too, for no one (user_id None): the
    request then does the same work whoever the address belongs to, so its time does not
    tell (bench/password_reset.py: without it, 6 ms against 12 for a known address)."""

    reset_task: Task

    def save(self, *args, **kwargs) -> None:
        self.enqueued = False
        super().save(*args, **kwargs)
        if not self.enqueued:
            enqueue_on_commit(self.reset_task, None, "", "")

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        self.enqueued = True
        enqueue_on_commit(
            self.reset_task, context["user"].pk, context["domain"], context["protocol"]
        )


class StaffPasswordResetForm(QueuedPasswordResetForm):
    """Mails a reset link only to active staff; portal users reset theirs in the portal."""

    reset_task = tasks.send_password_reset

    def get_users(self, email):
        users = User.objects.filter(kind=User.Kind.STAFF, email__iexact=email, is_active=True)
        return (user for user in users if user.has_usable_password())


class SecondFactorForm(forms.Form):
    """A code from the authenticator app, or one of the backup codes."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
    )

    def __init__(self, *args, user, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Setting up: only the new authenticator's code counts. Signing in: any device's.
        self.device = device
        if device is not None:
            self.fields["code"].help_text = "The 6-digit code the app shows for Kartotek."

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).lower()
        device = self.device or _device_for(self.user, code)
        if device is not None:
            allowed, why = device.verify_is_allowed()
            if not allowed and "locked_until" in (why or {}):
                wait = max(1, round((why["locked_until"] - timezone.now()).total_seconds()))
                raise forms.ValidationError(
                    f"Too many wrong codes: wait {wait} second{pluralize(wait)}, then try "
                    "the newest code."
                )
        matched = device and verify_token(self.user, device.persistent_id, code)
        if matched is None:
            raise forms.ValidationError(
                "That code is not right, or was already used. Check the time on your phone "
                "and try the newest code."
            )
        self.matched_device = matched
        return code


def _device_for(user, code: str):
    """Six digits are the authenticator's; anything else may be a backup code. Checking
    one device only keeps each device's own throttling of wrong codes meaningful."""
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    return kind.objects.filter(user=user, confirmed=True).first()
