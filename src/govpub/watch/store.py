"""The watcher's state in SQLite (the default, one machine): the queries are
:class:`~govpub.watch.statebase.StateStore`'s.

* Versioned schema (``PRAGMA user_version``); a newer file than this code
  understands is refused rather than damaged.
* Every change is one transaction (``BEGIN IMMEDIATE``), so ``kill -9`` at
  any point leaves either the state before or the state after, never half.
* WAL journal and ``synchronous=FULL``: a committed alert decision survives a
  power cut.
* :class:`WatcherLock` is an OS file lock next to the database: two watchers
  on the same state cannot both run a cycle (the kernel drops the lock when a
  process dies, even by ``kill -9``, so a crash never leaves a stale lease).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import time
from pathlib import Path

from ..errors import ConfigError, GovpubError
from ..i18n import _
from .statebase import SCHEMA_VERSION, StateStore, from_iso, iso

__all__ = ["SCHEMA_VERSION", "Store", "WatcherLock", "from_iso", "iso"]

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS obligations (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL UNIQUE,
    feed_id TEXT NOT NULL,
    publisher TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT,
    link_norm TEXT,
    source_time TEXT,
    source_time_raw TEXT,
    first_seen TEXT NOT NULL,
    deadline TEXT NOT NULL,
    basis TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'reproduced', 'dismissed')),
    closed_at TEXT,
    closed_by TEXT,
    close_reason TEXT,
    reproduction_url TEXT,
    reproduction_published TEXT,
    lead_seconds INTEGER
);
CREATE INDEX IF NOT EXISTS obligations_link ON obligations(link_norm);
CREATE INDEX IF NOT EXISTS obligations_state ON obligations(state, deadline);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    obligation_id INTEGER NOT NULL REFERENCES obligations(id),
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS history_obligation ON history(obligation_id);
CREATE TABLE IF NOT EXISTS feeds (
    id TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_attempt TEXT,
    last_success TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    items_seen INTEGER NOT NULL DEFAULT 0,
    baseline_done INTEGER NOT NULL DEFAULT 0,
    watched_since TEXT,
    blind_since TEXT
);
CREATE TABLE IF NOT EXISTS outbox (
    key TEXT PRIMARY KEY,
    obligation_id INTEGER,
    step TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    targets TEXT NOT NULL,
    delivered TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    in_flight INTEGER NOT NULL DEFAULT 0,
    uncertain INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    failed_at TEXT,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(sent_at, failed_at, next_attempt_at);
CREATE INDEX IF NOT EXISTS outbox_obligation ON outbox(obligation_id);
"""

#: version 2 (issue 16): who acknowledged, when the site last lacked the reproduction,
#: late marks, cancelled alerts, feeds over their item limit, the originals' texts
_SCHEMA_V2 = """
ALTER TABLE obligations ADD COLUMN acked_by TEXT;
ALTER TABLE obligations ADD COLUMN acked_at TEXT;
ALTER TABLE obligations ADD COLUMN site_checked_at TEXT;
ALTER TABLE obligations ADD COLUMN verify_note TEXT;
ALTER TABLE obligations ADD COLUMN late INTEGER;
ALTER TABLE outbox ADD COLUMN cancelled_at TEXT;
ALTER TABLE feeds ADD COLUMN items_total INTEGER;
ALTER TABLE feeds ADD COLUMN over_limit_since TEXT;
CREATE TABLE IF NOT EXISTS originals (
    obligation_id INTEGER PRIMARY KEY REFERENCES obligations(id),
    url TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    digest TEXT NOT NULL,
    text TEXT NOT NULL
);
"""

_MIGRATIONS = {1: _SCHEMA_V1, 2: _SCHEMA_V2}


class Store(StateStore):
    """One SQLite connection to the watcher's state file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(_("cannot open the watcher state: {error}").format(error=exc),
                              path=self.path,
                              hint=_("check the state: path in site_config/feeds.yml")) from None
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise ConfigError(
                _("the watcher state is not a usable SQLite database: {error}").format(error=exc),
                path=self.path,
                hint=_("move the file aside; the watcher starts a new one")) from None

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ConfigError(_("state schema version {version} is newer than this govpub "
                                "understands ({known})").format(version=version,
                                                                known=SCHEMA_VERSION),
                              path=self.path, hint=_("upgrade govpub"))
        if version < SCHEMA_VERSION:
            with self.transaction():
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in _MIGRATIONS[step].split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def execute(self, sql: str, params=()):
        return self.db.execute(sql, params)

    @contextlib.contextmanager
    def transaction(self):
        """All-or-nothing: commits on success, rolls back on any exception."""
        if self.db.in_transaction:
            yield self
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()


class WatcherLock:
    """An exclusive OS lock on ``<state>.lock``; released by the kernel if we die."""

    def __init__(self, state_path: Path) -> None:
        self.path = Path(str(state_path) + ".lock")
        self.handle = None

    def acquire(self, wait_seconds: float = 10.0) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - held for the lock's lifetime
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    handle.close()
                    raise GovpubError(
                        _("another watcher is running on this state ({holder})").format(
                            holder=f"pid {holder}"),
                        path=self.path, hint=_("let it finish, or stop it; two watchers "
                                               "would double-alert")) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
