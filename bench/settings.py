"""Production settings plus the bare comparison page (bench/bare.py), for bench/pages.py."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare"
