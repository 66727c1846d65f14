"""Crash test: the watcher is killed (SIGKILL) at random points over many cycles.

For each simulated time, a reference repository runs the cycle without a kill,
counting the SQLite statements it executes. Then a watcher process on the
crash repository kills itself (SIGKILL) just before a random one of those
statements, and the watcher is run again at the same simulated time and left
to finish.
All the watcher's state is in SQLite and its alerts go out between statements,
so "before statement k" reaches every kind of crash point (mid-transaction,
between a send and its record); counting statements instead of waiting a random
time makes where the kills land the same on a busy machine as on an idle one.

Afterwards both must hold the same obligations and the same alert keys, every
alert must have arrived, and an alert may arrive twice only when the second copy
says "repeat: delivery uncertain" (the kill hit between the send and its record).
"""

import contextlib
import os
import random
import re
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest
from watch_fixtures import FeedServer, Receiver, make_repo, rss

from govpub.cli import main

KILLS = 20
ITEMS = [{"title": f"国务院关于第{i}号事项的通知", "guid": f"g{i}",
          "link": f"https://www.gov.cn/zhengce/content_{i}.htm",
          "date": None if i % 4 == 0 else f"2026-11-20 {8 + i // 3:02d}:{(i * 7) % 60:02d}"}
         for i in range(24)]


def clock(step: int) -> str:
    minutes = 8 * 60 + step * 50                 # 08:00, 08:50, … through the night
    day = 20 + minutes // (24 * 60)
    minutes %= 24 * 60
    return f"2026-11-{day}T{minutes // 60:02d}:{minutes % 60:02d}:00+08:00"


#: ``python -c WATCHER KILL_AT govpub-args…``: govpub, killing itself (SIGKILL) just
#: before it runs its SQLite statement number KILL_AT
WATCHER = """\
import os, signal, sqlite3, sys
kill_at = int(sys.argv.pop(1))
count = 0
real_connect = sqlite3.connect

def before_statement(_sql):
    global count
    count += 1
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

def connect(*args, **kwargs):
    db = real_connect(*args, **kwargs)
    db.set_trace_callback(before_statement)
    return db

sqlite3.connect = connect
from govpub.cli import run
run()
"""


@contextlib.contextmanager
def counting_statements():
    """Count the SQLite statements run in this process meanwhile (``counted[0]``)."""
    counted = [0]
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        db = real_connect(*args, **kwargs)
        db.set_trace_callback(lambda _sql: counted.__setitem__(0, counted[0] + 1))
        return db

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite3, "connect", connect)
        yield counted


def watch_once(repo, now: str) -> int:
    return main(["--root", str(repo), "watch", "--once", "--force", "--now", now])


def rows(repo, sql):
    db = sqlite3.connect(repo / ".govpub" / "watch.sqlite3")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


@pytest.mark.slow
def test_kill_9_at_random_points_loses_and_duplicates_nothing(tmp_path, capsys):
    rng = random.Random(5)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with FeedServer() as server, Receiver() as crashed, Receiver() as reference:
        crash_repo = make_repo(tmp_path / "crash", [
            {"id": "central", "url": server.url("/crash"), "publisher": "国务院"}],
            http_port=crashed.port)
        ref_repo = make_repo(tmp_path / "ref", [
            {"id": "central", "url": server.url("/ref"), "publisher": "国务院"}],
            http_port=reference.port)
        for repo in (crash_repo, ref_repo):  # json targets only: the test needs no SMTP
            duty = repo / "site_config" / "duty.yml"
            duty.write_text(duty.read_text().replace(
                duty.read_text().split('targets: ["')[1].split('"]')[0],
                duty.read_text().split('targets: ["')[2].split('"]')[0]))
        kills = 0
        for step in range(KILLS):
            body = rss([{k: v for k, v in it.items() if v} for it in ITEMS[:3 + step]])
            server.routes["/crash"] = server.routes["/ref"] = body
            now = clock(step)
            with counting_statements() as counted:
                assert watch_once(ref_repo, now) in (0, 1)
            killed = subprocess.run(
                [sys.executable, "-c", WATCHER, str(rng.randint(1, counted[0])), "--root",
                 str(crash_repo), "watch", "--once", "--force", "--now", now],
                capture_output=True, text=True, env=env, timeout=300)
            if killed.returncode == -9:
                kills += 1
            else:  # the crash repository's cycle ran fewer statements than the reference's
                assert killed.returncode in (0, 1), killed.stderr
            assert watch_once(crash_repo, now) in (0, 1)  # the restart, left to finish
            capsys.readouterr()
        assert kills >= KILLS // 2, f"only {kills} kills landed inside a cycle"

    query_ob = "SELECT identity, state, deadline FROM obligations ORDER BY identity"
    assert rows(crash_repo, query_ob) == rows(ref_repo, query_ob)
    assert len(rows(crash_repo, query_ob)) == len(ITEMS[:3 + KILLS - 1])
    query_keys = "SELECT key, targets, sent_at IS NOT NULL FROM outbox ORDER BY key"

    def keys(repo):  # the two receivers listen on different ports
        return [(key, re.sub(r":\d+/", ":PORT/", targets), sent)
                for key, targets, sent in rows(repo, query_keys)]

    assert keys(crash_repo) == keys(ref_repo)
    assert all(sent for _, _, sent in keys(crash_repo))

    def deliveries(receiver):
        return Counter((path, payload["title"]) for path, payload in receiver.received)

    expected = deliveries(reference)
    got = deliveries(crashed)
    prefix = "(repeat: delivery uncertain) "
    plain = Counter({(p, t.removeprefix(prefix)): 0 for p, t in got})
    for (path, title), count in got.items():
        plain[(path, title.removeprefix(prefix))] += count
    assert set(plain) == set(expected), "an alert was lost or invented"
    uncertain = {k for (k,) in rows(crash_repo, "SELECT key FROM outbox WHERE uncertain")}
    flagged = 0
    for (path, title), total in plain.items():
        repeats = got.get((path, prefix + title), 0)
        assert total >= 1, f"{title} to {path} was lost"
        assert total - repeats <= 1, f"{title} to {path} delivered twice unflagged"
        flagged += repeats
    # a flagged repeat only ever comes from an alert recorded as in flight at a kill
    assert (flagged > 0) <= bool(uncertain)
