"""Are the approved external sites still there? (for ``govpub audit --links``)

Not part of the build: the internet is not always reachable from the build
machine, and an outside site being down must not stop a publication.

Usage by the audit command::

    from govpub.links.approval import load_links_config
    from govpub.links.health import check_approved_links

    config = load_links_config(policy.root, policy.timezone)
    for result in check_approved_links(config, timeout=10):
        print(result.status, result.url, result.detail)

Each approved entry is requested once (``https://<domain>/`` for a domain,
the prefix itself for a URL prefix; ``*.domain`` entries check the bare
domain). Redirects are *not* followed: a redirect is reported with its
target so staff can see whether the approved site moved. ``status`` is
``ok`` (2xx), ``redirected`` (3xx, ``location`` set) or ``broken`` (4xx, 5xx,
DNS, TLS or connection failure, timeout).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from ..i18n import _
from .approval import Approval, LinksConfig

USER_AGENT = "govpub-linkcheck/0.1 (+external link approval review)"


@dataclass(frozen=True)
class LinkHealth:
    site: str  # the entry in links.yml
    url: str  # what was requested
    status: str  # ok | redirected | broken
    code: int | None  # HTTP status, None when no response
    location: str | None  # redirect target
    detail: str  # human-readable summary

    def as_dict(self) -> dict:
        return {"site": self.site, "url": self.url, "status": self.status, "code": self.code,
                "location": self.location, "detail": self.detail}


def url_of(entry: Approval) -> str:
    scheme = "http" if entry.allow_http and entry.site.startswith("http://") else "https"
    host = entry.host[2:] if entry.host.startswith("*.") else entry.host
    port = f":{entry.port}" if entry.port else ""
    return f"{scheme}://{host}{port}{entry.path_prefix or '/'}"


def classify(code: int, location: str | None) -> tuple[str, str]:
    """Pure: the status and a one-line detail for an HTTP status code."""
    if 200 <= code < 300:
        return "ok", f"HTTP {code}"
    if 300 <= code < 400:
        return "redirected", _("HTTP {code} to {location}").format(
            code=code, location=location or _("(no Location header)"))
    return "broken", f"HTTP {code}"


def _check_one(client: httpx.Client, entry: Approval) -> LinkHealth:
    url = url_of(entry)
    try:
        response = client.head(url)
        if response.status_code in (405, 501, 403):  # some servers refuse HEAD
            response = client.get(url)
    except httpx.TimeoutException:
        return LinkHealth(entry.site, url, "broken", None, None, _("timed out"))
    except httpx.HTTPError as exc:
        return LinkHealth(entry.site, url, "broken", None, None,
                          f"{type(exc).__name__}: {str(exc)[:200]}")
    location = response.headers.get("location")
    if location:
        location = str(response.url.join(location))
    status, detail = classify(response.status_code, location)
    return LinkHealth(entry.site, url, status, response.status_code, location, detail)


def check_approved_links(links_config: LinksConfig, timeout: float = 10.0, *,
                         workers: int = 8) -> list[LinkHealth]:
    """Request every approved site once; results in the order of ``links.yml``."""
    entries = list(links_config.approvals)
    if not entries:
        return []
    with httpx.Client(timeout=timeout, follow_redirects=False,
                      headers={"User-Agent": USER_AGENT}) as client, \
            ThreadPoolExecutor(max_workers=max(1, min(workers, len(entries)))) as pool:
        return list(pool.map(lambda e: _check_one(client, e), entries))
