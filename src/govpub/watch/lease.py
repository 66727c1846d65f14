"""Who is the active watcher: a PostgreSQL advisory lock with an expiring lease.

Two watchers on two machines share one state; exactly one of them works at a
time. The active one holds

* a session **advisory lock** (``pg_try_advisory_lock``) on its own lease
  connection — when its process dies (``kill -9``, a crash, a reboot that
  closes the socket) the server drops the session and the lock at once, and
  the standby takes it at its next try (every ``check_seconds``);
* the **lease row** (``watcher_lease``): holder, an epoch that grows with
  every takeover, and an expiry renewed every third of ``lease_seconds`` by
  a heartbeat thread. If the active machine vanishes without closing its
  socket, or the process hangs, the server still thinks the session is
  alive; once the lease has expired (by the database server's clock, so no
  two machines' clocks are compared) the standby ends that session with
  ``pg_terminate_backend`` and takes the lock — and ends the old holder's
  session that is inside a fenced transaction, whose share lock on the lease
  row would otherwise hold the takeover until the frozen process wakes.

The lease is the fence (:class:`~govpub.watch.pgstore.PgStore`): every
transaction of the active watcher checks that holder and epoch are still
its own, so a watcher that was frozen and wakes up after a takeover cannot
write one more row. The worst case for an alert is the one being sent at
the instant of a takeover: it is sent again, marked "repeat: delivery
uncertain", exactly as after a crash with SQLite.
"""

from __future__ import annotations

import os
import socket
import threading
import time

from ..errors import GovpubError
from ..i18n import _
from .pgstore import LEASE_NAME, PgStore, connect, redact

#: pg_try_advisory_lock key: the lease name hashed with the schema, so two sites in two
#: schemas of one database do not share it
_LOCK_KEY = "SELECT hashtextextended(current_schema() || ':govpub-watch', 0) AS k"
RELEASE_WAIT = 2.0  # seconds a stop waits for the lease connection
#: how long a takeover waits for a fenced transaction begun after the sessions holding one
#: were ended (a live former holder's is short); longer, and it is tried again
TAKEOVER_WAIT_MS = 2000


class PgLease:
    def __init__(self, dsn: str, *, lease_seconds: float = 30.0, check_seconds: float = 5.0):
        self.dsn = dsn
        self.lease_seconds = lease_seconds
        self.check_seconds = check_seconds
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{time.monotonic_ns()}"
        self.epoch: int | None = None
        self.lost = threading.Event()
        self._conn = None
        self._key: int | None = None
        self._use = threading.Lock()  # the heartbeat and the daemon share the connection
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None
        self._schema_ready = False

    @property
    def held(self) -> bool:
        return self.epoch is not None and not self.lost.is_set()

    @property
    def fence(self) -> tuple[str, int]:
        return self.holder, self.epoch

    def _connection(self):
        if self._conn is None or self._conn.closed:
            if not self._schema_ready:  # a fresh database: the lease row comes with the schema
                PgStore(self.dsn).close()
                self._schema_ready = True
            self._conn = connect(self.dsn, "lease")
            self._key = self._conn.execute(_LOCK_KEY).fetchone()["k"]
        return self._conn

    def try_acquire(self) -> bool:
        """Become the active watcher if nobody is, or the active one's lease has expired."""
        import psycopg

        with self._use:
            try:
                conn = self._connection()
                if conn.execute("SELECT pg_try_advisory_lock(%s) AS got",
                                (self._key,)).fetchone()["got"]:
                    self._end_fenced_transactions(conn)
                    with conn.transaction():
                        # one that began since is short, unless frozen: then the next try
                        conn.execute(f"SET LOCAL lock_timeout = {TAKEOVER_WAIT_MS}")
                        row = conn.execute(
                            "UPDATE watcher_lease SET holder = %s, epoch = epoch + 1, "
                            "expires_at = now() + make_interval(secs => %s), "
                            "backend_pid = pg_backend_pid(), acquired_at = now() "
                            "WHERE name = %s RETURNING epoch",
                            (self.holder, self.lease_seconds, LEASE_NAME)).fetchone()
                    self.epoch = row["epoch"]
                    self.lost.clear()
                    self._start_heartbeat()
                    return True
                stale = conn.execute(
                    "SELECT backend_pid FROM watcher_lease WHERE name = %s AND "
                    "expires_at < now() AND backend_pid IS NOT NULL", (LEASE_NAME,)).fetchone()
                if stale:  # its session outlived its lease: end it, take over next try
                    conn.execute("SELECT pg_terminate_backend(%s)", (stale["backend_pid"],))
            except psycopg.Error:
                self._drop()
            return False

    @staticmethod
    def _end_fenced_transactions(conn) -> None:
        """End the sessions inside a fenced transaction (pgstore's ``FOR SHARE`` of the lease
        row). Only a former holder has one; with the lock now ours its transaction can only
        be refused, but a frozen process holds its share lock until it wakes, and the
        takeover's update of the row would wait on it for good. Ended, it is rolled back."""
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = "
                     "'relation' AND relation = to_regclass('watcher_lease') AND mode = "
                     "'RowShareLock' AND pid <> pg_backend_pid()")

    def _start_heartbeat(self) -> None:
        self._stop.clear()
        self._beat = threading.Thread(target=self._heartbeat, name="govpub-lease", daemon=True)
        self._beat.start()

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.lease_seconds / 3):
            if not self.renew():
                self.lost.set()
                return

    def renew(self) -> bool:
        import psycopg

        with self._use:
            if self.epoch is None or self._conn is None:
                return False
            try:
                renewed = self._conn.execute(
                    "UPDATE watcher_lease SET expires_at = now() + make_interval(secs => %s) "
                    "WHERE name = %s AND holder = %s AND epoch = %s",
                    (self.lease_seconds, LEASE_NAME, self.holder, self.epoch)).rowcount
            except psycopg.Error:
                renewed = 0
            return renewed == 1

    def acquire(self, wait_seconds: float) -> None:
        """For ``--once``: the lease within ``wait_seconds``, else the error of a busy state."""
        deadline = time.monotonic() + wait_seconds
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                raise GovpubError(
                    _("another watcher is running on this state ({holder})").format(
                        holder=self.current_holder() or "?"), path=redact(self.dsn),
                    hint=_("let it finish, or stop it; two watchers would double-alert"))
            time.sleep(min(self.check_seconds, 0.5))

    def current_holder(self) -> str | None:
        import psycopg

        try:
            with self._use:
                row = self._connection().execute(
                    "SELECT holder FROM watcher_lease WHERE name = %s", (LEASE_NAME,)).fetchone()
            return row["holder"] if row else None
        except psycopg.Error:
            return None

    def release(self) -> None:
        """Give the lease up at once (a clean stop): the standby need not wait for expiry."""
        import psycopg

        self._stop.set()
        if not self._use.acquire(timeout=RELEASE_WAIT):
            return  # the connection is stuck in a call: the process's exit closes it
        try:
            if self._conn is not None and self.epoch is not None and not self.lost.is_set():
                try:
                    self._conn.execute(
                        "UPDATE watcher_lease SET expires_at = now() WHERE name = %s "
                        "AND holder = %s AND epoch = %s", (LEASE_NAME, self.holder, self.epoch))
                    self._conn.execute("SELECT pg_advisory_unlock(%s)", (self._key,))
                except psycopg.Error:
                    pass
            self.epoch = None
            self._drop()
        finally:
            self._use.release()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None

    def __enter__(self):
        self.acquire(10)
        return self

    def __exit__(self, *exc) -> None:
        self.release()
