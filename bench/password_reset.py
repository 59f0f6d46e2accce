"""Benchmark the staff password reset page: as fast for a colleague's address as for one
nobody has (issue #20: the e-mail is the worker's, not the request's).

    .venv/bin/python bench/password_reset.py [--runs 200]

Posts both addresses in turn through Django's test client against `kartotek_bench`,
and prints median and p95 server time of each. The tasks it enqueues are deleted after.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.test import Client  # noqa: E402

from bench.common import percentiles, timings, use_bench_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    arguments = parser.parse_args()
    use_bench_database()

    from django_tasks_db.models import DBTaskResult

    from accounts.models import User

    User.objects.update_or_create(
        username="bench-reset", defaults={"email": "reset@clinic.example", "is_active": True}
    )
    user = User.objects.get(username="bench-reset")
    user.set_password("a long bench passphrase")
    user.save()
    client = Client()
    known, unknown = [], []
    for _ in range(arguments.runs):
        for address, measured in (("reset@clinic.example", known), ("nobody@x.example", unknown)):
            measured.extend(
                timings(lambda a=address: client.post("/accounts/password-reset/", {"email": a}), 1)
            )
    DBTaskResult.objects.filter(task_path__endswith="send_password_reset").delete()
    print(f"\n{arguments.runs} resets of each, in turn")
    print(f"{'address':<22}{'median ms':>11}{'p95 ms':>9}")
    for name, measured in (("a colleague's", known), ("nobody's", unknown)):
        median, p95 = percentiles(measured)
        print(f"{name:<22}{median:>11.2f}{p95:>9.2f}")


if __name__ == "__main__":
    main()
