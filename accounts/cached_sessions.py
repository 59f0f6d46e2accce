"""SESSION_ENGINE "accounts.cached_sessions": user sessions read from a shared cache first
(accounts.sessions.CachedSessionStore). Chosen by config.settings only when the cache is
shared by every app server."""

from accounts.sessions import CachedSessionStore as SessionStore

__all__ = ["SessionStore"]
