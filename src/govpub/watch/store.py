"""The watcher's state in SQLite: obligations, their history, feed health, the outbox.

* Versioned schema (``PRAGMA user_version``); a newer file than this code
  understands is refused rather than damaged.
* Every change is one transaction (``BEGIN IMMEDIATE``), so ``kill -9`` at
  any point leaves either the state before or the state after, never half.
* WAL journal and ``synchronous=FULL``: a committed alert decision survives a
  power cut.
* Times are stored as UTC ISO 8601 strings, which sort correctly as text.
* :class:`WatcherLock` is an OS file lock next to the database: two watchers
  on the same state cannot both run a cycle (the kernel drops the lock when a
  process dies, even by ``kill -9``, so a crash never leaves a stale lease).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from ..errors import ConfigError, GovpubError

SCHEMA_VERSION = 2

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


def iso(moment: datetime | None) -> str | None:
    """UTC ISO 8601 text for storage (sortable)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Store:
    """One SQLite connection to the watcher's state file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot open the watcher state: {exc}", path=self.path,
                              hint="check the state: path in site_config/feeds.yml") from None
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise ConfigError(f"the watcher state is not a usable SQLite database: {exc}",
                              path=self.path,
                              hint="move the file aside; the watcher starts a new one") from None

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ConfigError(f"state schema version {version} is newer than this govpub "
                              f"understands ({SCHEMA_VERSION})", path=self.path,
                              hint="upgrade govpub")
        if version < SCHEMA_VERSION:
            with self.transaction():
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in _MIGRATIONS[step].split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextlib.contextmanager
    def transaction(self):
        """All-or-nothing: commits on success, rolls back on any exception."""
        if self.db.in_transaction:
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    # --- obligations -------------------------------------------------------

    def find(self, identity: str, link_norm: str | None):
        row = self.db.execute("SELECT * FROM obligations WHERE identity = ?",
                              (identity,)).fetchone()
        if row is None and link_norm:
            row = self.db.execute("SELECT * FROM obligations WHERE link_norm = ? "
                                  "ORDER BY id LIMIT 1", (link_norm,)).fetchone()
        return row

    def obligation(self, obligation_id: int):
        return self.db.execute("SELECT * FROM obligations WHERE id = ?",
                               (obligation_id,)).fetchone()

    def open_obligations(self):
        return self.db.execute("SELECT * FROM obligations WHERE state = 'open' "
                               "ORDER BY deadline, id").fetchall()

    def known_links(self, link_norms: set[str]) -> set[str]:
        """Which of these normalized links an obligation already has."""
        found: set[str] = set()
        wanted = sorted(link_norms)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self.db.execute("SELECT link_norm FROM obligations WHERE link_norm IN "
                                   f"({', '.join('?' * len(chunk))})", chunk)
            found.update(row[0] for row in rows)
        return found

    def insert_obligation(self, **fields) -> int:
        names = ", ".join(fields)
        cursor = self.db.execute(
            f"INSERT INTO obligations({names}) VALUES ({', '.join('?' * len(fields))})",
            tuple(fields.values()))
        return cursor.lastrowid

    def rename_obligation(self, obligation_id: int, title: str) -> None:
        self.db.execute("UPDATE obligations SET title = ? WHERE id = ?", (title, obligation_id))

    def close_reproduced(self, obligation_id: int, at: datetime, url: str,
                         reproduced_at: datetime, lead_seconds: int, late: bool) -> bool:
        cursor = self.db.execute(
            "UPDATE obligations SET state = 'reproduced', closed_at = ?, closed_by = ?, "
            "reproduction_url = ?, reproduction_published = ?, lead_seconds = ?, late = ?, "
            "verify_note = NULL WHERE id = ? AND state = 'open'",
            (iso(at), "watcher", url, iso(reproduced_at), lead_seconds, int(late),
             obligation_id))
        if cursor.rowcount == 1:
            self.cancel_alerts(obligation_id, at)
        return cursor.rowcount == 1

    def dismiss(self, obligation_id: int, at: datetime, by: str, reason: str) -> bool:
        """Close an open obligation as not applicable; its pending alerts are cancelled."""
        cursor = self.db.execute(
            "UPDATE obligations SET state = 'dismissed', closed_at = ?, closed_by = ?, "
            "close_reason = ? WHERE id = ? AND state = 'open'",
            (iso(at), by, reason, obligation_id))
        if cursor.rowcount == 1:
            self.cancel_alerts(obligation_id, at)
        return cursor.rowcount == 1

    def acknowledge(self, obligation_id: int, at: datetime, by: str) -> bool:
        cursor = self.db.execute(
            "UPDATE obligations SET acked_by = ?, acked_at = ? WHERE id = ? AND state = 'open'",
            (by, iso(at), obligation_id))
        return cursor.rowcount == 1

    def pending_alerts(self, obligation_id: int):
        return self.db.execute(
            "SELECT * FROM outbox WHERE obligation_id = ? AND sent_at IS NULL "
            "AND failed_at IS NULL AND cancelled_at IS NULL ORDER BY key",
            (obligation_id,)).fetchall()

    def retarget_alert(self, key: str, targets: list[str]) -> None:
        self.db.execute("UPDATE outbox SET targets = ? WHERE key = ?",
                        (json.dumps(targets), key))

    def mark_not_live(self, obligation_ids: list[int], at: datetime,
                      notes: dict[int, str] | None = None) -> None:
        """The site was checked at ``at`` and did not carry these reproductions."""
        notes = notes or {}
        for obligation_id in obligation_ids:
            self.db.execute("UPDATE obligations SET site_checked_at = ?, verify_note = ? "
                            "WHERE id = ? AND state = 'open'",
                            (iso(at), notes.get(obligation_id), obligation_id))

    def cancel_alerts(self, obligation_id: int, at: datetime) -> int:
        """Pending alerts of a closed obligation are never delivered."""
        return self.db.execute(
            "UPDATE outbox SET cancelled_at = ? WHERE obligation_id = ? AND sent_at IS NULL "
            "AND failed_at IS NULL AND cancelled_at IS NULL", (iso(at), obligation_id)).rowcount

    # --- originals ----------------------------------------------------------

    def original(self, obligation_id: int):
        return self.db.execute("SELECT * FROM originals WHERE obligation_id = ?",
                               (obligation_id,)).fetchone()

    def save_original(self, obligation_id: int, url: str, at: datetime, digest: str,
                      text: str) -> None:
        self.db.execute("DELETE FROM originals WHERE obligation_id = ?", (obligation_id,))
        self.db.execute("INSERT INTO originals(obligation_id, url, fetched_at, digest, text) "
                        "VALUES (?,?,?,?,?)", (obligation_id, url, iso(at), digest, text))

    def alert_keys_of_open(self) -> set[str]:
        """Alert keys of open obligations only: the work per cycle stays flat as history grows."""
        rows = self.db.execute("SELECT o.key FROM outbox o JOIN obligations b "
                               "ON o.obligation_id = b.id WHERE b.state = 'open'")
        return {row[0] for row in rows}

    def recent_obligations(self, since: datetime):
        return self.db.execute(
            "SELECT * FROM obligations WHERE state = 'open' OR closed_at >= ? "
            "ORDER BY state != 'open', deadline, id", (iso(since),)).fetchall()

    def add_history(self, obligation_id: int, at: datetime, event: str, detail=None) -> None:
        text = detail if isinstance(detail, str) else json.dumps(detail or {}, ensure_ascii=False)
        self.db.execute("INSERT INTO history(obligation_id, at, event, detail) VALUES (?,?,?,?)",
                        (obligation_id, iso(at), event, text))

    def history(self, obligation_id: int):
        return self.db.execute("SELECT * FROM history WHERE obligation_id = ? ORDER BY id",
                               (obligation_id,)).fetchall()

    # --- feeds --------------------------------------------------------------

    def feed_state(self, feed_id: str):
        row = self.db.execute("SELECT * FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        if row is None:
            with self.transaction():
                self.db.execute("INSERT OR IGNORE INTO feeds(id) VALUES (?)", (feed_id,))
            row = self.db.execute("SELECT * FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return row

    def update_feed(self, feed_id: str, **fields) -> None:
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self.db.execute(f"UPDATE feeds SET {assignments} WHERE id = ?",
                        (*fields.values(), feed_id))

    def alert_counts(self) -> tuple[int, int]:
        """(pending, given up) alerts."""
        pending = self.db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND "
                                  "failed_at IS NULL AND cancelled_at IS NULL").fetchone()[0]
        failed = self.db.execute("SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL"
                                 ).fetchone()[0]
        return pending, failed

    def feeds(self):
        return self.db.execute("SELECT * FROM feeds ORDER BY id").fetchall()


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
                        f"another watcher is running on this state (pid {holder})",
                        path=self.path,
                        hint="let it finish, or stop it; two watchers would double-alert"
                    ) from None
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
