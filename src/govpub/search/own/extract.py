"""What govpub's search index takes from a page.

A page is indexed when it carries ``data-search-body``
(:data:`govpub.search.markers.BODY_PATTERN`); its text is that element's text
without the parts left out (:data:`govpub.search.markers.EXCLUDED_SELECTORS`
and ``data-search-ignore``). The title is the page's first ``<h1>``, the language
``<html lang>`` lowercased, the address the page's path without ``index.html``.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

from ..markers import BODY_ATTRIBUTE, BODY_PATTERN, EXCLUDED_SELECTORS, IGNORE_ATTRIBUTE, INDEX_DIR

#: elements whose text is not next to its neighbours' (a pair of characters never spans them)
_BLOCKS = frozenset((
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "tr",
    "table", "ul", "ol", "dl", "section", "article", "aside", "blockquote", "pre", "br", "hr",
    "figure", "figcaption", "caption", "details", "summary", "nav", "header", "footer"))
_DROPPED = frozenset(("script", "style", "noscript", "template", "svg"))
_BODY_NAME = BODY_ATTRIBUTE.encode()
_CLASSES = tuple(s[1:] for s in EXCLUDED_SELECTORS if s.startswith("."))
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b]+")
_LINES = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class Page:
    url: str       # the page's address in the site, from its root: /notices/x/
    language: str  # zh-cn, en
    title: str
    text: str      # the indexed text without the title (lines = blocks)


def page_url(rel: str) -> str:
    if rel == "index.html":
        return "/"
    return "/" + (rel[:-len("index.html")] if rel.endswith("/index.html") else rel)


def _ignored(element) -> bool:
    if element.get(IGNORE_ATTRIBUTE) is not None:
        return True
    classes = (element.get("class") or "").split()
    return any(name in classes for name in _CLASSES)


def _text(element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _DROPPED or _ignored(element) or not tag:
        if element.tail:
            out.append(element.tail)
        return
    block = tag in _BLOCKS
    if block:
        out.append("\n")
    if element.text:
        out.append(element.text)
    for child in element:
        _text(child, out)
    if block:
        out.append("\n")
    if element.tail:
        out.append(element.tail)


def _inside(element) -> str:
    """The element's text without its ignored parts (a heading's permalink "¶")."""
    out = [element.text or ""]
    for child in element:
        _text(child, out)
    return "".join(out)


def clean(text: str) -> str:
    return _LINES.sub("\n", _SPACES.sub(" ", text)).strip()


_LANG = re.compile(rb"<html[^>]*?\slang=[\"']?([A-Za-z0-9-]+)", re.IGNORECASE)


def language_of(data: bytes) -> str:
    """The page's language as the index names it: ``<html lang>`` lowercased."""
    found = _LANG.search(data, 0, 4096)
    return found.group(1).decode("ascii").lower() if found else "unknown"


def _body_slice(data: bytes, start: int) -> bytes:
    """The element that opens at ``start`` (its matching close tag found by counting)."""
    name = re.match(rb"<([A-Za-z][A-Za-z0-9]*)", data[start:start + 20]).group(1)
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"[\s>/]", re.IGNORECASE)
    depth = 0
    for match in tags.finditer(data, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return data[start:data.index(b">", match.end() - 1) + 1]
    return data[start:]


def body_start(data: bytes, start: int = 0) -> int:
    """Where the first element carrying ``data-search-body`` opens (from ``start``), or -1.

    The same test as :data:`govpub.search.markers.BODY_PATTERN`, which is only tried where the
    attribute's name is (the regular expression alone tries every ``<`` of the page)."""
    at = start
    while (at := data.find(_BODY_NAME, at)) >= 0:
        opening = data.rfind(b"<", start, at)
        if opening >= 0:
            found = BODY_PATTERN.match(data, opening)
            if found and found.end() > at:
                return opening
        at += len(_BODY_NAME)
    return -1


def read_page(rel: str, data: bytes) -> Page | None:
    """The page's indexed parts, or None when it is not indexed.

    Only the indexed element is parsed (its bytes found by counting tags): a
    whole page is parsed only when it has more than one (then every one counts).
    """
    start = body_start(data)
    if start < 0:
        return None
    language = language_of(data)
    piece = _body_slice(data, start)
    if body_start(data, start + len(piece)) >= 0:
        bodies = lxml_html.fromstring(data).xpath(f"//*[@{BODY_ATTRIBUTE}]")
    else:
        bodies = [lxml_html.fragment_fromstring(piece.decode("utf-8"))]
    title = ""
    out: list[str] = []
    for body in bodies:
        heading = body.find(".//h1") if not title else None
        if heading is not None:
            title = clean(_inside(heading).replace("\n", " "))
            tail = heading.tail
            heading.getparent().remove(heading)  # the title is not counted as text too
            out.append(tail or "")
        _text(body, out)
    if not title:  # the page's first <h1>, wherever it is
        heading = re.search(rb"<h1[\s>].*?</h1>", data, re.DOTALL)
        if heading:
            title = clean(lxml_html.fragment_fromstring(heading.group(0).decode("utf-8"))
                          .text_content())
    return Page(page_url(rel), language, title, clean("".join(out)))


def site_pages(site_dir: Path, skip: tuple[str, ...] = ()):
    """Every HTML file of the site (path in the site, path as a string, its lstat), in
    path order (a folder's files, then its folders'); links, the index's folder and the
    folders in ``skip`` left out. One lstat per page and os.scandir: the update of the
    index after a one-page change walks 10,000 folders to find what changed."""
    yield from _pages_under(str(site_dir), "", frozenset((INDEX_DIR, *skip)))


def _pages_under(folder: str, prefix: str, skip: frozenset[str]):
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.endswith(".html"):
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode):
                yield prefix + entry.name, entry.path, st
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and not (not prefix and entry.name in skip):
            yield from _pages_under(entry.path, f"{prefix}{entry.name}/", skip)
