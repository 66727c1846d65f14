"""Benchmark the feed watcher: 100 feeds x 50 items on a local server.

    .venv/bin/python bench/bench_watch.py [--feeds 100] [--items 50] [--cycles 300]

Prints: the cold cycle (every item new: parse + record 5,000 items), warm cycles
(ETag -> 304 for unchanged feeds, 10 % of feeds gain an item, alerts delivered
to a local webhook, reproductions closing obligations two hours later), the
plain-tools baseline (httpx.get + feedparser.parse of every feed, no state),
and the watcher's resident memory over the cycles (flat = no leak).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import feedparser
import httpx
from watch_fixtures import FeedServer, Receiver, make_repo, rss

from govpub.watch.alerts import Outbox
from govpub.watch.config import load_duty, load_feeds
from govpub.watch.cycle import run_cycle
from govpub.watch.store import Store

TZ = ZoneInfo("Asia/Shanghai")


def rss_kib() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4


def item(feed: int, n: int, when: datetime) -> dict:
    return {"title": f"国务院关于第{feed}-{n}号事项的通知", "guid": f"f{feed}-{n}",
            "link": f"https://www.gov.cn/zhengce/{feed}/content_{n}.htm",
            "date": when.strftime("%a, %d %b %Y %H:%M:%S +0800")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--cycles", type=int, default=300)
    args = parser.parse_args()
    start = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
    old = start - timedelta(days=2)  # the backlog on first poll: past its deadline
    feeds = {f: [item(f, n, old - timedelta(minutes=n)) for n in range(args.items)]
             for f in range(args.feeds)}
    versions = dict.fromkeys(feeds, 0)

    with FeedServer() as server, Receiver() as receiver, \
            tempfile.TemporaryDirectory() as tmp:
        def publish(f: int) -> None:
            versions[f] += 1
            server.routes[f"/feed/{f}"] = {"body": rss(feeds[f][-args.items:]),
                                           "etag": f'"{versions[f]}"'}
        for f in feeds:
            publish(f)
        repo = make_repo(Path(tmp), [{"id": f"feed-{f}", "url": server.url(f"/feed/{f}"),
                                      "publisher": "国务院"} for f in feeds],
                         http_port=receiver.port, max_bytes=5_000_000)
        duty_file = repo / "site_config" / "duty.yml"  # webhooks only: no SMTP in the bench
        duty_file.write_text(duty_file.read_text().replace(
            "mailto://localhost:1?smtp=127.0.0.1&mode=insecure&from=watch@localhost"
            "&to=duty@localhost", f"json://127.0.0.1:{receiver.port}/duty-day"))
        config, duty = load_feeds(repo), load_duty(repo)
        store = Store(config.state_path)
        outbox = Outbox(store, max_attempts=duty.max_attempts,
                        retry=timedelta(minutes=duty.retry_minutes))

        # plain tools: fetch and parse every feed, nothing else (feedparser defaults, and
        # with sanitizing off as the watcher uses it)
        started = time.perf_counter()
        with httpx.Client() as client:
            for f in feeds:
                feedparser.parse(client.get(server.url(f"/feed/{f}")).content)
        plain = time.perf_counter() - started
        started = time.perf_counter()
        with httpx.Client() as client:
            for f in feeds:
                feedparser.parse(client.get(server.url(f"/feed/{f}")).content,
                                 sanitize_html=False, resolve_relative_uris=False)
        plain_fast = time.perf_counter() - started

        now = start
        started = time.perf_counter()
        report = run_cycle(config, duty, store, now, outbox=outbox, force=True)
        cold = time.perf_counter() - started
        items_total = args.feeds * args.items
        print(f"feeds={args.feeds} items/feed={args.items} ({items_total} items)")
        print(f"plain httpx+feedparser, all feeds: {plain:.2f} s "
              f"(without sanitizing: {plain_fast:.2f} s)")
        print(f"watcher cold cycle (all items new): {cold:.2f} s "
              f"({cold / plain:.2f}x plain, {cold / plain_fast:.2f}x plain without "
              f"sanitizing); polled {len(report.polled)}, "
              f"failed {len(report.failed)}")

        reproductions: list[dict] = []
        warm_times = []
        memory = []
        delivered = 0
        received = 0
        fresh = 0
        for cycle in range(1, args.cycles + 1):
            now += timedelta(minutes=10)
            for f in range(cycle % 10, args.feeds, 10):      # 10 % of feeds get a new item
                feeds[f].append(item(f, 10_000 + cycle, now - timedelta(minutes=5)))
                del feeds[f][:-args.items]  # the feed shows its latest items only
                fresh += 1
                publish(f)
                reproductions.append({
                    "title": "r", "url": f"https://example.gov.cn/r/{f}/{cycle}/",
                    "published": (now + timedelta(hours=2)).isoformat(),
                    "source_url": feeds[f][-1]["link"], "source_title": "s",
                    "publisher": "国务院", "source_published": None})
            del reproductions[:-500]  # the site lists recent ones; keeps the input size flat
            site = repo / "site" / "api"
            site.mkdir(parents=True, exist_ok=True)
            (site / "reproductions.json").write_text(json.dumps(
                {"generated": now.isoformat(), "items": reproductions}), encoding="utf-8")
            started = time.perf_counter()
            report = run_cycle(config, duty, store, now, outbox=outbox, force=True)
            warm_times.append(time.perf_counter() - started)
            delivered += sum(1 for _, ok, _ in report.delivered if ok)
            # the in-process test servers keep logs; empty them so that only the watcher's
            # own memory is measured
            received += len(receiver.received)
            receiver.received.clear()
            server.conditional.clear()
            if cycle in (1, 10) or cycle % 50 == 0 or cycle == args.cycles:
                gc.collect()
                memory.append((cycle, rss_kib()))
        warm_times.sort()
        median = warm_times[len(warm_times) // 2]
        print(f"warm cycles: {args.cycles}; median {median:.2f} s, "
              f"max {warm_times[-1]:.2f} s ({median / plain:.2f}x plain cold fetch)")
        open_now = store.db.execute("SELECT count(*) FROM obligations WHERE state='open'"
                                    ).fetchone()[0]
        closed = store.db.execute("SELECT count(*) FROM obligations WHERE state='reproduced'"
                                  ).fetchone()[0]
        print(f"new items {fresh}; reproduced {closed}; open at end {open_now}; "
              f"alerts delivered {delivered} (receiver got {received})")
        print("resident memory (KiB) by cycle: "
              + ", ".join(f"{c}: {m}" for c, m in memory))
        base = memory[1][1] if len(memory) > 1 else memory[0][1]
        print(f"growth from cycle 10 to {memory[-1][0]}: {memory[-1][1] - base} KiB")
        store.close()


if __name__ == "__main__":
    main()
