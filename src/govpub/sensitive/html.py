"""Raw HTML in Markdown: active content is blocked, the rest must be allowed.

Markdown passes raw HTML through to the page, so a page could carry a
script into the agency's domain. Outside code blocks and code spans:

- always blocked: ``<script>``, ``<iframe>``, ``<frame>``, ``<frameset>``,
  ``<object>``, ``<embed>``, ``<applet>``, ``<base>``, ``<meta>``, ``<link>``,
  ``<form>``, ``<svg>``, ``<math>``, ``<style>``;
- blocked on any tag: an inline event handler attribute (``onclick=``,
  ``onerror=`` …) and a ``javascript:``/``vbscript:``/``data:text/html`` URL —
  also in a Markdown link ``[x](javascript:…)``, after undoing HTML entities
  and removing the whitespace and control characters browsers ignore;
- any other tag must be in ``site.yml`` ``html_allowed`` (default:
  :data:`DEFAULT_ALLOWED`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from ..i18n import N_
from ..links.extract import mask_code
from . import Hit

BLOCKED_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet",
                          "base", "meta", "link", "form", "svg", "math", "style", "noscript",
                          "template"})
DEFAULT_ALLOWED = ("a", "abbr", "b", "br", "caption", "col", "colgroup", "dd", "del", "details",
                   "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
                   "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "s",
                   "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
                   "tfoot", "th", "thead", "tr", "u", "ul")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9\-]*)((?:\s[^<>]*)?)/?>")
_HANDLER = re.compile(r"(?:^|[\s/\"'])(on[a-z]+)\s*=", re.IGNORECASE)
_URL_ATTR = re.compile(r"""(?:^|\s)([a-z\-:]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""",
                       re.IGNORECASE)
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg",
                   "data:application")


def is_active_url(url: str) -> bool:
    """A URL that runs code when followed (after entity decoding and de-obfuscation)."""
    if ":" not in url and "&" not in url:
        return False  # every active scheme has a colon; only an entity could make one
    cleaned = _IGNORED.sub("", html.unescape(html.unescape(url))).lower()
    return cleaned.startswith(_ACTIVE_SCHEMES)


def find_raw_html(text: str, allowed: Iterable[str] | None = None) -> Iterator[Hit]:
    """Problems with raw HTML in one Markdown text (offsets into the text)."""
    masked = mask_code(text)
    allowed_set = None  # made when a tag needs it: most texts have none
    for m in _TAG.finditer(masked) if "<" in masked else ():
        name = m.group(2).lower()
        if name in BLOCKED_TAGS:
            if not m.group(1):
                yield Hit(m.start(), m.end(), f"<{name}>", N_("blocked element"))
            continue
        if allowed_set is None:
            allowed_set = {t.lower() for t in (DEFAULT_ALLOWED if allowed is None else allowed)}
        if not m.group(1) and name not in allowed_set:
            yield Hit(m.start(), m.end(), f"<{name}>", N_("element not in html_allowed"))
        attrs = m.group(3) or ""
        for h in _HANDLER.finditer(attrs):
            yield Hit(m.start(), m.end(), f"<{name} {h.group(1).lower()}=…>",
                      N_("inline event handler"))
        for a in _URL_ATTR.finditer(attrs):
            value = a.group(2).strip("\"'")
            if is_active_url(value):
                yield Hit(m.start(), m.end(), f"<{name} {a.group(1).lower()}=\"{value[:11]}…\">",
                          N_("script URL"))
    for m in _MD_LINK.finditer(masked):
        if is_active_url(m.group(1)):
            yield Hit(m.start(1), m.end(1), f"({m.group(1)[:11]}…)", N_("script URL"))
