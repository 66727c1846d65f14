"""A throw-away PostgreSQL server for the tests (Debian's package, started from its binaries).

``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/<version>/bin`` (the
highest installed version) make a cluster in a fresh folder under the system
temporary directory, listening on 127.0.0.1 only, on a free port, with
password-less access for the ``govpub`` role. PostgreSQL refuses to run as
root: when the tests run as root (CI does), the server runs as the
``postgres`` system user the package creates (or ``nobody``), through
``runuser``. The server is stopped with ``immediate`` and its folder removed
when the context ends; a port taken in the meantime is retried on another.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from watch_fixtures import free_port

ROLE = "govpub"
START_ATTEMPTS = 3
#: a hang guard for initdb and pg_ctl, not a measure of speed
PATIENCE_SECONDS = 180


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(found[-1]).parent if found else None


def _server_user() -> str | None:
    """Who runs the server: None for ourselves, else a system user (we are root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and no 'postgres' or 'nobody' user to run PostgreSQL")


class PostgresServer:
    def __init__(self) -> None:
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed: run `make system-deps` "
                               "(scripts/bootstrap-system.sh installs the Debian package)")
        self.user = _server_user()
        self.folder = Path(tempfile.mkdtemp(prefix="govpub-pg-"))
        self.data = self.folder / "data"
        self.port = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=PATIENCE_SECONDS,
                              cwd=self.folder)

    def _own(self) -> None:
        if self.user:
            entry = pwd.getpwnam(self.user)
            for path in (self.folder, *self.folder.rglob("*")):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.folder.chmod(0o755)

    def start(self) -> PostgresServer:
        self._own()
        done = self._run("initdb", "-D", str(self.data), "-U", ROLE, "--auth=trust",
                         "-E", "UTF8", "--locale=C", "--no-sync")
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")
        for _attempt in range(START_ATTEMPTS):
            self.port = free_port()
            options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                       "-c shared_buffers=16MB -c max_connections=60")
            done = self._run("pg_ctl", "-D", str(self.data), "-o", options,
                             "-l", str(self.folder / "server.log"), "-w", "-t",
                             str(PATIENCE_SECONDS), "start")
            if done.returncode == 0:
                return self
        log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"PostgreSQL did not start: {done.stderr}\n{log}")

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def stop(self) -> None:
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
