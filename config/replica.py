"""An optional read replica (DATABASE_REPLICA_URL, a streaming standby of the primary).

Lists, the type-ahead and exports read from it: their views are marked
`@reads_from_replica`. Everything else reads from the primary, and so does a marked view:

- inside a transaction on the primary (a write's reads see the write's rows);
- for the request that writes (any method but GET, HEAD, OPTIONS, TRACE), and for
  REPLICA_PIN_SECONDS after it in the same browser (a cookie), so that the page shown after
  a save, and the next few, read what was just written whatever the standby's lag;
- for the models of sign-in, sessions, lockouts, authenticators and the task queue, which
  must never be a moment behind.

Writes always go to the primary, also for a row that was read from the replica. Without
DATABASE_REPLICA_URL the router sends everything to the primary and nothing changes.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase

REPLICA = "replica"
PIN_COOKIE = "kartotek_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Read from the primary always: what decides who is signed in, locked out or verified, and
# the queue the worker takes tasks from.
PRIMARY_ONLY_APPS = frozenset(
    {
        "accounts",
        "auth",
        "axes",
        "contenttypes",
        "django_tasks_db",
        "otp_static",
        "otp_totp",
        "sessions",
    }
)

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)
_pinned: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        if (
            _replica_reads.get()
            and not _pinned.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


@contextmanager
def reading_from_replica(pinned: bool | None = None) -> Iterator[None]:
    """Reads in this block may come from the replica (see the module's rules)."""
    reads = _replica_reads.set(True)
    pin = _pinned.set(_pinned.get() if pinned is None else pinned)
    try:
        yield
    finally:
        _pinned.reset(pin)
        _replica_reads.reset(reads)


def _streamed(content: Iterator[bytes], pinned: bool) -> Iterator[bytes]:
    with reading_from_replica(pinned):
        yield from content


def reads_from_replica(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Mark a view whose reads may come from the replica; a streamed response (an export)
    keeps reading from it while it is sent."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        pinned = _pinned.get()
        with reading_from_replica():
            response = view(request, *args, **kwargs)
        if isinstance(response, StreamingHttpResponse) and not response.is_async:
            content = cast(Iterator[bytes], response.streaming_content)
            response.streaming_content = _streamed(content, pinned)
        return response

    return wrapped


class ReplicaPinMiddleware:
    """Pins a request to the primary when it writes, or when the browser wrote less than
    REPLICA_PIN_SECONDS ago (the cookie this sets then)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        writes = request.method not in SAFE_METHODS
        token = _pinned.set(writes or PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
