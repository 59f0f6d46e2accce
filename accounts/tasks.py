"""Accounts' background work: password reset e-mails (config.tasks).

The reset pages only enqueue (accounts.forms.QueuedPasswordResetForm), so they answer as
fast for an address nobody has as for a real one and never wait on the mail server. The
worker writes the e-mail: a fresh one-time link for a user who may still reset. A second
run sends a second link, as good as the first and ended by the same password change.
"""

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import EmailMessage
from django.tasks import Task, task
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from config.tasks import send_or_retry

SUBJECT_TEMPLATE = "accounts/email/password_reset_subject.txt"
BODY_TEMPLATE = "accounts/email/password_reset.txt"


def password_reset_message(
    user: User,
    *,
    domain: str,
    protocol: str,
    subject_template: str,
    body_template: str,
    token_generator: PasswordResetTokenGenerator,
    extra_context: dict | None = None,
) -> EmailMessage:
    """The reset e-mail Django's PasswordResetForm would send, with the same context."""
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": token_generator.make_token(user),
        "protocol": protocol,
        **(extra_context or {}),
    }
    subject = "".join(render_to_string(subject_template, context).splitlines())
    return EmailMessage(subject, render_to_string(body_template, context), to=[user.email])


def reset_link_task(
    task: Task,
    form_class: type[PasswordResetForm],
    *,
    user_id: int | None,
    domain: str,
    protocol: str,
    attempt: int,
    **message,
) -> str:
    """The body of a reset task: e-mail `user_id` the link that `message` describes
    (password_reset_message's keywords) if `form_class` still gives them one."""
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None or user not in form_class().get_users(user.email):
        return "not needed"
    email = password_reset_message(user, domain=domain, protocol=protocol, **message)
    sent = send_or_retry(email, task=task, args=[user_id, domain, protocol], attempt=attempt)
    return "sent" if sent else "to be retried"


@task()
def send_password_reset(user_id: int | None, domain: str, protocol: str, attempt: int = 0) -> str:
    """The staff reset link, for a staff member who may still reset (the form's rule)."""
    from accounts.forms import StaffPasswordResetForm

    return reset_link_task(
        send_password_reset,
        StaffPasswordResetForm,
        user_id=user_id,
        domain=domain,
        protocol=protocol,
        attempt=attempt,
        subject_template=SUBJECT_TEMPLATE,
        body_template=BODY_TEMPLATE,
        token_generator=default_token_generator,
    )
