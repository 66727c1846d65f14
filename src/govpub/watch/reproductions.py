"""Which reproductions the site has published: ``api/reproductions.json``, and the live pages.

Read from a built site folder or a deployed site URL, defensively: the file
may be missing (site not built yet), too big, not JSON, or have odd items.
Bad items are skipped; a bad file is an error text for the caller, never an
exception. Only entries with an ``http(s)`` source URL and a publication time
not after *now* count: a draft or a scheduled page does not close anything.

A listing is a claim, not a proof: :func:`read_live_page` fetches the
reproduction page itself (from the deployed site, on the site's own host
only; or from the built folder, never outside it) so the cycle can check
that it carries the original's text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import UsageError
from ..i18n import _
from ..safepath import resolve_inside
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
        raise ValueError(_("{file} is not UTF-8 JSON ({error})").format(
            file=API_PATH, error=exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ValueError(_("{file} has no items list").format(file=API_PATH))
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
        return {}, _("{target} does not exist yet: build the site, or point site: in "
                     "feeds.yml at the built or deployed site").format(target=target)
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


def _page_files(site_dir: Path, url: str) -> list[str]:
    """Candidate files of a page URL in a built site (the site may live under a sub-path)."""
    path = unquote(urlsplit(url).path).strip("/")
    parts = [p for p in path.split("/") if p]
    candidates = []
    for skip in range(max(1, len(parts))):  # never the bare home page for a deeper URL
        rest = "/".join(parts[skip:])
        if rest.endswith((".html", ".htm")):
            candidates.append(rest)
        else:
            candidates.append(f"{rest}/index.html" if rest else "index.html")
    return candidates


def read_live_page(site: SiteSource, url: str, client, *, timeout: float, root,
                   max_bytes: int = MAX_BYTES) -> tuple[str | None, str | None]:
    """(the page's HTML, None) or (None, why it could not be read)."""
    from .text import Undecodable, decode_document

    if site.url:
        home, page = urlsplit(site.url), urlsplit(url)
        if page.scheme not in ("http", "https") or page.hostname != home.hostname:
            return None, _("{url} is not on the site {site}").format(url=url, site=site.url)
        result = fetch(client, url, root=root, max_bytes=max_bytes, timeout=timeout)
        if not result.ok:
            return None, f"{url}: {result.error}"
        body, headers = result.body, result.headers
    else:
        for candidate in _page_files(site.path, url):
            try:
                file = resolve_inside(site.path, candidate)
            except UsageError:
                continue
            if file.is_file():
                break
        else:
            return None, _("{url}: no such page in {site}").format(url=url, site=site.path)
        result = fetch(None, str(file), root=root, max_bytes=max_bytes, timeout=timeout)
        if not result.ok:
            return None, f"{url}: {result.error}"
        body, headers = result.body, {}
    try:
        return decode_document(body, headers)[0], None
    except Undecodable as exc:
        return None, f"{url}: {exc}"
