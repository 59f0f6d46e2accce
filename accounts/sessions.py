"""The session engines: Django's database sessions, each row also naming its user, so that
accounts.models.User can end them all at once.

SESSION_ENGINE is "accounts.sessions" (the database alone) unless the cache is shared by
every app server (Redis or memcached, config.settings.SHARED_CACHE); then it is
"accounts.cached_sessions": the same rows, read from the cache first, so a request reads
no session row. A per-process cache (locmem, the default) must not hold sessions: a
session signed out on one worker would stay signed in, in another worker's memory.
"""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseStore
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore


class UserSessionRows:
    """Sessions stored as accounts.models.UserSession, with the signed-in user's id."""

    @classmethod
    def get_model_class(cls):
        from accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        # A mixin: the store it is mixed into (below) has create_model_instance.
        session = super().create_model_instance(data)  # type: ignore[misc]
        try:
            session.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            session.user_id = None
        return session


class SessionStore(UserSessionRows, DatabaseStore):
    pass


class CachedSessionStore(UserSessionRows, CachedDatabaseStore):
    """Written through to the database (so ending a user's sessions finds them), read from
    the shared cache. A stale cached copy cannot outlive what ends a session for good:
    every request still reads the user, and Django refuses a session whose password hash
    no longer matches or whose user is inactive (UserSession.end_for clears the cached
    copies as well)."""
