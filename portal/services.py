"""Granting, changing and revoking portal access, and the invitation e-mail.

Staff and portal admins both come through `portal_access_update`; the rule of who may
grant what (portal.models.PortalAccess.assignable) is checked here, whatever form was
shown, so a crafted post cannot grant a permission.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import User
from config.tasks import enqueue_on_commit
from contacts.models import ContactPerson
from contacts.services import check_login_email
from portal import tasks
from portal.models import Permission, PortalAccess
from portal.tokens import invitation_tokens


@dataclass(frozen=True)
class AccessChange:
    login: bool
    permissions: frozenset[str]


def _check_may_change(
    *, person: ContactPerson, change: AccessChange, actor: PortalAccess | None
) -> None:
    """A portal user (actor) changes only others' permissions, only with Admin access, and
    only permissions they hold. Staff (actor None) have passed their permission check."""
    if actor is None:
        return
    if not actor.may_change_permissions_of(person):
        raise PermissionDenied("You cannot change this contact's portal permissions.")
    current = getattr(person, "portal_access", None)
    before = current.granted_permissions if current else frozenset()
    if not (change.permissions ^ before) <= actor.assignable:
        raise PermissionDenied("You cannot grant or remove permissions you do not have.")


@transaction.atomic
def portal_access_update(
    *,
    person: ContactPerson,
    change: AccessChange,
    by: User,
    actor: PortalAccess | None = None,
    site_url: str,
) -> str:
    """Grant, change or revoke `person`'s portal access as `change` says; returns what
    happened, for the page's message. Granting sends the invitation e-mail."""
    _check_may_change(person=person, change=change, actor=actor)
    # Permissions need a login to be of use: ticking one grants the login too.
    login = change.login or bool(change.permissions)
    access = getattr(person, "portal_access", None)
    if not login:
        if access is None:
            return ""
        portal_access_revoke(person=person)
        return _("%(name)s can no longer sign in to the customer portal.") % {"name": person.name}
    values = {p: p in change.permissions for p in Permission.values}
    if access is not None:
        if access.granted_permissions == change.permissions:
            return ""
        PortalAccess.objects.filter(pk=access.pk).update(**values)
        return _("%(name)s's portal permissions were changed.") % {"name": person.name}
    _grant(person=person, values=values, by=by)
    portal_invitation_send(person=person, site_url=site_url)
    return _("%(name)s was given portal access; an invitation is on its way to %(email)s.") % {
        "name": person.name,
        "email": person.email,
    }


def _grant(*, person: ContactPerson, values: dict[str, bool], by: User) -> None:
    if not person.email:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("Portal access needs an email address to sign in with."),
                    code="login_needs_email",
                )
            }
        )
    check_login_email(email=person.email, portal_user_id=person.portal_user_id)
    user = User(
        kind=User.Kind.PORTAL,
        username=person.email.lower(),
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
    )
    user.set_unusable_password()  # until they follow the invitation
    user.save()
    person.portal_user = user
    person.save(update_fields=["portal_user", "updated"])
    person.portal_access = PortalAccess.objects.create(person=person, granted_by=by, **values)


def portal_access_revoke(*, person: ContactPerson) -> None:
    """Take portal access away: the permissions and the login go (the login's sessions
    with it); the person stays."""
    PortalAccess.objects.filter(person=person).delete()
    user_id = person.portal_user_id
    if user_id:
        person.portal_user = None
        person.save(update_fields=["portal_user", "updated"])
        User.objects.filter(pk=user_id).delete()


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("portal:invitation", args=[uid, invitation_tokens.make_token(user)])


def portal_invitation_send(*, person: ContactPerson, site_url: str) -> None:
    """E-mail the person a one-time link to set their password (again, if sent before:
    earlier links keep working until used or expired). Sent by the worker once the
    request's transaction has committed (portal.tasks), so no request waits on the mail
    server and a failing one neither loses the grant nor shows an error page."""
    enqueue_on_commit(tasks.send_invitation, str(person.pk), timezone.now().isoformat(), site_url)


def portal_invitation_accepted(*, user: User) -> None:
    PortalAccess.objects.filter(person__portal_user=user).update(invited=None)
