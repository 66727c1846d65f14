"""Polling the sources: feeds in one step, HTML list pages in two.

A feed poll fetches the feed and parses its items. A list-page poll fetches
the list, keeps the links the selector (and pattern) chooses, and then —
for the links the state does not know yet, and only for those — fetches each
item's own page for its time, id, column and title (:mod:`.listpage`). The
cycle asks the store which links are new between the two steps, so an item
already watched costs nothing.

All fetches of a step run side by side (:func:`.parallel.run_parallel`).
Nothing here raises for a bad server or document: each problem becomes the
poll's ``error`` (counted in the source's health); items read before a
problem are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import _
from .config import Feed, FeedsConfig, default_page
from .fetch import FetchResult, fetch
from .identity import normalize_url
from .items import FeedItem, NotAFeed, parse_feed
from .listpage import ListedLink, list_links, page_facts
from .original import NoOfficialText, Original, read_original
from .parallel import run_parallel
from .text import Undecodable, decode_document

FETCH_WORKERS = 8


@dataclass
class Poll:
    """One source's poll in this cycle."""

    feed: Feed
    state: object  # the source's row in the store
    result: FetchResult | None = None
    items: list[FeedItem] = field(default_factory=list)
    total: int = 0  # items the source offered (before the item limit)
    error: str | None = None
    links: list[ListedLink] = field(default_factory=list)  # list pages: links still to read
    complete: bool = True  # False when part of the poll failed (some item pages)

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def over_limit(self) -> bool:
        return self.total > self.feed.max_items


def _fetch(client, url: str, config: FeedsConfig, state=None) -> FetchResult:
    # after a failed poll, ask for the whole document again: a 304 would hide the item
    # pages that could not be read last time
    conditional = state is not None and not state["consecutive_failures"]
    return fetch(client, url, root=config.root, max_bytes=config.max_bytes,
                 timeout=config.timeout_seconds,
                 etag=state["etag"] if conditional else None,
                 last_modified=state["last_modified"] if conditional else None)


def _read_source(client, poll: Poll, config: FeedsConfig) -> Poll:
    feed = poll.feed
    poll.result = result = _fetch(client, feed.url, config, poll.state)
    if not result.ok:
        poll.error = result.error
        return poll
    if result.not_modified:
        return poll
    try:
        if feed.kind == "html":
            text, _codec = decode_document(result.body, result.headers)
            links = list_links(text, feed.url, feed.links, feed.link_pattern)
            if not links:
                poll.error = _("the list page has no links matching {selector}").format(
                    selector=feed.links)
            poll.total = len(links)
            poll.links = links[:feed.max_items]
        else:
            parsed = parse_feed(result.body, result.headers, feed.timezone, feed.max_items)
            poll.items, poll.total = parsed.items, parsed.total
    except (NotAFeed, Undecodable) as exc:
        poll.error = str(exc)
    except Exception as exc:  # a parser on hostile input: a failed poll, not a crash
        poll.error = _("parse error: {kind}").format(kind=type(exc).__name__)
    return poll


def read_sources(client, polls: list[Poll], config: FeedsConfig) -> list[Poll]:
    """Step one: every feed and list page, side by side."""
    return run_parallel([lambda p=p: _read_source(client, p, config) for p in polls],
                        FETCH_WORKERS)


def _read_item_page(client, feed: Feed, link: ListedLink,
                    config: FeedsConfig) -> FeedItem | str:
    result = _fetch(client, link.url, config)
    if not result.ok:
        return _("item page {url}: {error}").format(url=link.url, error=result.error)
    try:
        text, _codec = decode_document(result.body, result.headers)
        facts = page_facts(text, feed.page, feed.timezone)
    except Undecodable as exc:
        return _("item page {url}: {error}").format(url=link.url, error=exc)
    except Exception as exc:  # hostile HTML: this item fails, the others go on
        return _("item page {url}: parse error: {kind}").format(url=link.url,
                                                                kind=type(exc).__name__)
    return FeedItem(guid=facts.guid, link=link.url, title=facts.title or link.text or link.url,
                    categories=(facts.column,) if facts.column else (),
                    date_raw=facts.time_raw, source_time=facts.time)


def read_item_pages(client, polls: list[Poll], known_links: set[str],
                    config: FeedsConfig) -> None:
    """Step two: the own pages of links not yet in the state (list-page sources)."""
    jobs = [(poll, link) for poll in polls if poll.links
            for link in poll.links if normalize_url(link.url) not in known_links]
    results = run_parallel(
        [lambda p=poll, link=link: _read_item_page(client, p.feed, link, config)
         for poll, link in jobs], FETCH_WORKERS)
    errors: dict[int, list[str]] = {}
    for (poll, _link), outcome in zip(jobs, results, strict=True):
        if isinstance(outcome, str):
            errors.setdefault(id(poll), []).append(outcome)
            poll.complete = False
        else:
            poll.items.append(outcome)
    for poll in polls:
        found = errors.get(id(poll))
        if found:
            more = len(found) - 1
            poll.error = found[0] + (_(" (and {count} more)").format(count=more) if more else "")


def read_original_page(client, url: str | None, feed: Feed | None,
                       config: FeedsConfig) -> Original | str:
    """The original of an item (its page read with the source's rules), or why not."""
    if not url:
        return _("the item has no link to read the original from")
    result = _fetch(client, url, config)
    if not result.ok:
        return _("original {url}: {error}").format(url=url, error=result.error)
    try:
        text, _codec = decode_document(result.body, result.headers)
        return read_original(text, url, feed.page if feed is not None else default_page())
    except Undecodable as exc:
        return _("original {url}: {error}").format(url=url, error=exc)
    except NoOfficialText as exc:
        return _("original {url}: no official text found with the selector {selector}").format(
            url=url, selector=exc)
