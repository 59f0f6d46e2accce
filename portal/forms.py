"""Forms of the customer portal, and the portal-access form staff use too."""

from datetime import timedelta

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from accounts.forms import QueuedPasswordResetForm
from accounts.models import User
from portal import tasks
from portal.access import may_use_portal, portal_person_of
from portal.models import PERMISSION_HELP, Permission, PortalAccess
from portal.services import AccessChange


class PortalAuthenticationForm(AuthenticationForm):
    """Sign-in with the e-mail address; staff logins are refused with the same message as a
    wrong password, so the page does not tell who works at the clinic."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The email address and password do not match a portal login.",
        "switched_off": "Your portal access is switched off. Ask your contact at the clinic.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update({"type": "email", "autocomplete": "email"})

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_portal_user:
            raise self.get_invalid_login_error()
        if not may_use_portal(portal_person_of(user)):
            raise forms.ValidationError(self.error_messages["switched_off"], code="switched_off")


class PortalPasswordResetForm(QueuedPasswordResetForm):
    """Mails a reset link only to portal logins in use; the page answers the same for any
    address, known or not (the worker sends it: portal.tasks)."""

    reset_task = tasks.send_password_reset

    def get_users(self, email):
        users = User.objects.filter(
            kind=User.Kind.PORTAL,
            email__iexact=email,
            is_active=True,
            contact_person__is_active=True,
            contact_person__portal_access__isnull=False,
        )
        return (user for user in users if user.has_usable_password())


class PortalPermissionsForm(forms.Form):
    """A contact person's portal login and permissions.

    `assignable` are the permissions the signed-in user may change; the others are shown
    but disabled, so a posted value for them is ignored (and the service refuses it too).
    """

    login = forms.BooleanField(
        label="Can sign in to the customer portal",
        required=False,
        help_text="An invitation to set a password is sent to the contact's email address.",
    )

    def __init__(
        self,
        *args,
        access: PortalAccess | None,
        assignable: frozenset[str],
        with_login: bool = True,
        **kwargs,
    ):
        initial = {"login": access is not None}
        granted = access.granted_permissions if access else frozenset()
        initial.update({p: p in granted for p in Permission.values})
        # Callers give data (and files) by position, never initial.
        super().__init__(*args, initial=initial, **kwargs)  # type: ignore[misc]
        for permission in Permission:
            self.fields[permission.value] = forms.BooleanField(
                label=permission.label,
                required=False,
                help_text=PERMISSION_HELP[permission],
                disabled=permission.value not in assignable,
            )
        # Granting or revoking the login is itself a permission change.
        self.fields["login"].disabled = not assignable
        if not with_login:  # the page grants and revokes the login by its own buttons
            del self.fields["login"]

    def change(self) -> AccessChange:
        data = self.cleaned_data
        return AccessChange(
            login=data.get("login", True),
            permissions=frozenset(p for p in Permission.values if data[p]),
        )


class AppointmentRequestForm(forms.Form):
    FURTHEST_AHEAD = timedelta(days=365)

    service = forms.CharField(
        label="What is the appointment for?",
        max_length=200,
        help_text="E.g. a follow-up consultation, or the treatment you want.",
    )
    start = forms.DateTimeField(
        label="Preferred date and time",
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="The clinic confirms the time, or suggests another.",
    )
    note = forms.CharField(
        label="Message to the clinic",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        now = timezone.now()
        if start <= now:
            raise forms.ValidationError("Choose a time in the future.")
        if start > now + self.FURTHEST_AHEAD:
            raise forms.ValidationError("Choose a time within the next 12 months.")
        return start
