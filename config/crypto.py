"""Encryption of personal and health data at rest: AES-256-GCM with a key ring.

A token is bytes laid out as

    version (1 byte, = 1) | key id length (1 byte) | key id (ASCII) | nonce (12) | ciphertext+tag

- The key id says which key of RECORD_KEYS encrypted it, so keys can be rotated: the first
  key of the ring encrypts, every key decrypts, and a re-encryption pass lets an old key go.
- The version lets the layout change later without guessing.
- Associated data "table|row id|field" binds a ciphertext to its row and column: a token
  copied onto another row (or into another field) fails authentication instead of showing
  someone else's data.

Every failure raises DecryptionError; nothing here ever returns garbage or an empty string
in place of data it could not read.

The blind index (blind_index) is a keyed HMAC-SHA256 of a normalised identifier such as a
social security number, under its own key: equal numbers give equal indexes (exact search,
uniqueness) without the number being stored in clear.
"""

import hashlib
import hmac
import os
import unicodedata
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from config.keys import decode_key, parse_key_ring

FORMAT_VERSION = 1
NONCE_BYTES = 12
SEPARATORS = str.maketrans("", "", "./")


class DecryptionError(Exception):
    """A token could not be decrypted: wrong row, unknown key, tampered or malformed."""


@lru_cache(maxsize=8)
def _ciphers(key_ring: str) -> tuple[str, dict[str, AESGCM]]:
    # Keyed on the setting's text, so a changed RECORD_KEYS (tests, rotation) takes effect
    # at once, while each AESGCM object is built once and reused: building it is the costly
    # part of a small encryption.
    ring = parse_key_ring(key_ring)
    return next(iter(ring)), {key_id: AESGCM(key) for key_id, key in ring.items()}


def current_key_id() -> str:
    return _ciphers(settings.RECORD_KEYS)[0]


def _associated_data(table: str, row_id: str, field: str) -> bytes:
    return f"{table}|{row_id}|{field}".encode()


def encrypt(plaintext: str, *, table: str, row_id: str, field: str) -> bytes:
    return _seal(plaintext.encode(), _associated_data(table, row_id, field))


def _seal(plaintext: bytes, associated_data: bytes) -> bytes:
    key_id, ciphers = _ciphers(settings.RECORD_KEYS)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = ciphers[key_id].encrypt(nonce, plaintext, associated_data)
    encoded_id = key_id.encode("ascii")
    return bytes([FORMAT_VERSION, len(encoded_id)]) + encoded_id + nonce + ciphertext


def _parse(token: bytes | memoryview) -> tuple[str, bytes, bytes]:
    token = bytes(token)
    if len(token) < 2 or token[0] != FORMAT_VERSION:
        raise DecryptionError("Unknown encryption format.")
    id_length = token[1]
    header = 2 + id_length
    if len(token) < header + NONCE_BYTES + 16:
        raise DecryptionError("The encrypted value is truncated.")
    try:
        key_id = token[2:header].decode("ascii")
    except UnicodeDecodeError:
        raise DecryptionError("The encrypted value names no valid key id.") from None
    return key_id, token[header : header + NONCE_BYTES], token[header + NONCE_BYTES :]


def key_id_of(token: bytes | memoryview) -> str:
    return _parse(token)[0]


def decrypt(token: bytes | memoryview, *, table: str, row_id: str, field: str) -> str:
    return _open(token, table=table, row_id=row_id, field=field).decode()


def reencrypt(token: bytes | memoryview, *, table: str, row_id: str, field: str) -> bytes:
    """The token sealed again under the current key, for the same row and field (key
    rotation): encrypt(decrypt(token)) without decoding the text in between. Raises
    DecryptionError as decrypt does."""
    plaintext = _open(token, table=table, row_id=row_id, field=field)
    return _seal(plaintext, _associated_data(table, row_id, field))


def _open(token: bytes | memoryview, *, table: str, row_id: str, field: str) -> bytes:
    key_id, nonce, ciphertext = _parse(token)
    cipher = _ciphers(settings.RECORD_KEYS)[1].get(key_id)
    if cipher is None:
        raise DecryptionError(f"Key {key_id!r} is not in RECORD_KEYS: it cannot be decrypted.")
    try:
        return cipher.decrypt(nonce, ciphertext, _associated_data(table, row_id, field))
    except InvalidTag:
        raise DecryptionError(
            f"The encrypted {field} of {table} {row_id} failed authentication: it was changed, "
            "or copied from another row."
        ) from None


def normalise_identifier(value: str) -> str:
    """Make "010190-1234", " 010190 1234 " and "0101901234" one number.

    NFKC first, so full-width and other compatibility digits become 0-9; then every kind
    of whitespace and dash goes (a number pasted from another program often carries a
    no-break space or an en dash), and letters are upper-cased.
    """
    value = unicodedata.normalize("NFKC", value)
    kept = (c for c in value if not c.isspace() and unicodedata.category(c) != "Pd")
    return "".join(kept).translate(SEPARATORS).upper()


@lru_cache(maxsize=4)
def _index_key(encoded: str) -> bytes:
    return decode_key(encoded, name="SSN_INDEX_KEY")


def blind_index(value: str | None) -> bytes | None:
    """HMAC-SHA256 of the normalised value under SSN_INDEX_KEY; None (never b"") when empty."""
    normalised = normalise_identifier(value or "")
    if not normalised:
        return None
    key = _index_key(settings.SSN_INDEX_KEY)
    return hmac.new(key, normalised.encode(), hashlib.sha256).digest()
