"""Benchmark the failover of two watchers on a shared PostgreSQL state.

    .venv/bin/python bench/bench_failover.py [--rounds 5] [--lease 10]

Starts a throw-away PostgreSQL server (tests/pg_server.py), a local feed and
a webhook receiver, and two ``govpub watch`` daemons on the shared state.
Each round the active watcher is stopped in one of two ways, and a new
central item is published at that moment:

* ``kill -9`` (the process dies; the server drops its session at once);
* ``SIGSTOP`` (the process hangs, or its machine vanished without closing
  the socket: only the lease's expiry, ``--lease`` seconds, gives it away).

Printed per way: the time until the standby holds the lease, and until the
new item's alert has been delivered by it (the detection gap the duty staff
would see), median and worst. The stopped watcher is then restarted as the
next standby. For comparison, the poll interval of the demo is 10 minutes.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import psycopg
from pg_server import PostgresServer
from watch_fixtures import FeedServer, Receiver, failover_settings, make_repo, rss

from govpub.watch.pgstore import PgStore

TZ = ZoneInfo("Asia/Shanghai")
PATIENCE = 300  # seconds: a hang guard


def lease(dsn: str) -> tuple[int, str]:
    with psycopg.connect(dsn) as conn:
        epoch, holder = conn.execute("SELECT epoch, holder FROM watcher_lease").fetchone()
    return epoch, holder or ""


def lease_sessions(dsn: str) -> int:
    """Watchers connected for the lease (the active one and those standing by)."""
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name "
                            "LIKE 'govpub-lease@%'").fetchone()[0]


def wait(condition, what: str) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > PATIENCE:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.02)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lease", type=float, default=10.0)
    parser.add_argument("--check", type=float, default=1.0)
    args = parser.parse_args()
    items: list[dict] = []

    def publish(server) -> str:
        n = len(items)
        items.append({"title": f"国务院关于第{n}号事项的通知", "guid": f"b{n}",
                      "link": f"https://www.gov.cn/zhengce/content_{n}.htm",
                      "date": datetime.now(TZ).strftime("%Y-%m-%d %H:%M")})
        server.routes["/feed"] = rss(items)
        return items[-1]["title"]

    with PostgresServer() as pg, FeedServer() as server, Receiver() as receiver, \
            tempfile.TemporaryDirectory() as tmp:
        dsn = pg.create_database("failover")
        PgStore(dsn).close()  # the schema, before the first look at the lease
        publish(server)
        repo = make_repo(Path(tmp), [{"id": "central", "url": server.url("/feed"),
                                      "publisher": "国务院"}])
        failover_settings(repo, receiver.port, poll_minutes=0.05, lease_seconds=args.lease,
                          check_seconds=args.check)
        env = {**os.environ, "GOVPUB_WATCH_STATE": dsn}

        def start() -> subprocess.Popen:
            return subprocess.Popen([sys.executable, "-m", "govpub", "--root", str(repo),
                                     "watch"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, env=env)

        watchers = [start(), start()]
        results: dict[str, list[tuple[float, float]]] = {"kill -9": [], "SIGSTOP": []}
        try:
            wait(lambda: lease(dsn)[0] >= 1, "a first active watcher")
            wait(lambda: len(receiver.received) >= 1, "the first alert")
            for round_ in range(args.rounds):
                for how in results:
                    wait(lambda: lease_sessions(dsn) >= 2, "both watchers up")
                    epoch, holder = lease(dsn)
                    pid = int(holder.split(":")[1])
                    victim = next(w for w in watchers if w.pid == pid)
                    title = publish(server)
                    stopped = time.monotonic()
                    victim.send_signal(signal.SIGKILL if how == "kill -9" else signal.SIGSTOP)
                    wait(lambda e=epoch: lease(dsn)[0] > e, "the takeover")
                    took = time.monotonic() - stopped
                    wait(lambda t=title: any(p["title"].endswith(t)
                                             for _path, p in receiver.received), "the alert")
                    alerted = time.monotonic() - stopped
                    results[how].append((took, alerted))
                    if how == "SIGSTOP":
                        victim.send_signal(signal.SIGCONT)
                        victim.kill()
                    victim.wait()
                    watchers.remove(victim)
                    watchers.append(start())
                    print(f"round {round_ + 1}, {how}: lease taken over after {took:.2f} s, "
                          f"new item alerted after {alerted:.2f} s", flush=True)
        finally:
            for watcher in watchers:
                watcher.kill()
                watcher.wait()
    print(f"lease {args.lease:g} s, standby checks every {args.check:g} s, "
          f"poll interval 3 s, {args.rounds} rounds")
    for how, values in results.items():
        takeovers = [t for t, _a in values]
        alerts = [a for _t, a in values]
        print(f"{how}: takeover median {statistics.median(takeovers):.2f} s, worst "
              f"{max(takeovers):.2f} s; alert for an item published at the stop: median "
              f"{statistics.median(alerts):.2f} s, worst {max(alerts):.2f} s")


if __name__ == "__main__":
    main()
