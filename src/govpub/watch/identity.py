"""Which item is which: a stable identity per feed item, and URL normalization.

An item is known by its guid, else by its normalized link, else by its title
and date. Links are compared normalized: ``http`` and ``https`` are the same
page, host case and default ports don't matter, a trailing slash doesn't
matter, the fragment doesn't matter, and tracking parameters (``utm_*``,
``spm``, ``from``, ``share_*``…) are dropped. The remaining query parameters
are kept, sorted. Pure functions, no I/O.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_TRACKING_EXACT = frozenset({
    "spm", "from", "fbclid", "gclid", "yclid", "msclkid", "isappinstalled", "scene",
    "clicktime", "enterid", "sharer_shareid", "sharer_sharetime", "share_token",
    "vd_source", "ref", "ref_src", "source", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
    "timestamp", "wfr", "winzoom", "chksm", "mpshare", "srcid", "subscene", "sessionid",
})
_TRACKING_PREFIXES = ("utm_", "share_", "wt.", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")
_MAX_URL = 4096


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


def normalize_url(url: object) -> str | None:
    """The comparable form of a link, or None when it is not an http(s) URL."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > _MAX_URL or any(ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.rstrip(".").lower()
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/%:@!$&'()*+,;=~-._")
    path = re.sub(r"/{2,}", "/", path).rstrip("/") or ""
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not _is_tracking(k))
    # http and https are one page for comparison: sites move between them
    return urlunsplit(("https", host, path, urlencode(query), ""))


def _clean(text: object) -> str:
    if not isinstance(text, str):
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def item_identity(guid: object, link: object, title: object, date_raw: object) -> str | None:
    """``guid:…``, ``link:…`` or ``title:<sha256>``; None when the item has nothing to go by."""
    guid_text = _clean(guid)
    if guid_text:
        normalized = normalize_url(guid_text)
        return "guid:" + (normalized or guid_text)[:1000]
    normalized_link = normalize_url(link)
    if normalized_link:
        return "link:" + normalized_link
    title_text = _clean(title)
    if title_text:
        digest = hashlib.sha256(f"{title_text}\n{_clean(date_raw)}".encode()).hexdigest()
        return "title:" + digest
    return None
