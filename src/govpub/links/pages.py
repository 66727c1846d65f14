"""The links of a page as the site shows them: body links and URL-valued front matter."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..content import Document
from . import body_links
from .extract import Link

_URLISH = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//", re.ASCII)


class PageLink(NamedTuple):
    """A tuple, not a dataclass: thousands travel back from each check worker."""

    url: str
    line: int  # line in the file
    column: int
    kind: str  # a Link kind, or "front-matter"
    where: str  # "" for the body, else the front-matter field (``documents.0.template``)


def _meta_urls(value, path: tuple, out: list) -> list[tuple[tuple, str]]:
    """(key path, URL) of every URL-valued string of the front matter, in order, into out."""
    if isinstance(value, str):
        if "//" in value and _URLISH.match(value):  # no "//": no URL (the pattern needs it)
            out.append((path, value.strip()))
    elif isinstance(value, dict):
        for key, item in value.items():
            _meta_urls(item, (*path, key), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _meta_urls(item, (*path, index), out)
    return out


def page_links(doc: Document) -> list[PageLink]:
    """Every link of a loaded page, with its position in the file (computed once)."""
    return doc.derive("page-links", _page_links)


def _page_links(doc: Document) -> list[PageLink]:
    if not doc.has_meta:
        return []
    out = []
    for path, url in _meta_urls(doc.meta, (), []):
        out.append(PageLink(url, doc.line_of(*path), 1, "front-matter",
                            ".".join(map(str, path))))
    link: Link
    for link in body_links(doc):
        out.append(PageLink(link.url, doc.body_line + link.line - 1, link.column, link.kind, ""))
    return out
