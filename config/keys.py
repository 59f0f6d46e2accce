"""Secrets and encryption keys: read from the environment, or generated for development.

Production passes every secret in the environment. In development (DEBUG on) a secret
that is not set is generated once into the data directory (.data/, git-ignored) and read
back from there on every later start, so sessions and encrypted test data survive restarts.

Key formats:
- RECORD_KEYS: a key ring "id:base64key,id:base64key" of 32-byte AES keys; the first
  encrypts, every one decrypts (so an old key can be retired after re-encryption).
- SSN_INDEX_KEY: one base64 32-byte HMAC key for the social security number blind index.
"""

import base64
import binascii
import contextlib
import os
import re
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
# Key ids are written into every token (one length byte), so they stay short and ASCII.
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def development_secret(data_dir: Path, name: str, make) -> str:
    """The secret stored in data_dir/secrets/name, created with `make()` when absent."""
    folder = data_dir / "secrets"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / name
    if not path.exists():
        # Written whole to a private temporary file, then linked into place: link() fails
        # when the name exists, so of several processes starting at once exactly one wins
        # and nobody ever reads a half-written secret.
        fd, temporary = tempfile.mkstemp(dir=folder)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(make() + "\n")
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    value = path.read_text().strip()
    if not value:
        raise ImproperlyConfigured(f"{path} is empty: delete it to have a new one generated.")
    return value


def new_django_secret_key() -> str:
    return secrets.token_urlsafe(50)


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def new_key_ring() -> str:
    return f"k{secrets.token_hex(3)}:{new_key()}"


def decode_key(value: str, *, name: str) -> bytes:
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured(f"{name} is not valid base64.") from error
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name} must be {KEY_BYTES} bytes, base64-encoded.")
    return key


def parse_key_ring(value: str) -> dict[str, bytes]:
    """Parse RECORD_KEYS into an ordered {key id: key}; the first entry is the current key."""
    ring: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        key_id, separator, encoded = item.partition(":")
        if not separator or not key_id:
            raise ImproperlyConfigured('RECORD_KEYS entries look like "id:base64key".')
        if not KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"RECORD_KEYS key id {key_id!r}: use 1 to 32 letters, digits, - or _."
            )
        if key_id in ring:
            raise ImproperlyConfigured(f"RECORD_KEYS names key id {key_id!r} twice.")
        ring[key_id] = decode_key(encoded, name=f"RECORD_KEYS key {key_id!r}")
    if not ring:
        raise ImproperlyConfigured("RECORD_KEYS holds no key.")
    return ring
