"""Benchmark the watcher: 100 sources on a local server, half of them HTML list pages.

    .venv/bin/python bench/bench_watch.py [--sources 100] [--items 50] [--links 20] [--cycles 100]

Half the sources are RSS feeds of ``--items`` items, half list pages of
``--links`` links whose policy pages (the www.gov.cn shape) are read for each
new item. Prints: the cold cycle (every item new: 50 feeds parsed, 50 lists
and every policy page read, all recorded — the first poll is a baseline, so
no alert storm), warm cycles (ETag 304 for unchanged sources, 10 % of the
sources gain an item each cycle, alerts delivered to a local webhook,
reproductions going live two hours later — each closing reads the original
once and the live page), the plain-tools baseline (httpx + feedparser for the
feeds, httpx + BeautifulSoup for the lists and every policy page, no state)
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
from bs4 import BeautifulSoup
from govcn_pages import Policy, list_page, live_reproduction, policy_page, publish
from watch_fixtures import FeedServer, Receiver, make_repo, rss

from govpub.watch.alerts import Outbox
from govpub.watch.config import load_duty, load_feeds
from govpub.watch.cycle import run_cycle
from govpub.watch.store import Store

TZ = ZoneInfo("Asia/Shanghai")


def rss_kib() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4


class Sources:
    """The local central site: feeds /feed/<n>, list pages /list/<n>/zuixin.htm."""

    def __init__(self, server: FeedServer, count: int, items: int, links: int) -> None:
        self.server, self.items, self.links = server, items, links
        self.feeds = list(range(0, count, 2))
        self.lists = list(range(1, count, 2))
        self.entries: dict[int, list] = {}
        self.versions: dict[int, int] = {}
        self.serial = 1000

    def policy(self, source: int, when: datetime) -> Policy:
        self.serial += 1
        policy = Policy(self.serial, f"国务院关于第{source}-{self.serial}号事项的通知",
                        when.strftime("%Y-%m-%d-%H:%M:%S"))
        self.server.routes[f"/s{source}{policy.path}"] = {
            "body": policy_page(policy), "content_type": "text/html; charset=utf-8"}
        return policy

    def link(self, source: int, policy: Policy) -> str:
        return self.server.url(f"/s{source}{policy.path}")

    def add(self, source: int, when: datetime) -> Policy:
        policy = self.policy(source, when)
        keep = self.items if source in self.feeds else self.links
        self.entries.setdefault(source, []).insert(0, policy)
        del self.entries[source][keep:]
        self.publish(source)
        return policy

    def publish(self, source: int) -> None:
        self.versions[source] = self.versions.get(source, 0) + 1
        etag = f'"{self.versions[source]}"'
        if source in self.feeds:
            body = rss([{"title": p.title, "guid": f"p{p.number}", "link": self.link(source, p),
                         "date": p.published[:10] + " " + p.published[11:]}
                        for p in self.entries[source]])
            self.server.routes[f"/feed/{source}"] = {"body": body, "etag": etag}
        else:
            page = list_page(self.entries[source]).replace(b'href=".', b'href="/s%d/zhengce' %
                                                           source)
            self.server.routes[f"/list/{source}/zuixin.htm"] = {
                "body": page, "etag": etag, "content_type": "text/html; charset=utf-8"}

    def config(self) -> list[dict]:
        specs = [{"id": f"feed-{s}", "url": self.server.url(f"/feed/{s}"), "publisher": "国务院"}
                 for s in self.feeds]
        specs += [{"id": f"list-{s}", "preset": "gov-cn-zuixin",
                   "url": self.server.url(f"/list/{s}/zuixin.htm"),
                   "link_pattern": "/zhengce/.*content_\\d+\\.htm$"} for s in self.lists]
        return specs


def plain_tools(sources: Sources) -> float:
    """httpx + feedparser for each feed; httpx + BeautifulSoup for each list and its pages."""
    started = time.perf_counter()
    with httpx.Client() as client:
        for source in sources.feeds:
            feedparser.parse(client.get(sources.server.url(f"/feed/{source}")).content)
        for source in sources.lists:
            page = BeautifulSoup(client.get(sources.server.url(
                f"/list/{source}/zuixin.htm")).content, "lxml")
            for anchor in page.select("h4 a"):
                if not anchor["href"].startswith("/"):
                    continue  # the outside link on the list page
                detail = BeautifulSoup(client.get(sources.server.url(anchor["href"])).content,
                                       "lxml")
                detail.find("meta", attrs={"name": "firstpublishedtime"})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--links", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=100)
    args = parser.parse_args()
    start = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
    old = start - timedelta(days=2)  # the backlog on first poll: past its deadline

    with FeedServer() as server, Receiver() as receiver, \
            tempfile.TemporaryDirectory() as tmp:
        sources = Sources(server, args.sources, args.items, args.links)
        for source in sources.feeds + sources.lists:
            keep = args.items if source in sources.feeds else args.links
            for n in range(keep):
                sources.add(source, old - timedelta(minutes=n))
        repo = make_repo(Path(tmp), sources.config(), http_port=receiver.port,
                         max_bytes=5_000_000)
        duty_file = repo / "site_config" / "duty.yml"  # webhooks only: no SMTP in the bench
        text = duty_file.read_text()
        mail = text.split('targets: ["', 1)[1].split('"]', 1)[0]
        duty_file.write_text(text.replace(mail, f"json://127.0.0.1:{receiver.port}/day"))
        config, duty = load_feeds(repo), load_duty(repo)
        store = Store(config.state_path)
        outbox = Outbox(store, max_attempts=duty.max_attempts,
                        retry=timedelta(minutes=duty.retry_minutes))
        pages = len(sources.lists) * args.links
        total_items = len(sources.feeds) * args.items + pages

        plain = plain_tools(sources)
        now = start
        started = time.perf_counter()
        report = run_cycle(config, duty, store, now, outbox=outbox, force=True)
        cold = time.perf_counter() - started
        print(f"sources={args.sources} ({len(sources.feeds)} feeds x {args.items} items, "
              f"{len(sources.lists)} list pages x {args.links} links = {pages} policy pages)")
        print(f"plain tools (httpx+feedparser, httpx+BeautifulSoup), every source and page: "
              f"{plain:.2f} s")
        print(f"watcher cold cycle ({total_items} items new, every policy page read): "
              f"{cold:.2f} s ({cold / plain:.2f}x plain); polled {len(report.polled)}, "
              f"failed {len(report.failed)}")

        listed: list[dict] = []
        going_live: list[tuple[datetime, Policy, int]] = []
        warm, memory = [], []
        delivered = received = fresh = 0
        site = repo / "site"
        for cycle in range(1, args.cycles + 1):
            now += timedelta(minutes=10)
            for source in range(cycle % 10, args.sources, 10):  # 10 % gain an item
                policy = sources.add(source, now - timedelta(minutes=5))
                going_live.append((now + timedelta(hours=2), policy, source))
                fresh += 1
            while going_live and going_live[0][0] <= now:
                when, policy, source = going_live.pop(0)
                url = f"https://example.gov.cn/reproduced/{policy.number}/"
                publish(site, url, live_reproduction(policy))
                listed.append({"title": policy.title, "url": url, "published": when.isoformat(),
                               "source_url": sources.link(source, policy)})
            del listed[:-500]  # the site lists recent ones; keeps the input size flat
            (site / "api").mkdir(parents=True, exist_ok=True)
            (site / "api" / "reproductions.json").write_text(json.dumps(
                {"generated": now.isoformat(), "items": listed}), encoding="utf-8")
            started = time.perf_counter()
            report = run_cycle(config, duty, store, now, outbox=outbox, force=True)
            warm.append(time.perf_counter() - started)
            delivered += sum(1 for outcome in report.delivered if outcome[1])
            received += len(receiver.received)  # only the watcher's own memory is measured
            receiver.received.clear()
            server.conditional.clear()
            if cycle in (1, 10) or cycle % 25 == 0 or cycle == args.cycles:
                gc.collect()
                memory.append((cycle, rss_kib()))
        warm.sort()
        median = warm[len(warm) // 2]
        print(f"warm cycles: {args.cycles}; median {median:.2f} s, max {warm[-1]:.2f} s "
              f"({median / plain:.2f}x plain cold fetch)")
        counts = dict(store.execute("SELECT state, count(*) AS n FROM obligations GROUP BY state"
                                    ).fetchall())
        print(f"new items {fresh}; reproduced {counts.get('reproduced', 0)}; open at end "
              f"{counts.get('open', 0)}; alerts delivered {delivered} (receiver got {received})")
        print("resident memory (KiB) by cycle: " + ", ".join(f"{c}: {m}" for c, m in memory))
        base = memory[1][1] if len(memory) > 1 else memory[0][1]
        print(f"growth from cycle 10 to {memory[-1][0]}: {memory[-1][1] - base} KiB")
        store.close()


if __name__ == "__main__":
    main()
