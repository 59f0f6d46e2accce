"""Run Python in a fresh process with a chosen environment, as a deployment would."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
# What the test run itself may have set, and a fresh process must not inherit.
TEST_RUN_VARIABLES = (
    "SECRET_KEY",
    "RECORD_KEYS",
    "SSN_INDEX_KEY",
    "AUDIT_LOG_KEY",
    "DATABASE_URL",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def clean_environment(**env: str) -> dict[str, str]:
    """This process's environment without the test run's settings, plus `env`."""
    base = {key: value for key, value in os.environ.items() if key not in TEST_RUN_VARIABLES}
    return {**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env}


def run_python(code: str, *, env: dict[str, str], timeout: int = 120):
    """Run `code` with the project's interpreter; `env` replaces the secrets and DEBUG."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def production_environment(**overrides: str) -> dict[str, str]:
    """Everything a production deployment sets, with distinct random-looking keys."""
    return {
        "DEBUG": "0",
        "SECRET_KEY": "prod-" + "k7Qm2xLr9vTb4Wn8Yz1Hc6Jd3Fs5Gp0Ae" * 2,
        "RECORD_KEYS": "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "SSN_INDEX_KEY": "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=",
        "AUDIT_LOG_KEY": "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=",
        "DATABASE_URL": "postgres://kartotek@127.0.0.1:1/kartotek",
        "ALLOWED_HOSTS": "kartotek.clinic.example",
        **overrides,
    }
