"""What the benchmarks share: a database of their own, and server time as median and p95.

Imported by the scripts after they have set up Django.
"""

import statistics
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

BENCH_DATABASE = "kartotek_bench"


def use_bench_database(name: str = BENCH_DATABASE) -> None:
    """Switch to `name` (`kartotek_bench` unless a script keeps several sizes apart;
    created and migrated if needed, kept between runs), so the development data is left
    alone."""
    setup_test_environment()
    settings.DATABASES["default"]["TEST"]["NAME"] = name
    connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)


def timings(run: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of each of `runs` calls of `run`, after one call to warm up."""
    run()
    measured = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        measured.append((time.perf_counter() - started) * 1000)
    return measured


def percentiles(measured: list[float]) -> tuple[float, float]:
    """Median and p95 of `measured`."""
    ordered = sorted(measured)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def measure_page(client: Client, url: str, runs: int, data=None) -> tuple[float, float, int]:
    """Median and p95 milliseconds and the query count of GET url, or POST data to it."""

    def fetch():
        response = client.post(url, data) if data is not None else client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    median, p95 = percentiles(timings(fetch, runs))
    with CaptureQueriesContext(connection) as queries:
        fetch()
    return median, p95, len(queries)


def sign_in_with_second_factor(client: Client, user) -> None:
    """Sign `client` in as `user` in a session verified with an authenticator, as the
    records pages ask (a confirmed TOTP device, made once)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Bench phone"}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
