"""The external-link approval list, ``site_config/links.yml``, and link matching.

An entry approves a *domain* (``www.gov.cn`` — that host only), all
subdomains of one (``*.gov.cn``), or a *URL prefix*
(``https://www.wipo.int/treaties/`` — that host and paths under it). Links
must use https unless the entry says ``allow_http: true``. An approval is
reviewed every ``review_interval_days`` (default 365).

Hostile URLs are parsed the way browsers do before matching: backslashes
count as slashes (``https://evil.example\\@www.gov.cn`` goes to
``evil.example``), user-info is ignored, host names are lower-cased,
IDNA-encoded and stripped of a trailing dot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from ..config import CONFIG_DIR, load_config_file
from ..errors import ConfigError
from ..i18n import _
from ..timeparse import DateFormatError, parse_datetime

LINKS_FILE = "links.yml"
DEFAULT_REVIEW_DAYS = 365
_HOST_OK = re.compile(r"^[a-z0-9.\-]+$")
_STRIPPED = re.compile(r"[\x00-\x20\x7f]")
NON_SITE_SCHEMES = frozenset({"mailto", "tel", "sms", "javascript", "vbscript", "data"})


@dataclass(frozen=True)
class Approval:
    site: str
    approved_by: str
    approved_at: datetime
    review_interval_days: int
    allow_http: bool
    line: int
    host: str  # normalized host, or "*.domain"
    path_prefix: str  # "" for a domain entry
    port: int | None = None  # explicit port of a URL-prefix entry (health checks use it)

    @property
    def expires(self) -> datetime:
        return self.approved_at + timedelta(days=self.review_interval_days)

    def matches(self, host: str, path: str) -> bool:
        if self.host.startswith("*."):
            base = self.host[2:]
            if not (host == base or host.endswith("." + base)):
                return False
        elif host != self.host:
            return False
        if not self.path_prefix:
            return True
        prefix = self.path_prefix
        return path == prefix.rstrip("/") or path.startswith(
            prefix if prefix.endswith("/") else prefix + "/") or path == prefix


@dataclass(frozen=True)
class LinksConfig:
    approvals: tuple[Approval, ...]
    path: Path | None  # None when the file does not exist

    def approval_for(self, host: str, path: str) -> Approval | None:
        """The most specific entry (longest path prefix) that covers the link."""
        best = None
        for entry in self.approvals:
            if entry.matches(host, path) and (
                    best is None or len(entry.path_prefix) > len(best.path_prefix)):
                best = entry
        return best


@dataclass(frozen=True)
class ExternalUrl:
    scheme: str
    host: str
    path: str


def normalize_host(host: str) -> str | None:
    host = host.strip().rstrip(".").lower()
    if not host:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return host if _HOST_OK.match(host) else None


def _slashes_first(url: str) -> bool:
    """The first two characters _STRIPPED leaves are slashes (/ or \\): ``//host``."""
    slashes = 0
    for char in url:
        if char <= "\x20" or char == "\x7f":
            continue
        if char not in "/\\":
            return False
        slashes += 1
        if slashes == 2:
            return True
    return False


def parse_external(url: str, own_host: str | None = None) -> ExternalUrl | None:
    """The scheme/host/path of a link to another site, or None for local and non-site links.

    ``own_host`` is the site's own host: links there are internal.
    """
    url = url or ""
    if ":" not in url and not _slashes_first(url):
        return None  # no scheme and not //host: a relative link (most links)
    cleaned = _STRIPPED.sub("", url).replace("\\", "/")
    if not cleaned or cleaned.startswith("#"):
        return None
    if cleaned.startswith("//"):
        cleaned = "https:" + cleaned
    scheme_match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    if not scheme_match:
        return None  # relative link: the internal-link rules own it
    scheme = scheme_match.group(1).lower()
    if scheme in NON_SITE_SCHEMES:
        return None
    try:
        parts = urlsplit(cleaned)
        raw_host = parts.hostname or ""
    except ValueError:
        return ExternalUrl(scheme, "", "")
    host = normalize_host(raw_host) or raw_host.lower()
    if own_host and host == own_host:
        return None
    return ExternalUrl(scheme, host, parts.path or "/")


def _approval(entry: dict, line: int, tz: tzinfo, shown: Path) -> Approval:
    site = entry["site"].strip()
    try:
        approved_at = parse_datetime(entry["approved_at"], tz)
    except (DateFormatError, ValueError) as exc:  # date.fromisoformat raises bare ValueError
        raise ConfigError(f"approved_at: {exc}", path=shown, line=line,
                          hint=_("write an ISO 8601 date such as 2026-01-10")) from None
    if site.lower().startswith(("http://", "https://")):
        parts = urlsplit(site)
        host = normalize_host(parts.hostname or "")
        prefix = parts.path or "/"
        if prefix == "/":
            prefix = ""
        try:
            port = parts.port
        except ValueError:
            port = None
    else:
        wildcard = site.startswith("*.")
        host = normalize_host(site[2:] if wildcard else site)
        host = f"*.{host}" if wildcard and host else host
        prefix, port = "", None
    if not host:
        raise ConfigError(_("site {site!r} is not a valid domain or URL prefix").format(
            site=site), path=shown, line=line,
            hint=_("write e.g. www.gov.cn or https://www.wipo.int/treaties/"))
    return Approval(site=site, approved_by=entry["approved_by"], approved_at=approved_at,
                    review_interval_days=entry.get("review_interval_days", DEFAULT_REVIEW_DAYS),
                    allow_http=entry.get("allow_http", False), line=line, host=host,
                    path_prefix=prefix, port=port)


def load_links_config(root: Path, tz: tzinfo) -> LinksConfig:
    """Read and validate ``site_config/links.yml`` (missing file: nothing approved)."""
    path = Path(root) / CONFIG_DIR / LINKS_FILE
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    return _load_cached(str(path), str(root), str(tz), stamp, tz)


@lru_cache(maxsize=8)
def _load_cached(path_text: str, root_text: str, tz_key: str, stamp, tz: tzinfo) -> LinksConfig:
    path, root = Path(path_text), Path(root_text)
    data, parsed = load_config_file(path, "links", required=False, default=None, root=root,
                                    with_lines=True)
    if data is None:
        return LinksConfig((), None)
    lines = parsed.lines
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    approvals = tuple(
        _approval(entry, lines.get(("approved", index), 1), tz, shown)
        for index, entry in enumerate(data.get("approved") or []))
    return LinksConfig(approvals, path)
