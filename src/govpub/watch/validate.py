"""Is an address usable? Checked when the configuration loads, never first at 3 a.m.

A source URL with a typo (``htps://``, ``http//``, ``https://``) or an alert
target of a kind nobody can deliver (``pigeon://``) used to load without a
word and then silently never work. Here each is checked once, when
``feeds.yml`` / ``duty.yml`` is read; the loader turns a problem into an
exit-2 error naming the file and the line of the value.
"""

from __future__ import annotations

import re

from ..i18n import _
from .bots import bot_request, is_bot_target
from .identity import normalize_url

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_WEBLIKE = re.compile(r"^(?:https?/|www\.)", re.IGNORECASE)  # "http//x", "www.gov.cn/…"


def url_problem(url: str, *, local_allowed: bool = True) -> str | None:
    """Why ``url`` cannot be fetched as a source, or None."""
    scheme, separator, rest = url.partition("://")
    if separator:
        scheme = scheme.lower()
        if scheme in ("http", "https"):
            return None if normalize_url(url) else _(
                "{url!r} is not a usable web address (no host?)").format(url=url)
        if scheme == "file" and local_allowed:
            return None if rest.startswith("/") else _(
                "{url!r}: a file:// URL needs an absolute path").format(url=url)
        if local_allowed:
            return _("{url!r}: only http(s) URLs, file:// URLs and paths are read").format(
                url=url)
        return _("{url!r}: only http(s) URLs are read here").format(url=url)
    if (_SCHEME.match(url) and not re.match(r"^[A-Za-z]:[\\/]", url)) or _WEBLIKE.match(url):
        return _("{url!r} looks like a mistyped web address").format(url=url)
    if not local_allowed:
        return _("{url!r}: only http(s) URLs are read here").format(url=url)
    return None


def target_problem(target: str) -> str | None:
    """Why an alert target cannot be delivered to, or None (nothing is sent)."""
    if is_bot_target(target):
        try:
            bot_request(target, "t", "b", now_ms=0)
        except ValueError as exc:
            return str(exc)
        return None
    import apprise  # slow to import: only here and when sending

    try:
        plugin = apprise.Apprise.instantiate(target, suppress_exceptions=False)
    except Exception as exc:  # apprise says what is wrong with the address
        return _("{scheme}:// address not usable: {error}").format(
            scheme=target.partition("://")[0], error=" ".join(str(exc).split())[:200])
    if plugin is None:
        return _("{scheme}:// cannot be delivered to (an unknown kind of target, or the "
                 "address is incomplete)").format(
            scheme=target.partition("://")[0])
    return None
