"""The watcher's state in a real PostgreSQL server: the same watcher, a lease, a fence, failover.

The server is Debian's PostgreSQL, started by the tests in a temporary folder
(tests/pg_server.py); each test gets its own database. The state is chosen
with ``GOVPUB_WATCH_STATE`` (as a service's environment would), the feeds
and alert receivers are real local servers.
"""

import json
import os
import re
import signal
import subprocess
import sys
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import psycopg
import pytest
from pg_server import PostgresServer
from watch_fixtures import FeedServer, Receiver, failover_settings, make_repo, rss

from govpub.cli import main
from govpub.errors import ConfigError
from govpub.watch.lease import PgLease
from govpub.watch.pgstore import LeaseLost, PgStore

TZ = ZoneInfo("Asia/Shanghai")
NOW = "2026-11-20T09:00:00+08:00"
ITEMS = [{"title": f"国务院关于第{i}号事项的通知", "guid": f"g{i}",
          "link": f"https://www.gov.cn/zhengce/content_{i}.htm", "date": "2026-11-20 08:00"}
         for i in range(4)]
#: a hang guard for waits on another process, never a measure of speed
PATIENCE = 120


@pytest.fixture(scope="module")
def postgres():
    with PostgresServer() as server:
        yield server


@pytest.fixture
def dsn(postgres):
    return postgres.create_database("t" + uuid.uuid4().hex[:12])


def run(repo, *args):
    return main(["--root", str(repo), *args])


def one_receiver_duty(repo, port: int) -> None:
    """Everyone's targets on one webhook receiver (paths tell them apart)."""
    duty = repo / "site_config" / "duty.yml"
    duty.write_text(re.sub(r"mailto://[^\"]+", f"json://127.0.0.1:{port}/day",
                           duty.read_text(encoding="utf-8")), encoding="utf-8")


def test_the_watcher_works_the_same_on_postgresql(tmp_path, dsn, capsys, monkeypatch):
    with FeedServer() as server, Receiver() as receiver:
        server.routes["/feed"] = rss(ITEMS)
        repo = make_repo(tmp_path, [{"id": "central", "url": server.url("/feed"),
                                     "publisher": "国务院"}], http_port=receiver.port)
        one_receiver_duty(repo, receiver.port)
        monkeypatch.setenv("GOVPUB_WATCH_STATE", dsn)
        assert run(repo, "watch", "--once", "--now", NOW) == 0
        assert "4 new obligation(s)" in capsys.readouterr().out
        assert run(repo, "watch", "ack", "1", "--by", "duty-mail", "--now", NOW) == 0
        assert run(repo, "watch", "dismiss", "2", "--by", "leader", "--reason", "重复",
                   "--now", NOW) == 0
        assert run(repo, "watch", "--once", "--now", "2026-11-20T09:30:00+08:00") == 0
        capsys.readouterr()
        assert run(repo, "watch", "status", "--format", "json", "--now", NOW) == 0
        board = json.loads(capsys.readouterr().out)
    assert not (repo / ".govpub").exists()                   # nothing went to SQLite
    states = {o["id"]: (o["state"], o["acked_by"]) for o in board["obligations"]}
    assert states == {1: ("open", "duty-mail"), 2: ("dismissed", None), 3: ("open", None),
                      4: ("open", None)}
    assert sorted(receiver.titles("/day")) == sorted(
        f"[govpub #{n}] New central item to reproduce: {ITEMS[n - 1]['title']}"
        for n in range(1, 5))                                  # each once, across two runs

    from govpub.report.watcherdata import read_watcher

    figures, _note = read_watcher(dsn, datetime(2026, 1, 1, tzinfo=TZ),
                                  datetime(2027, 1, 1, tzinfo=TZ))
    assert (figures.watched, figures.dismissed) == (4, 1)


def test_one_lease_at_a_time_and_a_fence_for_the_one_that_lost_it(dsn):
    first, second = PgLease(dsn, lease_seconds=30), PgLease(dsn, lease_seconds=30)
    try:
        assert first.try_acquire() and not second.try_acquire()
        old = PgStore(dsn, fence=first.fence)
        with old.transaction():
            old.update_feed("x", last_error=None)             # the holder may write
        first.release()                                          # a clean stop hands it over
        assert second.try_acquire() and second.epoch == lease_epoch(dsn) == 2
        with pytest.raises(LeaseLost), old.transaction():
            old.execute("INSERT INTO feeds(id) VALUES ('written-after-takeover')")
        new = PgStore(dsn, fence=second.fence)
        assert new.execute("SELECT count(*) AS n FROM feeds WHERE id = 'written-after-takeover'"
                           ).fetchone()["n"] == 0
        old.close()
        new.close()
    finally:
        first.release()
        second.release()


def test_a_hung_watcher_loses_its_lease_when_it_expires(dsn):
    """The holder's process is frozen (SIGSTOP): its session lives on, its lease expires."""
    code = ("import sys, time\n"
            "from govpub.watch.lease import PgLease\n"
            f"lease = PgLease({dsn!r}, lease_seconds=3)\n"
            "assert lease.try_acquire()\n"
            "print('held', flush=True)\n"
            "time.sleep(3600)\n")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    standby = PgLease(dsn, lease_seconds=3, check_seconds=0.2)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert not standby.try_acquire()
        holder.send_signal(signal.SIGSTOP)
        with psycopg.connect(dsn, autocommit=True) as conn:
            # wait for the server's own clock to pass the expiry (no sleeping on ours)
            conn.execute("SELECT pg_sleep(GREATEST(0, EXTRACT(EPOCH FROM "
                         "(SELECT expires_at FROM watcher_lease) - now())) + 0.1)")
        taken = False
        with psycopg.connect(dsn, autocommit=True) as conn:
            for _attempt in range(PATIENCE * 5):
                if standby.try_acquire():
                    taken = True
                    break
                conn.execute("SELECT pg_sleep(0.2)")
        assert taken, "the standby never took over the expired lease"
        assert standby.epoch == 2
    finally:
        holder.send_signal(signal.SIGCONT)
        holder.kill()
        holder.wait()
        standby.release()


def test_a_watcher_frozen_inside_a_transaction_does_not_block_the_takeover(dsn):
    """Frozen between its fence check and its commit, the holder keeps a share lock on the
    lease row; the standby's takeover must end that session rather than wait on it forever,
    and what the frozen one wrote in that transaction is rolled back."""
    import threading

    code = ("import os, signal\n"
            "from govpub.watch.lease import PgLease\n"
            "from govpub.watch.pgstore import PgStore\n"
            f"lease = PgLease({dsn!r}, lease_seconds=3)\n"
            "assert lease.try_acquire()\n"
            "store = PgStore(lease.dsn, fence=lease.fence)\n"
            "with store.transaction():\n"
            "    store.execute(\"INSERT INTO feeds(id) VALUES ('written-while-frozen')\")\n"
            "    print('in a transaction', flush=True)\n"
            "    os.kill(os.getpid(), signal.SIGSTOP)\n")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    standby = PgLease(dsn, lease_seconds=3, check_seconds=0.2)
    taken = threading.Event()

    def take_over():
        with psycopg.connect(dsn, autocommit=True) as conn:
            while not standby.try_acquire():
                conn.execute("SELECT pg_sleep(0.2)")
        taken.set()

    try:
        assert holder.stdout.readline().strip() == "in a transaction"
        # a thread: before the fix the takeover waited on the frozen lock for good
        trying = threading.Thread(target=take_over, daemon=True)
        trying.start()
        trying.join(PATIENCE)
        assert taken.is_set(), "the standby waited on the frozen watcher's transaction"
        assert standby.epoch == 2
        new = PgStore(dsn, fence=standby.fence)
        with new.transaction():
            assert new.execute("SELECT count(*) AS n FROM feeds WHERE id = "
                               "'written-while-frozen'").fetchone()["n"] == 0
        new.close()
    finally:
        holder.send_signal(signal.SIGCONT)
        holder.kill()
        holder.wait()
        standby.release()


def test_once_refuses_while_another_watcher_holds_the_lease(tmp_path, dsn, capsys, monkeypatch):
    repo = make_repo(tmp_path, [{"id": "central", "url": "f.xml", "publisher": "国务院"}])
    monkeypatch.setenv("GOVPUB_WATCH_STATE", dsn)
    active = PgLease(dsn)
    try:
        assert active.try_acquire()
        assert run(repo, "watch", "--once", "--now", NOW) == 2
        assert "another watcher is running" in capsys.readouterr().err
    finally:
        active.release()


def test_a_newer_schema_is_refused_and_a_bad_server_is_one_clear_error(dsn, capsys,
                                                                       tmp_path, monkeypatch):
    PgStore(dsn).close()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("UPDATE govpub_meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(ConfigError, match="newer"):
        PgStore(dsn)
    repo = make_repo(tmp_path, [{"id": "central", "url": "f.xml", "publisher": "国务院"}])
    monkeypatch.setenv("GOVPUB_WATCH_STATE", "postgresql://govpub:secret@127.0.0.1:1/none")
    assert run(repo, "watch", "status") == 2
    err = capsys.readouterr().err
    assert "cannot connect to the watcher state" in err and "secret" not in err
    assert "Traceback" not in err


# --- two watchers, the active one killed at random points -------------------------------

#: ``python -c WATCHER KILL_AT govpub-args…``: govpub, killing itself (SIGKILL) just before
#: its state statement number KILL_AT (0: never) — wherever that falls: inside a
#: transaction, between a send and its record, between two cycles
WATCHER = """\
import os, signal, sys
kill_at = int(sys.argv.pop(1))
from govpub.watch import pgstore
count = 0
real = pgstore.PgStore.execute

def execute(self, sql, params=()):
    global count
    count += 1
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(self, sql, params)

if kill_at:
    pgstore.PgStore.execute = execute
from govpub.cli import run
run()
"""
KILLS = 6
ROUND_ITEMS = 3


class Watchers:
    """Watcher daemons on one shared state, started with their kill points."""

    def __init__(self, repo, dsn, logs) -> None:
        self.repo, self.dsn, self.logs = repo, dsn, logs
        self.running: list[subprocess.Popen] = []
        self.started = 0

    def start(self, kill_at: int) -> subprocess.Popen:
        self.started += 1
        log = open(self.logs / f"watcher-{self.started}.log", "w")  # noqa: SIM115
        child = subprocess.Popen(
            [sys.executable, "-c", WATCHER, str(kill_at), "--root", str(self.repo), "watch"],
            stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "GOVPUB_WATCH_STATE": self.dsn, "PYTHONUNBUFFERED": "1"})
        log.close()
        self.running.append(child)
        return child

    def wait_for_a_death(self) -> subprocess.Popen:
        """The next watcher to die (it kills itself at its statement)."""
        import time

        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            for child in self.running:
                if child.poll() is not None:
                    self.running.remove(child)
                    return child
            psycopg.connect(self.dsn).close()  # pace the loop on a round trip, not a sleep
        raise AssertionError("no watcher died: the kill points were never reached")

    def stop(self) -> None:
        for child in self.running:
            child.send_signal(signal.SIGTERM)
        for child in self.running:
            try:
                child.wait(timeout=PATIENCE)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def settled(dsn, items: int) -> bool:
    """``items`` obligations, as many alerts, none waiting — read in one statement: each
    statement of a READ COMMITTED transaction sees its own snapshot, and three of them
    could count the obligations after a poll, the waiting alerts before the alerts were
    decided and all alerts after (a watcher then stopped mid-delivery "lost" an alert)."""
    PgStore(dsn).close()  # the schema, in case no watcher has made it yet
    with psycopg.connect(dsn) as conn:
        obligations, alerts, waiting = conn.execute(
            "SELECT (SELECT count(*) FROM obligations), (SELECT count(*) FROM outbox), "
            "(SELECT count(*) FROM outbox WHERE sent_at IS NULL AND cancelled_at IS NULL "
            "AND failed_at IS NULL)").fetchone()
    return obligations == items and alerts == items and waiting == 0


@pytest.mark.slow
def test_failover_under_random_kills_loses_and_doubles_nothing(tmp_path, dsn):
    import random
    import time
    from collections import Counter

    rng = random.Random(16)
    now = datetime.now(TZ)
    items = [{"title": f"国务院关于第{i}号事项的通知", "guid": f"f{i}",
              "link": f"https://www.gov.cn/zhengce/content_{i}.htm",
              "date": now.strftime("%Y-%m-%d %H:%M")} for i in range(ROUND_ITEMS * (KILLS + 2))]
    logs = tmp_path / "logs"
    logs.mkdir()
    with FeedServer() as server, Receiver() as receiver:
        server.routes["/feed"] = rss(items[:ROUND_ITEMS])
        repo = make_repo(tmp_path / "repo", [{"id": "central", "url": server.url("/feed"),
                                              "publisher": "国务院"}])
        failover_settings(repo, receiver.port, poll_minutes=0.01, lease_seconds=5,
                          check_seconds=0.2)
        watchers = Watchers(repo, dsn, logs)
        try:
            for _ in range(2):
                watchers.start(rng.randint(1, 80))
            for kill in range(KILLS):
                died = watchers.wait_for_a_death()
                assert died.returncode == -signal.SIGKILL, (logs / "watcher-1.log").read_text()
                server.routes["/feed"] = rss(items[:ROUND_ITEMS * (kill + 2)])
                watchers.start(rng.randint(1, 80) if kill < KILLS - 1 else 0)
            # the last kill made: a watcher that is never killed finishes the work
            server.routes["/feed"] = rss(items)
            watchers.start(0)
            deadline = time.monotonic() + PATIENCE
            while not settled(dsn, len(items)):
                assert time.monotonic() < deadline, "the watchers never caught up"
                psycopg.connect(dsn).close()
        finally:
            watchers.stop()
        got = Counter(payload["title"] for path, payload in receiver.received)

    with psycopg.connect(dsn) as conn:
        obligations = dict(conn.execute("SELECT identity, id FROM obligations").fetchall())
        keys = [r[0] for r in conn.execute("SELECT key FROM outbox WHERE sent_at IS NOT NULL")]
        epoch = conn.execute("SELECT epoch FROM watcher_lease").fetchone()[0]
    assert sorted(obligations) == sorted(f"guid:f{i}" for i in range(len(items)))
    # (ids come from a sequence: a killed transaction may have used one up)
    assert sorted(keys) == sorted(f"obligation:{n}:detected" for n in obligations.values())
    # the lease changed hands at least once per kill of an active watcher (a standby may also
    # die before it ever took the lease: its kill point fell in its start)
    assert epoch >= KILLS // 2 + 1
    prefix = "(repeat: delivery uncertain) "
    for item in items:
        plain = [t for t in got if t.removeprefix(prefix).endswith(item["title"])]
        total = sum(got[t] for t in plain)
        unflagged = sum(got[t] for t in plain if not t.startswith(prefix))
        assert total >= 1, f"{item['title']}: lost"
        assert unflagged == 1, f"{item['title']}: delivered {unflagged} times unflagged"


def lease_epoch(dsn) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT epoch FROM watcher_lease").fetchone()[0]


@pytest.mark.slow
def test_a_frozen_active_watcher_is_replaced_and_fenced_off_when_it_wakes(tmp_path, dsn):
    import time

    now = datetime.now(TZ)
    items = [{"title": f"国务院关于第{i}号事项的通知", "guid": f"z{i}",
              "link": f"https://www.gov.cn/zhengce/content_{i}.htm",
              "date": now.strftime("%Y-%m-%d %H:%M")} for i in range(4)]
    logs = tmp_path / "logs"
    logs.mkdir()
    with FeedServer() as server, Receiver() as receiver:
        server.routes["/feed"] = rss(items[:2])
        repo = make_repo(tmp_path / "repo", [{"id": "central", "url": server.url("/feed"),
                                              "publisher": "国务院"}])
        failover_settings(repo, receiver.port, poll_minutes=0.01, lease_seconds=3,
                          check_seconds=0.2)
        watchers = Watchers(repo, dsn, logs)
        try:
            first = watchers.start(0)
            deadline = time.monotonic() + PATIENCE
            while not settled(dsn, 2):
                assert time.monotonic() < deadline, "the first watcher never did its work"
            second = watchers.start(0)
            first.send_signal(signal.SIGSTOP)           # frozen: its sessions stay open
            while lease_epoch(dsn) < 2:                 # the standby ends them and takes over
                assert time.monotonic() < deadline + PATIENCE, "no takeover"
            server.routes["/feed"] = rss(items)
            while not settled(dsn, 4):
                assert time.monotonic() < deadline + 2 * PATIENCE, "the new watcher lags"
            first.send_signal(signal.SIGCONT)           # it wakes up believing it is active
            while "standing by" not in (logs / "watcher-1.log").read_text():
                assert time.monotonic() < deadline + 3 * PATIENCE, "the old one never noticed"
                psycopg.connect(dsn).close()
            assert second.poll() is None and lease_epoch(dsn) == 2
        finally:
            watchers.stop()
        titles = [payload["title"] for _path, payload in receiver.received]
    assert sorted(titles) == sorted(
        f"[govpub #{n}] New central item to reproduce: {item['title']}"
        for n, item in enumerate(items, 1))                  # each once: no repeat at all
