"""HTML list pages as a source: the links on the list, the facts on each item's page.

Central sites (the State Council's latest-policy list among them) publish
HTML, not RSS. A list-page source names the item links with a CSS selector;
each new link's own page then gives the item's time, id, column and title
from its metadata (``<meta name="firstpublishedtime">``, ``manuscriptId``,
``lanmu``) or from a selector plus a date pattern. Times are read in the
source's time zone by the same rules as feed dates (:mod:`.dates`).

Pure functions over decoded text; the fetching is the cycle's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from .dates import parse_feed_date
from .identity import normalize_url
from .text import clean_line


@dataclass(frozen=True)
class PageSpec:
    """How to read an item's own page (all optional; defaults in :mod:`.presets`)."""

    time_meta: tuple[str, ...] = ()
    time_selector: str | None = None
    time_pattern: re.Pattern | None = None
    id_meta: tuple[str, ...] = ()
    column_meta: tuple[str, ...] = ()
    title_selector: str | None = None
    title_meta: tuple[str, ...] = ()
    text_selector: str = "body"
    doc_number_labels: tuple[str, ...] = ()
    issuer_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListedLink:
    url: str
    text: str | None


@dataclass(frozen=True)
class PageFacts:
    guid: str | None
    title: str | None
    time: datetime | None
    time_raw: str | None
    column: str | None


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def _host(url: str) -> str | None:
    try:
        return (urlsplit(url).hostname or "").lower() or None
    except ValueError:
        return None


def list_links(text: str, base_url: str, selector: str,
               pattern: re.Pattern | None = None) -> list[ListedLink]:
    """The item links on a list page, absolute, in page order, each once.

    Only links to the list page's own host count: a list that points
    elsewhere (an advertisement, a hijacked entry) never opens an obligation.
    """
    seen: set[str] = set()
    links = []
    home = _host(base_url)
    for anchor in soup(text).select(selector):
        href = anchor.get("href")
        if not isinstance(href, str) or not href.strip():
            continue
        try:
            url = urljoin(base_url, href.strip())
        except ValueError:
            continue
        key = normalize_url(url)
        if key is None or key in seen or _host(url) != home:
            continue
        if pattern is not None and not pattern.search(url):
            continue
        seen.add(key)
        links.append(ListedLink(url, clean_line(anchor.get("title") or anchor.get_text(" "))))
    return links


def _meta(document: BeautifulSoup, names: tuple[str, ...]) -> str | None:
    wanted = {name.lower() for name in names}
    for tag in document.find_all("meta"):
        name = tag.get("name") or tag.get("property")
        if isinstance(name, str) and name.lower() in wanted:
            value = clean_line(tag.get("content"))
            if value:
                return value
    return None


def _selected(document: BeautifulSoup, selector: str | None) -> str | None:
    if not selector:
        return None
    found = document.select_one(selector)
    return clean_line(found.get_text(" ")) if found is not None else None


def _time(document: BeautifulSoup, spec: PageSpec, tz: tzinfo):
    raw = _meta(document, spec.time_meta)
    if raw is None and spec.time_selector:
        raw = _selected(document, spec.time_selector)
        if raw and spec.time_pattern is not None:
            match = spec.time_pattern.search(raw)
            raw = (match.group(1) if match and match.groups() else
                   match.group(0) if match else None)
    if raw is None:
        return None, None
    return parse_feed_date(raw, tz), raw[:200]


def page_facts(text: str, spec: PageSpec, tz: tzinfo) -> PageFacts:
    """The item's id, title, time and column from its own page."""
    document = soup(text)
    when, raw = _time(document, spec, tz)
    identifier = _meta(document, spec.id_meta)
    return PageFacts(
        guid=f"{spec.id_meta[0]}:{identifier}" if identifier else None,
        title=_selected(document, spec.title_selector) or _meta(document, spec.title_meta),
        time=when, time_raw=raw, column=_meta(document, spec.column_meta))
