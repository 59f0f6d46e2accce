"""The user model shared by clinic staff and customer portal users."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.cache import cache
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

    if TYPE_CHECKING:
        # Added to each request's user by django_otp's OTPMiddleware.
        def is_verified(self) -> bool: ...

    def save(self, *args, **kwargs) -> None:
        # A new password, or a deactivated account, ends every session the user has open
        # (the page that changed one's own password starts a new session after this).
        # set_password() keeps the new raw password in _password (not in django-stubs).
        password_changed = self._password is not None  # type: ignore[attr-defined]
        super().save(*args, **kwargs)
        if (password_changed or not self.is_active) and self.pk:
            UserSession.end_for([self.pk])

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


class SecuritySettings(models.Model):
    """Back-end security settings (one row), changed by administrators in the admin."""

    SINGLETON_ID = 1
    CACHE_KEY = "accounts.securitysettings"

    require_two_factor = models.BooleanField(
        "Require two-factor sign-in for all staff",
        default=False,
        help_text="Staff without an authenticator app are asked to set one up before they "
        "can open any page. Records always require a second factor, whatever this says.",
    )

    class Meta:
        verbose_name = "security settings"
        verbose_name_plural = "security settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="securitysettings_single_row"),
        ]

    def __str__(self) -> str:
        return "Security settings"

    def save(self, *args, **kwargs) -> None:
        self.id = self.SINGLETON_ID
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    @classmethod
    def load(cls) -> "SecuritySettings":
        """The settings row, from the cache when possible (it is read on many requests)."""
        loaded = cache.get(cls.CACHE_KEY)
        if loaded is None:
            loaded = cls.objects.get_or_create(id=cls.SINGLETON_ID)[0]
            # Other worker processes without a shared cache (CACHE_URL) see a change within
            # a minute.
            cache.set(cls.CACHE_KEY, loaded, timeout=60)
        return loaded


class UserSession(AbstractBaseSession):
    """A session, with the user it signs in, so that all of a user's sessions can be ended
    (password changed, account deactivated). The session engine is accounts.sessions."""

    user_id = models.BigIntegerField(null=True, db_index=True)

    class Meta:
        verbose_name = "session"

    @classmethod
    def end_for(cls, user_ids) -> int:
        """End every session signed in as one of `user_ids`; how many there were. Their
        copies in the cache go too (accounts.cached_sessions reads them from there)."""
        from django.contrib.sessions.backends.cached_db import KEY_PREFIX
        from django.core.cache import caches

        sessions = cls.objects.filter(user_id__in=user_ids)
        keys = list(sessions.values_list("session_key", flat=True))
        ended = sessions.delete()[0]
        if keys:
            cache = caches[settings.SESSION_CACHE_ALIAS]
            cache.delete_many([KEY_PREFIX + key for key in keys])
        return ended

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore
