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
