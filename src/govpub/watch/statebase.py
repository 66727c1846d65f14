"""The watcher's state, whatever holds it: obligations, their history, feeds, the outbox.

:class:`StateStore` is every query the watcher makes, written once in the
SQL that SQLite and PostgreSQL share (``?`` parameters, ``ON CONFLICT DO
NOTHING``, ``RETURNING``); a backend supplies the connection, ``execute``
and ``transaction``: :class:`govpub.watch.store.Store` (SQLite, one machine,
the default) and :class:`govpub.watch.pgstore.PgStore` (PostgreSQL, two
machines under a lease). Rows are read by column name.

* Versioned schema; a state newer than this code understands is refused
  rather than damaged.
* Every change is one transaction, so ``kill -9`` at any point leaves either
  the state before or the state after, never half.
* Times are stored as UTC ISO 8601 strings, which sort correctly as text.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime

SCHEMA_VERSION = 2


def iso(moment: datetime | None) -> str | None:
    """UTC ISO 8601 text for storage (sortable)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class StateStore:
    """The watcher's queries; subclasses provide ``execute``, ``transaction`` and ``close``."""

    def execute(self, sql: str, params=()):
        """Run one statement (``?`` parameters); returns a cursor with rows by column name."""
        raise NotImplementedError

    @contextlib.contextmanager
    def transaction(self):
        """All-or-nothing: commits on success, rolls back on any exception; nests."""
        raise NotImplementedError
        yield self

    def close(self) -> None:
        raise NotImplementedError

    # --- obligations -------------------------------------------------------

    def find(self, identity: str, link_norm: str | None):
        row = self.execute("SELECT * FROM obligations WHERE identity = ?",
                              (identity,)).fetchone()
        if row is None and link_norm:
            row = self.execute("SELECT * FROM obligations WHERE link_norm = ? "
                                  "ORDER BY id LIMIT 1", (link_norm,)).fetchone()
        return row

    def obligation(self, obligation_id: int):
        return self.execute("SELECT * FROM obligations WHERE id = ?",
                               (obligation_id,)).fetchone()

    def open_obligations(self):
        return self.execute("SELECT * FROM obligations WHERE state = 'open' "
                               "ORDER BY deadline, id").fetchall()

    def known_links(self, link_norms: set[str]) -> set[str]:
        """Which of these normalized links an obligation already has."""
        found: set[str] = set()
        wanted = sorted(link_norms)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self.execute("SELECT link_norm FROM obligations WHERE link_norm IN "
                                f"({', '.join('?' * len(chunk))})", chunk)
            found.update(row["link_norm"] for row in rows)
        return found

    def insert_obligation(self, **fields) -> int:
        names = ", ".join(fields)
        return self.execute(
            f"INSERT INTO obligations({names}) VALUES ({', '.join('?' * len(fields))}) "
            "RETURNING id", tuple(fields.values())).fetchone()["id"]

    def rename_obligation(self, obligation_id: int, title: str) -> None:
        self.execute("UPDATE obligations SET title = ? WHERE id = ?", (title, obligation_id))

    def close_reproduced(self, obligation_id: int, at: datetime, url: str,
                         reproduced_at: datetime, lead_seconds: int, late: bool) -> bool:
        cursor = self.execute(
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
        cursor = self.execute(
            "UPDATE obligations SET state = 'dismissed', closed_at = ?, closed_by = ?, "
            "close_reason = ? WHERE id = ? AND state = 'open'",
            (iso(at), by, reason, obligation_id))
        if cursor.rowcount == 1:
            self.cancel_alerts(obligation_id, at)
        return cursor.rowcount == 1

    def acknowledge(self, obligation_id: int, at: datetime, by: str) -> bool:
        cursor = self.execute(
            "UPDATE obligations SET acked_by = ?, acked_at = ? WHERE id = ? AND state = 'open'",
            (by, iso(at), obligation_id))
        return cursor.rowcount == 1

    def pending_alerts(self, obligation_id: int):
        return self.execute(
            "SELECT * FROM outbox WHERE obligation_id = ? AND sent_at IS NULL "
            "AND failed_at IS NULL AND cancelled_at IS NULL ORDER BY key",
            (obligation_id,)).fetchall()

    def retarget_alert(self, key: str, targets: list[str]) -> None:
        self.execute("UPDATE outbox SET targets = ? WHERE key = ?",
                        (json.dumps(targets), key))

    def mark_not_live(self, obligation_ids: list[int], at: datetime,
                      notes: dict[int, str] | None = None) -> None:
        """The site was checked at ``at`` and did not carry these reproductions."""
        notes = notes or {}
        for obligation_id in obligation_ids:
            self.execute("UPDATE obligations SET site_checked_at = ?, verify_note = ? "
                            "WHERE id = ? AND state = 'open'",
                            (iso(at), notes.get(obligation_id), obligation_id))

    def cancel_alerts(self, obligation_id: int, at: datetime) -> int:
        """Pending alerts of a closed obligation are never delivered."""
        return self.execute(
            "UPDATE outbox SET cancelled_at = ? WHERE obligation_id = ? AND sent_at IS NULL "
            "AND failed_at IS NULL AND cancelled_at IS NULL", (iso(at), obligation_id)).rowcount

    # --- originals ----------------------------------------------------------

    def original(self, obligation_id: int):
        return self.execute("SELECT * FROM originals WHERE obligation_id = ?",
                               (obligation_id,)).fetchone()

    def save_original(self, obligation_id: int, url: str, at: datetime, digest: str,
                      text: str) -> None:
        self.execute("DELETE FROM originals WHERE obligation_id = ?", (obligation_id,))
        self.execute("INSERT INTO originals(obligation_id, url, fetched_at, digest, text) "
                        "VALUES (?,?,?,?,?)", (obligation_id, url, iso(at), digest, text))

    def alert_keys_of_open(self) -> set[str]:
        """Alert keys of open obligations only: the work per cycle stays flat as history grows."""
        rows = self.execute("SELECT o.key FROM outbox o JOIN obligations b "
                            "ON o.obligation_id = b.id WHERE b.state = 'open'")
        return {row["key"] for row in rows}

    def recent_obligations(self, since: datetime):
        return self.execute(
            "SELECT * FROM obligations WHERE state = 'open' OR closed_at >= ? "
            "ORDER BY state != 'open', deadline, id", (iso(since),)).fetchall()

    def add_history(self, obligation_id: int, at: datetime, event: str, detail=None) -> None:
        text = detail if isinstance(detail, str) else json.dumps(detail or {}, ensure_ascii=False)
        self.execute("INSERT INTO history(obligation_id, at, event, detail) VALUES (?,?,?,?)",
                        (obligation_id, iso(at), event, text))

    def history(self, obligation_id: int):
        return self.execute("SELECT * FROM history WHERE obligation_id = ? ORDER BY id",
                               (obligation_id,)).fetchall()

    # --- feeds --------------------------------------------------------------

    def feed_state(self, feed_id: str):
        row = self.execute("SELECT * FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        if row is None:
            with self.transaction():
                self.execute("INSERT INTO feeds(id) VALUES (?) ON CONFLICT DO NOTHING",
                             (feed_id,))
            row = self.execute("SELECT * FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return row

    def update_feed(self, feed_id: str, **fields) -> None:
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self.execute(f"UPDATE feeds SET {assignments} WHERE id = ?",
                        (*fields.values(), feed_id))

    def alert_counts(self) -> tuple[int, int]:
        """(pending, given up) alerts."""
        pending = self.execute("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND "
                               "failed_at IS NULL AND cancelled_at IS NULL").fetchone()["n"]
        failed = self.execute("SELECT count(*) AS n FROM outbox WHERE failed_at IS NOT NULL"
                              ).fetchone()["n"]
        return pending, failed

    def feeds(self):
        return self.execute("SELECT * FROM feeds ORDER BY id").fetchall()
