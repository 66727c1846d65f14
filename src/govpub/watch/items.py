"""From fetched bytes to the few item facts the watcher uses.

feedparser parses (it sniffs the encoding from the XML declaration and the
Content-Type header, so GB2312/GBK feeds work); the result is boiled down to
:class:`FeedItem` at once so a large feed is not kept in memory. A document
that is not a feed (an HTML error page, a truncated body with nothing in it,
an empty feed) is a :class:`NotAFeed` — a failed poll, counted in the health.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

import feedparser

from .dates import entry_date
from .identity import normalize_url

MAX_ITEMS = 1000
MAX_TEXT = 1000


class NotAFeed(Exception):
    pass


@dataclass(frozen=True)
class FeedItem:
    guid: str | None
    link: str | None
    title: str
    categories: tuple[str, ...]
    date_raw: str | None
    source_time: datetime | None


def _text(value, limit: int = MAX_TEXT) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:limit] or None


def parse_items(body: bytes, headers: dict, tz: tzinfo) -> list[FeedItem]:
    """Items of a feed; raises NotAFeed with the reason when there are none."""
    if not body.strip():
        raise NotAFeed("empty response")
    parsed = feedparser.parse(body, response_headers=headers or {},
                              sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if not parsed.get("version"):
            reason = parsed.get("bozo_exception")
            raise NotAFeed(f"not a feed ({type(reason).__name__ if reason else 'no RSS/Atom'})"
                           f"{', looks like HTML' if b'<html' in body[:2048].lower() else ''}")
        raise NotAFeed("feed has no items")
    items = []
    for entry in entries[:MAX_ITEMS]:
        source_time, raw = entry_date(entry, tz)
        categories = tuple(filter(None, (_text(t.get("term"), 200)
                                         for t in entry.get("tags") or [])))
        link = _text(entry.get("link"), 4096)
        if normalize_url(link) is None:
            link = None  # javascript:, relative or garbage links never reach a page or alert
        title = _text(entry.get("title")) or link or "(untitled)"
        items.append(FeedItem(guid=_text(entry.get("id"), 1000), link=link, title=title,
                              categories=categories, date_raw=raw, source_time=source_time))
    return items
