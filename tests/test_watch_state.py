"""Where the state lives and how it grows: SQLite migration, GOVPUB_WATCH_STATE, the fence guard."""

import sqlite3

import pytest
from watch_fixtures import make_repo

from govpub.watch.config import load_feeds
from govpub.watch.store import _SCHEMA_V1, SCHEMA_VERSION, Store


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
