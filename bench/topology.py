"""Two app servers, one task worker, one database behind a transaction-pooling pgbouncer and
one Redis: what must hold across servers, and the customer list's requests per second.

    .venv/bin/python bench/topology.py [--customers 10000] [--seconds 10] [--clients 4]

Needs this machine's PostgreSQL server (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/test: the bench database `kartotek_bench_topology` is
created beside it and kept), Redis (CACHE_URL, default redis://127.0.0.1:6379/5, flushed
first) and pgbouncer (Debian's package `pgbouncer`; only its binary is used: the script
writes its own configuration into a temporary directory and starts it on port 6439, in
transaction pooling mode, in front of the server).

It starts two gunicorn instances (production settings, DEBUG off, two sync workers each, on
ports 8781 and 8782) and one `manage.py db_worker`, all connecting through pgbouncer and
sharing Redis as their cache (so sessions are accounts.cached_sessions), and sends mail to
a directory. Then it checks, printing each result and failing loudly when one does not hold:

1. a session made by signing in on server A continues on server B;
2. five wrong passwords on B lock the account out on A too (django-axes keeps its
   failures in the database);
3. a password reset asked on A is sent once, by the worker: one task row, one message;
4. the customer CSV export (a streamed response reading through a server-side cursor),
   three times while other clients load both servers, and the type-ahead work through
   the pooler;
5. and measures the customer list (first page) with `--clients` keep-alive clients for
   `--seconds` seconds against server A alone, then spread over A and B.

On a 2-core machine two servers cannot be faster than one: the point of 5 is that the
second server adds capacity rather than waiting on the first (no lock, no shared state
in the processes).
"""

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")

import django

django.setup()

from django.conf import settings  # noqa: E402

from bench.common import use_bench_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "kartotek_bench_topology"
POOLER_PORT = 6439
SERVERS = {"A": 8781, "B": 8782}
USERNAME, PASSWORD, EMAIL = "topology-admin", "a long bench passphrase 41", "topology@example.dk"


def _pgbouncer(directory: Path) -> subprocess.Popen:
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        raise SystemExit("pgbouncer is not installed: apt-get install pgbouncer")
    server = urlsplit(os.environ["DATABASE_URL"])
    (directory / "users.txt").write_text(f'"{server.username or "postgres"}" ""\n')
    (directory / "pgbouncer.ini").write_text(
        f"""[databases]
{DATABASE} = host={server.hostname or "127.0.0.1"} port={server.port or 5432} dbname={DATABASE}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {POOLER_PORT}
unix_socket_dir =
auth_type = trust
auth_file = {directory / "users.txt"}
pool_mode = transaction
default_pool_size = 8
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
"""
    )
    directory.chmod(0o755)  # run as nobody below, it must read its files
    # pgbouncer refuses to run as root unless asked not to care.
    process = subprocess.Popen(
        [binary, "-u", "nobody", str(directory / "pgbouncer.ini")]
        if os.geteuid() == 0
        else [binary, str(directory / "pgbouncer.ini")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_port(POOLER_PORT, process, "pgbouncer")
    return process


def _wait_for_port(port: int, process: subprocess.Popen, name: str) -> None:
    import socket

    for _ in range(150):
        if process.poll() is not None:
            raise SystemExit(f"{name} stopped at start (exit {process.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"{name} did not start on port {port}")


def _environment(mail: Path) -> dict[str, str]:
    server = urlsplit(os.environ["DATABASE_URL"])
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "DATABASE_URL": (
            f"postgres://{server.username or 'postgres'}@127.0.0.1:{POOLER_PORT}/{DATABASE}"
        ),
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/5"),
        "EMAIL_URL": f"filemail://{mail}",
        "SECRET_KEY": settings.SECRET_KEY,
        "RECORD_KEYS": settings.RECORD_KEYS,
        "SSN_INDEX_KEY": settings.SSN_INDEX_KEY,
        "AUDIT_LOG_KEY": settings.AUDIT_LOG_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
    }


def _start(environment: dict[str, str]) -> list[subprocess.Popen]:
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    processes = []
    for port in SERVERS.values():
        process = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                "2",
                "--log-level",
                "warning",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=environment,
        )
        processes.append(process)
        _wait_for_port(port, process, f"gunicorn on {port}")
    processes.append(
        subprocess.Popen(
            [python, "manage.py", "db_worker", "--interval", "0.2"], cwd=ROOT, env=environment
        )
    )
    return processes


class Browser:
    """One user's cookies, sent to either server (as behind a load balancer)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, server: str, method: str, url: str, form: dict | None = None
    ) -> tuple[int, str, dict[str, str]]:
        connection = http.client.HTTPConnection("127.0.0.1", SERVERS[server], timeout=30)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{SERVERS[server]}{url}"
        connection.request(method, url, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, text, dict(response.headers)

    def sign_in(self, server: str, password: str = PASSWORD) -> tuple[int, str, dict[str, str]]:
        self.request(server, "GET", "/accounts/login/")
        return self.request(
            server, "POST", "/accounts/login/", {"username": USERNAME, "password": password}
        )


def _check(name: str, holds: bool, detail: str = "") -> None:
    print(f"  {'ok  ' if holds else 'FAIL'} {name}{f' ({detail})' if detail else ''}", flush=True)
    if not holds:
        raise SystemExit(f"topology check failed: {name}")


def _checks(mail: Path) -> None:
    from django.contrib.auth import get_user_model
    from django_tasks_db.models import DBTaskResult

    from customers.models import Customer

    print("\nchecks, every request through pgbouncer (transaction pooling):")
    browser = Browser()
    status, _, _ = browser.sign_in("A")
    _check("signed in on A", status == 302 and "sessionid" in browser.cookies, f"{status}")
    status, text, _ = browser.request("B", "GET", "/customers/")
    _check("the session made on A continues on B", status == 200 and "Customers" in text)

    intruder = Browser()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        intruder.sign_in("B", password="wrong")  # noqa: S106
    locked_out = Browser()
    status, _, _ = locked_out.sign_in("A")
    _check(
        "five wrong passwords on B lock the account out on A",
        status != 302 and "sessionid" not in locked_out.cookies,
        f"A answered {status}",
    )
    from axes.utils import reset

    reset(username=USERNAME)

    tasks_before = DBTaskResult.objects.count()
    asker = Browser()
    asker.request("A", "GET", "/accounts/password-reset/")
    status, _, _ = asker.request("A", "POST", "/accounts/password-reset/", {"email": EMAIL})
    _check("password reset asked on A", status == 302, f"{status}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        messages = [path for path in mail.glob("*") if EMAIL in path.read_text()]
        if messages:
            break
        time.sleep(0.2)
    time.sleep(2)  # a second run would have sent a second message by now
    messages = [path for path in mail.glob("*") if EMAIL in path.read_text()]
    tasks = DBTaskResult.objects.count() - tasks_before
    finished = DBTaskResult.objects.order_by("-enqueued_at").first()
    _check(
        "the worker sent the reset once",
        len(messages) == 1 and tasks == 1 and finished.status == "SUCCESSFUL",
        f"{len(messages)} message(s), {tasks} task(s), {finished.status}",
    )

    # Beside other requests, so that the pooler hands each transaction whichever server
    # connection is free: a cursor that outlived its transaction would be lost.
    load = threading.Thread(target=_throughput, args=(browser.cookies, ["A", "B"], 4.0, 4))
    load.start()
    counts = []
    for server in ("A", "B", "A"):
        status, text, _ = browser.request(server, "GET", "/customers/export.csv")
        counts.append(text.count("\n") - 1 if status == 200 else -status)
    load.join()
    _check(
        "the customer CSV export streams through the pooler, three times under load",
        counts == [Customer.objects.count()] * 3,
        ", ".join(f"{count:,} rows" for count in counts),
    )
    customer = Customer.objects.order_by("number").first()
    status, text, _ = browser.request(
        "A", "GET", f"/contacts/customer/{customer.id}/choose/?q=jens"
    )
    _check(
        "the type-ahead answers through the pooler",
        status == 200 and "contact-choices" in text,
        f"{status}, {len(re.findall('name="contact"', text))} choices",
    )
    get_user_model().objects.filter(username=USERNAME).update(last_login=None)


def _throughput(cookie: dict[str, str], servers: list[str], seconds: float, clients: int) -> float:
    done = [0] * clients
    stop = time.monotonic() + seconds
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookie.items()), "Host": "127.0.0.1"}

    def client(n: int) -> None:
        server = servers[n % len(servers)]
        connection = http.client.HTTPConnection("127.0.0.1", SERVERS[server], timeout=30)
        while time.monotonic() < stop:
            connection.request("GET", "/customers/", headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"customer list answered {response.status} on {server}")
            done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    arguments = parser.parse_args()

    use_bench_database(DATABASE)
    from bench.customers import _generate

    _generate(arguments.customers)
    from contacts.models import Contact, ContactCategory
    from customers.models import CustomerSettings

    CustomerSettings.objects.update_or_create(id=1, defaults={"show_contacts": True})
    if not Contact.objects.exists():
        category, _ = ContactCategory.objects.get_or_create(name="Doctors")
        Contact.objects.bulk_create(
            Contact(
                category=category,
                first_name="Jens",
                last_name=f"Jensen {n}",
                email=f"jens{n}@example.dk",
            )
            for n in range(50)
        )
    from django.contrib.auth import get_user_model

    admin, _ = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"is_superuser": True, "email": EMAIL}
    )
    admin.set_password(PASSWORD)
    admin.email = EMAIL
    admin.save()

    import redis

    redis.Redis.from_url(os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/5")).flushdb()
    with tempfile.TemporaryDirectory(prefix="kartotek-topology-") as temporary:
        directory = Path(temporary)
        mail = directory / "mail"
        mail.mkdir()
        processes = [_pgbouncer(directory)]
        try:
            processes += _start(_environment(mail))
            _checks(mail)
            browser = Browser()
            browser.sign_in("A")
            print(
                f"\ncustomer list, first page: {arguments.clients} keep-alive clients for "
                f"{arguments.seconds:g} s, gunicorn with 2 sync workers a server"
            )
            for servers in (["A"], ["A", "B"]):
                rate = _throughput(browser.cookies, servers, arguments.seconds, arguments.clients)
                print(f"  {' + '.join(servers):<8}{rate:>8.1f} requests/s", flush=True)
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in processes:
                process.wait()


if __name__ == "__main__":
    main()
