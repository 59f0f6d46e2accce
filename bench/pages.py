"""Benchmark whole pages over HTTP, through gunicorn with production settings, each beside
a bare Django page (bench/bare.py) measured in the same run.

    .venv/bin/python bench/pages.py [--customers 100000] [--requests 200] [--workers 2]

Uses the customers of bench/customers.py (generated if missing, in `kartotek_bench`) and
adds, once: a customer with 1 and one with 50 directory contacts and contact persons, and
two contact categories of 20 and 20,000 contacts. Then it collects the static files
(into `staticfiles/`, as production does),
starts gunicorn (DEBUG off, the development secrets passed as environment variables) on
the same database, signs one staff user in, and requests each page `--requests` times
with one keep-alive connection: median and p95 milliseconds, and the ratio of each median
to the bare page of as many rows.
"""

import argparse
import http.client
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import BENCH_DATABASE, percentiles, use_bench_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
SMALL, LARGE = 20, 20_000


def _generate_linked() -> dict[str, str]:
    """The profiles and categories the pages show; their URLs by name."""
    from contacts.models import Contact, ContactCategory, ContactPerson, CustomerContact
    from customers.models import Customer

    categories = {}
    for size in (SMALL, LARGE):
        category, created = ContactCategory.objects.get_or_create(name=f"Bench {size}")
        if created:
            print(f"generating a category of {size} contacts ...", flush=True)
            Contact.objects.bulk_create(
                Contact(
                    category=category,
                    first_name=f"Bench{n}",
                    last_name=f"Contact{n}",
                    email=f"bench{n}.{size}@example.com",
                )
                for n in range(size)
            )
        categories[size] = category
    profiles = {}
    for linked, customer in zip((1, 50), Customer.objects.order_by("number")[:2], strict=True):
        if not customer.contact_persons.exists():
            ContactPerson.objects.bulk_create(
                ContactPerson(
                    customer=customer,
                    first_name="Person",
                    last_name=f"No{n}",
                    email=f"p{n}@example.com",
                )
                for n in range(linked)
            )
            contacts = categories[LARGE].contacts.order_by("id")[:linked]
            CustomerContact.objects.bulk_create(
                CustomerContact(customer=customer, contact=contact) for contact in contacts
            )
        profiles[linked] = customer
    return {
        "customer list, first page": "/customers/",
        "customer search 'jørg' (surname, J)": "/customers/?q=j%C3%B8rg",
        "customer search 'sen' (common)": "/customers/?q=sen",
        "profile, 1 linked": f"/customers/{profiles[1].id}/",
        "profile, 50 linked": f"/customers/{profiles[50].id}/",
        "contacts tab, 50 linked": f"/customers/{profiles[50].id}/?tab=contacts",
        "persons tab, 50 linked": f"/customers/{profiles[50].id}/?tab=persons",
        f"category of {SMALL}, first page": f"/contacts/categories/{categories[SMALL].id}/",
        f"category of {LARGE}, first page": f"/contacts/categories/{categories[LARGE].id}/",
        f"category of {LARGE}, last page": (
            f"/contacts/categories/{categories[LARGE].id}/?page=last"
        ),
        "directory page": "/contacts/",
    }


def _bench_database_url() -> str:
    database = settings.DATABASES["default"]
    if url := os.environ.get("DATABASE_URL"):
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
    # The embedded server listens on a socket in its data directory.
    socket = database["OPTIONS"]["host"]
    return f"postgres://{database['USER']}@/{BENCH_DATABASE}?host={socket}"


def _start_gunicorn(workers: int) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "DATABASE_URL": _bench_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "RECORD_KEYS": settings.RECORD_KEYS,
        "SSN_INDEX_KEY": settings.SSN_INDEX_KEY,
        "AUDIT_LOG_KEY": settings.AUDIT_LOG_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
    }
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


class _Connection:
    """One keep-alive connection to the gunicorn under test, signed in by `cookie`."""

    def __init__(self, cookie: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        self.headers = {"Cookie": cookie, "Host": "127.0.0.1"}

    def get(self, url: str) -> float:
        """Milliseconds until the whole answer to GET url has arrived."""
        started = time.perf_counter()
        self.connection.request("GET", url, headers=self.headers)
        response = self.connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
        return (time.perf_counter() - started) * 1000


def _measure(connection: _Connection, url: str, requests: int) -> dict[str, list[float]]:
    """Times of `url` and of the two bare pages, requested in turn (page, bare 50, bare
    100, page ...), so that whatever else the machine does weighs on all three alike."""
    urls = {"page": url, "bare50": "/bench/bare/?rows=50", "bare100": "/bench/bare/?rows=100"}
    for name in urls.values():  # warm up
        connection.get(name)
    measured = {name: [] for name in urls}
    for _ in range(requests):
        for name, address in urls.items():
            measured[name].append(connection.get(address))
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()

    use_bench_database()
    from bench.customers import _generate

    _generate(arguments.customers)
    pages = _generate_linked()

    from accounts.models import User

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    client = Client()
    client.force_login(admin)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    server = _start_gunicorn(arguments.workers)
    try:
        connection = _Connection(cookie)
        print(
            f"\n{arguments.customers} customers, {arguments.requests} requests a page, "
            f"gunicorn with {arguments.workers} sync workers; each page beside the bare page "
            "of 50 and of 100 rows, requested in turn"
        )
        print(
            f"{'page':<34}{'median ms':>10}{'p95 ms':>8}{'bare50':>8}{'bare100':>8}"
            f"{'ratio50':>8}{'ratio100':>9}"
        )
        for name, url in pages.items():
            measured = _measure(connection, url, arguments.requests)
            median, p95 = percentiles(measured["page"])
            bare50, bare100 = (percentiles(measured[key])[0] for key in ("bare50", "bare100"))
            print(
                f"{name:<34}{median:>10.1f}{p95:>8.1f}{bare50:>8.1f}{bare100:>8.1f}"
                f"{median / bare50:>8.2f}{median / bare100:>9.2f}"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
