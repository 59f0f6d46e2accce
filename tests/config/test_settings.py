"""Production refuses unsafe configuration; development makes its own secrets."""

import os

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config import keys
from config.checks import check_keys_are_distinct
from config.embedded_db import DATABASE_NAME, EmbeddedServer
from tests.config.helpers import production_environment, run_python

SETUP = "import django; django.setup(); print('started')"


def test_production_without_secret_key_refuses_to_start():
    env = production_environment()
    del env["SECRET_KEY"]
    result = run_python(SETUP, env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "started" not in result.stdout


def test_production_without_record_keys_refuses_to_start():
    env = production_environment()
    del env["RECORD_KEYS"]
    result = run_python(SETUP, env=env)
    assert result.returncode != 0
    assert "RECORD_KEYS is not set" in result.stderr


def test_production_settings_are_safe_by_default():
    code = (
        SETUP + "\nfrom django.conf import settings as s\n"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.X_FRAME_OPTIONS)"
    )
    result = run_python(code, env=production_environment())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-6:] == ["False", "True", "True", "True", "True", "DENY"]


def _reachable_database_url() -> str:
    """The database this test run uses: some model checks ask the server its version."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    return EmbeddedServer(settings.DATA_DIR).url(DATABASE_NAME)


def test_check_deploy_prints_no_warnings_in_production_environment():
    code = (
        "import django, sys; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n"
        "print('clean')"
    )
    env = production_environment(DATABASE_URL=_reachable_database_url())
    result = run_python(code, env=env)
    assert result.returncode == 0, result.stderr
    assert "clean" in result.stdout


def test_development_secret_is_generated_once_and_kept(tmp_path):
    first = keys.development_secret(tmp_path, "secret_key", keys.new_django_secret_key)
    again = keys.development_secret(tmp_path, "secret_key", keys.new_django_secret_key)
    assert first == again
    assert len(first) >= 50
    assert (tmp_path / "secrets" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_key_ring_keeps_order_with_current_key_first():
    ring = keys.parse_key_ring(f"new:{keys.new_key()},old:{keys.new_key()}")
    assert list(ring) == ["new", "old"]
    assert all(len(key) == 32 for key in ring.values())


@pytest.mark.parametrize(
    "value",
    [
        "",
        "nokeyid",
        "k1:not-base64!",
        "k1:AAAA",
        "k1:{key},k1:{key}",
        "nøgle:{key}",
        "k" * 33 + ":{key}",
    ],
)
def test_malformed_key_ring_is_refused(value):
    with pytest.raises(ImproperlyConfigured):
        keys.parse_key_ring(value.format(key=keys.new_key()))


def test_check_refuses_ssn_index_key_equal_to_a_record_key(settings):
    key = keys.new_key()
    settings.RECORD_KEYS = f"k1:{key}"
    settings.SSN_INDEX_KEY = key
    assert [error.id for error in check_keys_are_distinct(None)] == ["kartotek.E002"]


def test_check_refuses_secret_key_equal_to_a_key(settings):
    key = keys.new_key()
    settings.SSN_INDEX_KEY = key
    settings.SECRET_KEY = key
    assert [error.id for error in check_keys_are_distinct(None)] == ["kartotek.E002"]


def test_check_accepts_distinct_keys(settings):
    settings.RECORD_KEYS = f"k2:{keys.new_key()},k1:{keys.new_key()}"
    settings.SSN_INDEX_KEY = keys.new_key()
    assert check_keys_are_distinct(None) == []


def test_check_refuses_an_audit_log_key_equal_to_a_record_key(settings):
    key = keys.new_key()
    settings.RECORD_KEYS = f"k1:{key}"
    settings.AUDIT_LOG_KEY = key
    assert [error.id for error in check_keys_are_distinct(None)] == ["kartotek.E002"]


def test_production_without_an_audit_log_key_refuses_to_start():
    result = run_python(SETUP, env=production_environment(AUDIT_LOG_KEY=""))
    assert result.returncode != 0
    assert "AUDIT_LOG_KEY is not set" in result.stderr
