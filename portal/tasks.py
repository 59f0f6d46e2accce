"""The portal's background work: the invitation and password reset e-mails (config.tasks)."""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.tasks import reset_link_task
from config.tasks import send_or_retry
from portal.models import PortalAccess
from portal.tokens import invitation_tokens, reset_tokens


@task()
def send_invitation(person_id: str, requested_at: str, site_url: str, attempt: int = 0) -> str:
    """E-mail a one-time link to set a password to the contact person `person_id`, as
    staff (or a portal admin) asked at `requested_at`. Does nothing when that invitation
    went out already (a task run twice) or the access was revoked since."""
    from portal.services import invitation_path

    access = (
        PortalAccess.objects.select_related("person__customer", "person__portal_user")
        # A task's arguments are JSON: the person's UUID comes as its text.
        .filter(person_id=person_id)  # type: ignore[misc]
        .first()
    )
    asked = datetime.fromisoformat(requested_at)
    user = access.person.portal_user if access else None
    if access is None or user is None:
        return "not needed"
    if access.invited is not None and access.invited >= asked:
        return "already sent"
    now = timezone.now()
    context = {
        "person": access.person,
        "customer": access.person.customer,
        "link": site_url + invitation_path(user),
        "expires": invitation_tokens.expires_at(now),
        "login_email": user.username,
        "clinic_name": settings.CLINIC_NAME,
    }
    message = EmailMessage(
        subject=_("Your access to the %(clinic)s customer portal")
        % {"clinic": settings.CLINIC_NAME},
        body=render_to_string("portal/email/invitation.txt", context),
        to=[user.email],
    )
    if not send_or_retry(
        message, task=send_invitation, args=[person_id, requested_at, site_url], attempt=attempt
    ):
        return "to be retried"
    PortalAccess.objects.filter(pk=access.pk).update(invited=now)
    return "sent"


RESET_SUBJECT_TEMPLATE = "portal/email/password_reset_subject.txt"
RESET_BODY_TEMPLATE = "portal/email/password_reset.txt"


@task()
def send_password_reset(user_id: int | None, domain: str, protocol: str, attempt: int = 0) -> str:
    """The portal's reset link (accounts.tasks), for a portal login that may still reset
    (portal.forms.PortalPasswordResetForm's rule)."""
    from portal.forms import PortalPasswordResetForm

    return reset_link_task(
        send_password_reset,
        PortalPasswordResetForm,
        user_id=user_id,
        domain=domain,
        protocol=protocol,
        attempt=attempt,
        subject_template=RESET_SUBJECT_TEMPLATE,
        body_template=RESET_BODY_TEMPLATE,
        token_generator=reset_tokens,
        extra_context={
            "clinic": settings.CLINIC_NAME,
            "valid_hours": settings.PORTAL_PASSWORD_RESET_HOURS,
        },
    )
