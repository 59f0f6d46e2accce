"""The embedded PostgreSQL server: used when DATABASE_URL is unset, stopped by the last user."""

import os
import signal
import subprocess
import sys
import time

import psutil

from tests.config.helpers import PROJECT_DIR, clean_environment, run_python

SHOW_DATA_DIRECTORY = (
    "import django; django.setup()\n"
    "from django.db import connection\n"
    "with connection.cursor() as c:\n"
    "    c.execute('SHOW data_directory'); print(c.fetchone()[0])\n"
)


def _server_processes(data_dir):
    pgdata = str(data_dir / "postgres")
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and pgdata in cmdline:
            found.append(process)
    return found


def _wait_until_stopped(data_dir, seconds=15):
    deadline = time.monotonic() + seconds
    while _server_processes(data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not _server_processes(data_dir)


def test_embedded_server_is_used_when_database_url_is_unset(tmp_path):
    result = run_python(SHOW_DATA_DIRECTORY, env={"DEBUG": "1", "KARTOTEK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(str(tmp_path / "postgres"))
    assert _wait_until_stopped(tmp_path), "the server outlived its last user"


def test_nothing_is_started_when_database_url_is_set(tmp_path):
    code = "import django; django.setup()\nfrom django.conf import settings\n"
    code += "print(settings.DATABASES['default']['PORT'])"
    env = {
        "DEBUG": "1",
        "KARTOTEK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://someone@127.0.0.1:6543/elsewhere",
    }
    result = run_python(code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "6543"
    assert not (tmp_path / "postgres").exists()


def test_server_is_shared_and_stops_after_its_last_user_is_killed(tmp_path):
    env = clean_environment(DEBUG="1", KARTOTEK_DATA_DIR=str(tmp_path))
    hold = SHOW_DATA_DIRECTORY + "import sys, time; sys.stdout.flush(); time.sleep(600)\n"
    users = [
        subprocess.Popen(
            [sys.executable, "-c", hold],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for user in users:
            assert user.stdout.readline().strip().endswith("postgres")
        assert len(_server_processes(tmp_path)) == 1, "each user started its own server"
        # One user killed outright (no clean-up at all): the server stays for the other.
        users[0].send_signal(signal.SIGKILL)
        users[0].wait()
        time.sleep(2.5)
        assert _server_processes(tmp_path), "the server stopped while still in use"
        users[1].send_signal(signal.SIGKILL)
        users[1].wait()
        assert _wait_until_stopped(tmp_path), "the server outlived its last (killed) user"
    finally:
        for user in users:
            user.kill()
            user.wait()


def test_registry_forgets_dead_processes_and_ignores_stray_files(tmp_path):
    from config.embedded_db import EmbeddedServer, _identity

    server = EmbeddedServer(tmp_path)
    server.users_dir.mkdir()
    (server.users_dir / str(os.getpid())).write_text(_identity(os.getpid()))
    (server.users_dir / "999999999").write_text("12345.0")  # no such process
    (server.users_dir / str(os.getppid())).write_text("1.0")  # pid alive, but recycled
    (server.users_dir / ".DS_Store").write_text("")
    assert server.living_users() == [os.getpid()]
    assert sorted(p.name for p in server.users_dir.iterdir()) == [".DS_Store", str(os.getpid())]
