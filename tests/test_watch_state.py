"""Where the state lives and how it grows: SQLite migration, GOVPUB_WATCH_STATE, the fence guard."""

import re
import sqlite3

import pytest
from watch_fixtures import make_repo

from govpub.watch.config import load_feeds
from govpub.watch.pgstore import _SCHEMA as PG_SCHEMA
from govpub.watch.store import _SCHEMA_V1, SCHEMA_VERSION, Store

#: PostgreSQL's own bookkeeping: SQLite keeps the version in PRAGMA user_version and the
#: lease is a file lock next to the database (store.WatcherLock)
PG_ONLY_TABLES = {"govpub_meta", "watcher_lease"}


def test_a_version_1_state_is_migrated_in_place(tmp_path):
    path = tmp_path / "watch.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(_SCHEMA_V1)
    db.execute("INSERT INTO obligations(identity, feed_id, publisher, title, first_seen, "
               "deadline, basis, state) VALUES ('guid:1', 'f', 'p', '标题', "
               "'2026-11-20T01:00:00+00:00', '2026-11-20T13:00:00+00:00', 'source', 'open')")
    db.execute("INSERT INTO outbox(key, obligation_id, step, title, body, targets, created_at, "
               "due_at, next_attempt_at) VALUES ('obligation:1:detected', 1, 'detected', 't', "
               "'b', '[]', 'x', 'x', 'x')")
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    store = Store(path)
    try:
        row = store.obligation(1)
        assert row["title"] == "标题" and row["acked_by"] is None and row["late"] is None
        assert store.alert_counts() == (1, 0)                  # cancelled_at exists, unset
        assert store.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        store.close()


def test_the_environment_chooses_the_state(tmp_path, monkeypatch):
    make_repo(tmp_path, [{"id": "x", "url": "f.xml", "publisher": "p"}])
    monkeypatch.setenv("GOVPUB_WATCH_STATE", "postgresql://govpub@db1,db2/govpub")
    feeds = load_feeds(tmp_path)
    assert feeds.state_url == "postgresql://govpub@db1,db2/govpub" and feeds.state_path is None
    monkeypatch.setenv("GOVPUB_WATCH_STATE", "/var/lib/govpub/watch.sqlite3")
    feeds = load_feeds(tmp_path)
    assert feeds.state_url is None and str(feeds.state_path) == "/var/lib/govpub/watch.sqlite3"


@pytest.mark.parametrize("dsn, shown", [
    ("postgresql://govpub:s3cret@db1/govpub", "postgresql://govpub:…@db1/govpub"),
    ("host=db1 user=govpub password=s3cret dbname=govpub",
     "host=db1 user=govpub password=… dbname=govpub"),
])
def test_a_connection_string_is_never_shown_with_its_password(dsn, shown):
    from govpub.watch.pgstore import redact

    assert redact(dsn) == shown


def _top_level_parts(body: str) -> list[str]:
    """A CREATE TABLE body split at the commas outside parentheses (CHECK (x IN ('a', 'b')))."""
    parts, depth, current = [], 0, ""
    for char in body:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def pg_tables_and_indexes(schema: str) -> tuple[dict[str, set[str]], dict[str, tuple]]:
    """({table: column names}, {index: (table, columns)}) of pgstore's CREATE statements."""
    tables, indexes = {}, {}
    for statement in schema.split(";"):
        if table := re.match(r"\s*CREATE TABLE IF NOT EXISTS (\w+) \((.*)\)\s*$", statement,
                             re.DOTALL):
            tables[table[1]] = {part.split()[0] for part in _top_level_parts(table[2])
                                if part.split()[0] not in ("PRIMARY", "UNIQUE", "CHECK",
                                                           "FOREIGN", "CONSTRAINT")}
        elif index := re.match(r"\s*CREATE INDEX IF NOT EXISTS (\w+) ON (\w+)\(([^)]*)\)",
                               statement):
            indexes[index[1]] = (index[2], tuple(c.strip() for c in index[3].split(",")))
    return tables, indexes


def test_sqlite_and_postgresql_states_have_the_same_tables_columns_and_indexes(tmp_path):
    """The two schemas are written twice (SQLite's grows by migrations): they must not drift."""
    store = Store(tmp_path / "watch.sqlite3")
    try:
        names = [row[0] for row in store.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
        sqlite_tables = {name: {row[1] for row in store.execute(f"PRAGMA table_info({name})")}
                         for name in names}
        sqlite_indexes = {
            name: (table, tuple(row[2] for row in store.execute(f"PRAGMA index_info({name})")))
            for name, table in store.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' "
                "AND name NOT LIKE 'sqlite_autoindex_%'").fetchall()}
    finally:
        store.close()
    pg_tables, pg_indexes = pg_tables_and_indexes(PG_SCHEMA)
    assert set(pg_tables) >= PG_ONLY_TABLES
    assert set(pg_tables) - PG_ONLY_TABLES == set(sqlite_tables)
    for table, columns in sqlite_tables.items():
        only_pg, only_sqlite = pg_tables[table] - columns, columns - pg_tables[table]
        assert (table, only_pg, only_sqlite) == (table, set(), set())
    assert pg_indexes == sqlite_indexes
