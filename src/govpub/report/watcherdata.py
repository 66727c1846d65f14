"""Reproduction figures from the watcher's state, read-only: for the office, not the public.

The official form has no row for the 12-hour reproduction of Central
Government documents, so these figures never go into the report page or its
CSV; ``govpub report annual`` prints them for the General Office. The SQLite
file is opened with ``mode=ro``: writing the report never creates, migrates
or locks the watcher's state; a shared PostgreSQL state (a ``postgresql://``
connection string) is read in a read-only transaction. No state (or an
unreadable one) means no figures, and the command says why.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from ..i18n import _


@dataclass(frozen=True)
class WatcherFigures:
    watched: int  # central items that opened an obligation in the year
    reproduced: int
    on_time: int
    dismissed: int
    lead_hours: tuple[float, ...]  # one per reproduced item
    late: int = 0  # reproduced after the deadline (reproduced = on_time + late)


def _utc(moment: datetime) -> str:
    from ..watch.store import iso

    return iso(moment)


_QUERY = ("SELECT state, deadline, reproduction_published, lead_seconds, {late} FROM obligations "
          "WHERE first_seen >= {p} AND first_seen < {p}")


def _read_postgres(dsn: str, start: datetime,
                   end: datetime) -> tuple[WatcherFigures | None, str | None]:
    import psycopg

    from ..watch.pgstore import redact

    try:
        with psycopg.connect(dsn, connect_timeout=10) as db:
            db.read_only = True
            rows = db.execute(_QUERY.format(late="late", p="%s"),
                              (_utc(start), _utc(end))).fetchall()
    except psycopg.Error as exc:
        return None, _("cannot read the watcher's state {path}: {error}").format(
            path=redact(dsn), error=" ".join(str(exc).split()))
    return figures(rows), None


def read_watcher(state: Path | str, start: datetime,
                 end: datetime) -> tuple[WatcherFigures | None, str | None]:
    """Figures for obligations first seen in [start, end), or (None, why not).

    ``state`` is the SQLite file or a ``postgresql://`` connection string.
    """
    if isinstance(state, str) and state.startswith(("postgresql://", "postgres://")):
        return _read_postgres(state, start, end)
    state = Path(state)
    if not state.is_file():
        return None, _("the watcher has kept no state here ({path} does not exist)").format(
            path=state.name)
    uri = f"file:{quote(str(state.resolve()))}?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True, timeout=10)
        try:
            columns = {row[1] for row in db.execute("PRAGMA table_info(obligations)")}
            late = "late" if "late" in columns else "NULL"  # states before schema 2
            rows = db.execute(_QUERY.format(late=late, p="?"),
                              (_utc(start), _utc(end))).fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        return None, _("cannot read the watcher's state {path}: {error}").format(
            path=state.name, error=exc)
    return figures(rows), None


def _late(row) -> bool:
    """The watcher's own late mark; for older states, reproduction time after the deadline."""
    _state, deadline, reproduced, _lead, late = row
    if late is not None:
        return bool(late)
    return not (reproduced and deadline and
                datetime.fromisoformat(reproduced) <= datetime.fromisoformat(deadline))


def figures(rows) -> WatcherFigures:
    """Figures from (state, deadline, reproduction time, lead seconds, late) rows."""
    reproduced = [r for r in rows if r[0] == "reproduced"]
    late = sum(1 for r in reproduced if _late(r))
    leads = tuple(round(r[3] / 3600, 2) for r in reproduced if r[3] is not None)
    return WatcherFigures(watched=len(rows), reproduced=len(reproduced),
                          on_time=len(reproduced) - late,
                          dismissed=sum(1 for r in rows if r[0] == "dismissed"),
                          lead_hours=leads, late=late)
