"""Which reproductions the site has published: ``api/reproductions.json``.

Read from a built site folder or a deployed site URL, defensively: the file
may be missing (site not built yet), too big, not JSON, or have odd items.
Bad items are skipped; a bad file is an error text for the caller, never an
exception. Only entries with an ``http(s)`` source URL and a publication time
not after *now* count: a draft or a scheduled page does not close anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, tzinfo

from .config import SiteSource
from .dates import parse_feed_date
from .fetch import fetch
from .identity import normalize_url

MAX_BYTES = 20 * 1024 * 1024
API_PATH = "api/reproductions.json"


@dataclass(frozen=True)
class Reproduction:
    url: str
    published: datetime
    source_url_norm: str
    title: str


def parse_reproductions(raw: bytes, tz: tzinfo) -> list[Reproduction]:
    """Valid entries of a reproductions.json document; raises ValueError if unusable."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{API_PATH} is not UTF-8 JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ValueError(f"{API_PATH} has no items list")
    found = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        source = normalize_url(item.get("source_url"))
        published = parse_feed_date(item.get("published"), tz)
        url = item.get("url")
        if not source or published is None or not isinstance(url, str):
            continue
        title = item.get("title") if isinstance(item.get("title"), str) else ""
        found.append(Reproduction(url[:2000], published, source, title[:500]))
    return found


def load_reproductions(site: SiteSource, client, *, tz: tzinfo, timeout: float,
                       root) -> tuple[dict[str, Reproduction], str | None]:
    """({normalized source URL: earliest reproduction}, error or None)."""
    target = site.url.rstrip("/") + "/" + API_PATH if site.url else str(site.path / API_PATH)
    if not site.url and not (site.path / API_PATH).exists():
        return {}, (f"{target} does not exist yet: build the site, or point site: in "
                    f"feeds.yml at the built or deployed site")
    result = fetch(client, target, root=root, max_bytes=MAX_BYTES, timeout=timeout)
    if not result.ok:
        return {}, f"{target}: {result.error}"
    try:
        entries = parse_reproductions(result.body, tz)
    except ValueError as exc:
        return {}, f"{target}: {exc}"
    by_source: dict[str, Reproduction] = {}
    for entry in entries:
        known = by_source.get(entry.source_url_norm)
        if known is None or entry.published < known.published:
            by_source[entry.source_url_norm] = entry
    return by_source, None


def live_match(by_source: dict[str, Reproduction], link_norm: str | None,
               now: datetime) -> Reproduction | None:
    if not link_norm:
        return None
    found = by_source.get(link_norm)
    return found if found is not None and found.published <= now else None
