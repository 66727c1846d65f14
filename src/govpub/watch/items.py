"""From fetched bytes to the few item facts the watcher uses.

The bytes are decoded first by :func:`.text.decode_document` (a wrong
declared charset gives a clear error, never mojibake) and handed to
feedparser as UTF-8; the result is boiled down to :class:`FeedItem` at once
so a large feed is not kept in memory. Every text is cleaned of control
characters. A feed with more items than the source's limit is not cut
silently: :class:`ParsedFeed` says how many there were, and the cycle
reports it. A document that is not a feed (an HTML error page, a truncated
body with nothing in it, an empty feed) is a :class:`NotAFeed` — a failed
poll, counted in the health.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

import feedparser

from ..i18n import _
from .dates import entry_date
from .identity import normalize_url
from .text import Undecodable, as_utf8_xml, clean_line, decode_document

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


@dataclass(frozen=True)
class ParsedFeed:
    items: list[FeedItem]
    total: int  # items in the document; more than len(items) when over the limit


_text = clean_line


def _utf8_headers(headers: dict | None) -> dict:
    media = (headers or {}).get("content-type", "application/xml").split(";")[0].strip()
    return {"content-type": f"{media or 'application/xml'}; charset=utf-8"}


def parse_feed(body: bytes, headers: dict | None, tz: tzinfo,
               limit: int = MAX_ITEMS) -> ParsedFeed:
    """The first ``limit`` items of a feed and how many it has; NotAFeed when none."""
    if not body.strip():
        raise NotAFeed(_("empty response"))
    try:
        text, _codec = decode_document(body, headers)
    except Undecodable as exc:
        raise NotAFeed(str(exc)) from None
    parsed = feedparser.parse(as_utf8_xml(text), response_headers=_utf8_headers(headers),
                              sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if not parsed.get("version"):
            reason = parsed.get("bozo_exception")
            kind = type(reason).__name__ if reason else "no RSS/Atom"
            if b"<html" in body[:2048].lower():
                raise NotAFeed(_("not a feed ({reason}), looks like HTML").format(reason=kind))
            raise NotAFeed(_("not a feed ({reason})").format(reason=kind))
        raise NotAFeed(_("feed has no items"))
    return ParsedFeed(_items(entries[:limit], tz), len(entries))


def parse_items(body: bytes, headers: dict | None, tz: tzinfo,
                limit: int = MAX_ITEMS) -> list[FeedItem]:
    """Items of a feed (the first ``limit``); raises NotAFeed with the reason when none."""
    return parse_feed(body, headers, tz, limit).items


def _items(entries, tz: tzinfo) -> list[FeedItem]:
    items = []
    for entry in entries:
        source_time, raw = entry_date(entry, tz)
        categories = tuple(filter(None, (_text(t.get("term"), 200)
                                         for t in entry.get("tags") or [])))
        link = _text(entry.get("link"), 4096)
        if normalize_url(link) is None:
            link = None  # javascript:, relative or garbage links never reach a page or alert
        title = _text(entry.get("title")) or link or _("(untitled)")
        items.append(FeedItem(guid=_text(entry.get("id"), 1000), link=link, title=title,
                              categories=categories, date_raw=raw, source_time=source_time))
    return items
