"""Record encryption and the SSN blind index: round trips, binding to the row, failing loudly.

No database: these exercise config.crypto alone, with keys set through the `settings` fixture.
"""

import hashlib

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from config import crypto
from config.crypto import DecryptionError
from config.keys import new_key

ROW = {
    "table": "customers_customer",
    "row_id": "7d0f4c1e-0000-4000-8000-000000000001",
    "field": "ssn",
}
HEADER_BYTES = 2  # version, key id length
NONCE_BYTES = 12
TAG_BYTES = 16
PROPERTY_KEY = new_key()


@pytest.fixture
def ring(settings) -> str:
    settings.RECORD_KEYS = f"current:{new_key()}"
    return settings.RECORD_KEYS


@pytest.fixture
def index_key(settings) -> str:
    settings.SSN_INDEX_KEY = new_key()
    return settings.SSN_INDEX_KEY


def flipped(token: bytes, position: int) -> bytes:
    changed = bytearray(token)
    changed[position] ^= 0x01
    return bytes(changed)


# Round trips


@pytest.mark.parametrize("text", ["Søren Ærø 😀", "", "0101901234", "a\nb\x00c"])
def test_decrypt_returns_the_encrypted_text(ring, text):
    token = crypto.encrypt(text, **ROW)
    assert crypto.decrypt(token, **ROW) == text


def test_decrypt_accepts_a_memoryview_as_the_database_returns_it(ring):
    token = crypto.encrypt("Søren", **ROW)
    assert crypto.decrypt(memoryview(token), **ROW) == "Søren"


@hypothesis_settings(max_examples=50)
@given(text=st.text())
def test_any_text_survives_a_round_trip(text):
    # The function-scoped pytest-django `settings` fixture cannot be reset between hypothesis
    # examples, so this one sets its own ring for the whole run.
    with override_settings(RECORD_KEYS=f"prop:{PROPERTY_KEY}"):
        assert crypto.decrypt(crypto.encrypt(text, **ROW), **ROW) == text


# What a token reveals


def test_token_does_not_contain_the_plaintext(ring):
    text = "0101901234 Søren"
    token = crypto.encrypt(text, **ROW)
    assert text.encode() not in token
    assert b"0101901234" not in token


def test_two_encryptions_of_the_same_text_differ(ring):
    assert crypto.encrypt("0101901234", **ROW) != crypto.encrypt("0101901234", **ROW)


def test_token_layout_is_version_key_id_nonce_ciphertext_and_tag(ring):
    text = "Søren"
    token = crypto.encrypt(text, **ROW)
    assert token[0] == 1
    assert token[1] == len(b"current")
    assert token[2 : 2 + len(b"current")] == b"current"
    expected = HEADER_BYTES + len(b"current") + NONCE_BYTES + len(text.encode()) + TAG_BYTES
    assert len(token) == expected


# Binding to the row


@pytest.mark.parametrize(
    "moved",
    [
        {**ROW, "row_id": "7d0f4c1e-0000-4000-8000-000000000002"},
        {**ROW, "field": "notes"},
        {**ROW, "table": "records_entry"},
    ],
    ids=["another row", "another field", "another table"],
)
def test_token_moved_to_another_row_field_or_table_fails_to_decrypt(ring, moved):
    token = crypto.encrypt("0101901234", **ROW)
    with pytest.raises(DecryptionError) as raised:
        crypto.decrypt(token, **moved)
    assert "0101901234" not in str(raised.value)


# Tampering and malformed tokens


def test_changing_any_byte_of_the_token_fails_to_decrypt(ring):
    token = crypto.encrypt("Søren Ærø", **ROW)
    for position in range(len(token)):
        with pytest.raises(DecryptionError):
            crypto.decrypt(flipped(token, position), **ROW)


@pytest.mark.parametrize("keep", [0, 1, 2, 9, 2 + len(b"current") + NONCE_BYTES, -1])
def test_truncated_token_fails_to_decrypt(ring, keep):
    token = crypto.encrypt("Søren", **ROW)
    with pytest.raises(DecryptionError):
        crypto.decrypt(token[:keep], **ROW)


def test_token_with_an_unknown_format_version_fails_to_decrypt(ring):
    token = crypto.encrypt("Søren", **ROW)
    with pytest.raises(DecryptionError):
        crypto.decrypt(bytes([2]) + token[1:], **ROW)


# Keys and rotation


def test_token_under_a_removed_key_fails_naming_the_missing_key_id(settings):
    settings.RECORD_KEYS = f"retired:{new_key()}"
    token = crypto.encrypt("0101901234", **ROW)
    settings.RECORD_KEYS = f"fresh:{new_key()}"
    with pytest.raises(DecryptionError, match="retired") as raised:
        crypto.decrypt(token, **ROW)
    assert "0101901234" not in str(raised.value)


def test_wrong_key_under_the_same_id_fails_to_decrypt(settings):
    settings.RECORD_KEYS = f"main:{new_key()}"
    token = crypto.encrypt("0101901234", **ROW)
    settings.RECORD_KEYS = f"main:{new_key()}"
    with pytest.raises(DecryptionError):
        crypto.decrypt(token, **ROW)


def test_after_rotation_old_tokens_decrypt_and_new_ones_use_the_new_key(settings):
    old = f"old:{new_key()}"
    settings.RECORD_KEYS = old
    old_token = crypto.encrypt("Søren", **ROW)
    assert crypto.key_id_of(old_token) == "old"
    assert crypto.current_key_id() == "old"

    settings.RECORD_KEYS = f"new:{new_key()},{old}"

    assert crypto.decrypt(old_token, **ROW) == "Søren"
    new_token = crypto.encrypt("Søren", **ROW)
    assert crypto.key_id_of(new_token) == "new"
    assert crypto.current_key_id() == "new"
    assert crypto.decrypt(new_token, **ROW) == "Søren"


def test_key_id_of_a_malformed_token_fails_loudly(ring):
    with pytest.raises(DecryptionError):
        crypto.key_id_of(b"\x09garbage")


# Blind index


def test_blind_index_is_equal_for_differently_formatted_equal_ssns(index_key):
    indexes = {
        crypto.blind_index(value) for value in ["010190-1234", "0101901234", " 010190 1234 "]
    }
    assert len(indexes) == 1
    assert None not in indexes


def test_blind_index_ignores_letter_case_and_dot_and_slash_separators(index_key):
    assert crypto.blind_index("ab.12/34") == crypto.blind_index("AB1234")


def test_normalise_identifier_strips_separators_and_upper_cases():
    assert crypto.normalise_identifier(" 010190-1234 ") == "0101901234"
    assert crypto.normalise_identifier("ab.12/3 4") == "AB1234"


def test_blind_index_differs_for_different_ssns(index_key):
    assert crypto.blind_index("010190-1234") != crypto.blind_index("010190-1235")


@pytest.mark.parametrize("empty", ["", None, "  -  ", " ./- "])
def test_blind_index_of_an_empty_value_is_none_never_empty_bytes(index_key, empty):
    assert crypto.blind_index(empty) is None


def test_blind_index_is_32_bytes(index_key):
    index = crypto.blind_index("0101901234")
    assert isinstance(index, bytes)
    assert len(index) == 32


def test_blind_index_changes_when_the_index_key_changes(settings):
    settings.SSN_INDEX_KEY = new_key()
    before = crypto.blind_index("0101901234")
    settings.SSN_INDEX_KEY = new_key()
    assert crypto.blind_index("0101901234") != before


def test_blind_index_is_not_an_unkeyed_hash_of_the_number(index_key):
    # An unkeyed hash of a 10-digit number is reversed by trying every number.
    index = crypto.blind_index("0101901234")
    assert index != hashlib.sha256(b"0101901234").digest()
    assert index != hashlib.sha256(b"010190-1234").digest()


def test_blind_index_does_not_depend_on_the_record_keys(settings, index_key):
    settings.RECORD_KEYS = f"a:{new_key()}"
    before = crypto.blind_index("0101901234")
    settings.RECORD_KEYS = f"b:{new_key()}"
    assert crypto.blind_index("0101901234") == before


def test_blind_index_ignores_a_pasted_no_break_space(index_key):
    assert crypto.blind_index("010190\u00a01234") == crypto.blind_index("0101901234")
