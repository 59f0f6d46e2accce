"""The user model shared by clinic staff and customer portal users."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: clinic staff, or a customer's contact person in the portal.

    The two kinds never cross: staff pages refuse portal users and the portal will refuse
    staff (accounts.middleware, and each login form).
    """

    class Kind(models.TextChoices):
        STAFF = "staff", "Clinic staff"
        PORTAL = "portal", "Portal user"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STAFF)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def is_portal_user(self) -> bool:
        return self.kind == self.Kind.PORTAL

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def login_name_taken(name: str, *, except_user_id: int | None = None) -> bool:
    """Whether a login other than `except_user_id` signs in as `name` (case ignored).
    Portal users sign in with their e-mail address, so it must be free."""
    others = User.objects.filter(username__iexact=name)
    if except_user_id is not None:
        others = others.exclude(pk=except_user_id)
    return others.exists()
