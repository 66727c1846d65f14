"""GP301–GP304: internal links and images resolve to pages that will be published.

Links are read from the body (inline, reference, images, raw HTML) with the
shared extractor ``govpub.links.body_links`` and from front-matter fields
that name attachments (a service item's document templates and examples).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from ..anchors import heading_anchors
from ..findings import Severity
from ..i18n import _
from ..links import body_links
from . import Rule, register

_SCHEME_EXTERNAL = ("http", "https", "mailto", "tel", "ftp", "ftps", "news", "sms")


class InternalLink(NamedTuple):
    """A tuple, not a dataclass: thousands travel back from each check worker."""

    source: str  # content path of the linking page
    url: str
    line: int
    column: int
    target: str | None  # content path, or None for the page itself
    fragment: str
    escapes: bool = False
    is_column_index: bool = False


def _front_matter_links(doc):
    for index, entry in enumerate(doc.meta.get("documents") or []):
        if not isinstance(entry, dict):
            continue
        for key in ("template", "example"):
            value = entry.get(key)
            if isinstance(value, str) and value:
                yield value, doc.line_of("documents", index, key), 1


def _resolve(doc, url: str, line: int, column: int, columns) -> InternalLink | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() in _SCHEME_EXTERNAL or parts.netloc:
            return None  # external: the GP6xx rules
        return InternalLink(doc.path, url, line, column, None, "", escapes=True)
    path = unquote(parts.path)
    fragment = unquote(parts.fragment)
    if not path:
        return InternalLink(doc.path, url, line, column, None, fragment)
    if path.startswith("/") or "\\" in path or "\x00" in path:
        return InternalLink(doc.path, url, line, column, None, fragment, escapes=True)
    base = posixpath.dirname(doc.path)
    target = posixpath.normpath(posixpath.join(base, path))
    if target == ".." or target.startswith("../") or target.startswith("/"):
        return InternalLink(doc.path, url, line, column, None, fragment, escapes=True)
    if path.endswith("/") or target in columns:
        folder = "" if target == "." else target
        return InternalLink(doc.path, url, line, column, posixpath.join(folder, "index.md")
                            if folder else "index.md", fragment,
                            is_column_index=folder in columns)
    return InternalLink(doc.path, url, line, column, target, fragment)


def links_of(doc, columns) -> list[InternalLink]:
    """The internal links of one loaded page (derived once, in the worker that loaded it)."""
    def compute(doc):
        if not doc.has_meta:
            return []
        found = [(link.url, doc.body_line - 1 + link.line, link.column)
                 for link in body_links(doc)]
        found += list(_front_matter_links(doc))
        resolved = (_resolve(doc, url.strip(), line, column, columns)
                    for url, line, column in found)
        return [link for link in resolved if link is not None]
    return doc.derive("internal-links", compute)


def anchors_of(doc) -> set[str]:
    return doc.derive("anchors", lambda d: heading_anchors(d.body))


def internal_links(ctx) -> list[InternalLink]:
    """Every internal link of every loaded page (computed once per check)."""
    def collect():
        columns = frozenset(ctx.policy.columns)
        return [link for doc in ctx.pages() for link in links_of(doc, columns)]
    return ctx.memo("internal-links", collect)


class LinkRule(Rule):
    def prepare(self, doc, ctx) -> None:
        derived = doc.derived  # four rules prepare the same: once is enough
        if doc.is_page and not ("anchors" in derived and "internal-links" in derived):
            links_of(doc, ctx.memo("link-columns", lambda: frozenset(ctx.policy.columns)))
            anchors_of(doc)


def _exists(ctx, link: InternalLink) -> bool:
    return link.target in ctx.corpus.documents or (
        link.is_column_index and link.target.rsplit("/", 1)[0] in ctx.policy.columns)


@register
class LinkLeavesContent(LinkRule):
    """A link or image path points outside `content/`.

    What it checks: relative links stay inside `content/`; no absolute paths
    (`/etc/…`, `/catalog/…`), `file:` or other local schemes.
    Why: the build publishes only reviewed files from `content/`; a path out
    of it points at something nobody reviewed, or breaks on the site.
    Example: `[form](../../site_config/reviewers.yml)`, `![](/tmp/x.png)`.
    Fix: link to the page or attachment with a relative path inside
    `content/`, e.g. `../catalog/100000000001.md`.
    """

    id = "GP303"
    name = "link-leaves-content"
    locked = True

    def check(self, ctx) -> Iterator:
        for link in internal_links(ctx):
            if link.escapes:
                yield ctx.finding(self, "content/" + link.source, link.line,
                                  _("link {url!r} leaves content/ — use a relative path to a "
                                    "page or attachment inside content/").format(url=link.url),
                                  link.column)


@register
class BrokenInternalLink(LinkRule):
    """A link or image points to a file that does not exist under `content/`.

    What it checks: the target of each relative link (and each document
    template/example of a service item) exists.
    Why: broken links are counted against government websites in inspections.
    Example: `[guide](../guides/missing.md)`.
    Fix: correct the path (links are relative to the linking page), or add the
    missing file.
    """

    id = "GP301"
    name = "broken-internal-link"

    def check(self, ctx) -> Iterator:
        for link in internal_links(ctx):
            if link.escapes or link.target is None or _exists(ctx, link):
                continue
            yield ctx.finding(self, "content/" + link.source, link.line,
                              _("link {url!r} points to content/{target}, which does not "
                                "exist — correct the relative path").format(
                                  url=link.url, target=link.target), link.column)


@register
class LinkToBlocked(LinkRule):
    """A link points to a page or attachment that is not published.

    What it checks: the target of each internal link will be published (it
    has no blocking finding and is not scheduled for later).
    Why: a quarantined page must leave no trace — not even a link, its title
    or a broken URL in another page. The linking page is held back too until
    the link is removed or the target is fixed.
    Example: a guide linking to a form whose sign-off is missing.
    Fix: fix the target page (see its own findings), or remove the link.
    """

    id = "GP302"
    name = "link-to-blocked"
    locked = True
    needs_gate = True

    def targets(self, doc, ctx) -> Iterator:
        if doc.is_page:
            for link in links_of(doc, frozenset(ctx.policy.columns)):
                if not link.escapes and link.target in ctx.corpus.documents:
                    yield link.target

    def check(self, ctx) -> Iterator:
        for link in internal_links(ctx):
            if link.escapes or link.target is None or link.is_column_index:
                continue
            if link.target in ctx.corpus.documents and link.target in ctx.blocked:
                yield ctx.finding(self, "content/" + link.source, link.line,
                                  _("link {url!r} points to content/{target}, which is not "
                                    "published (see its findings) — this page is held back "
                                    "until the link is removed or the target is fixed").format(
                                      url=link.url, target=link.target), link.column)


@register
class MissingAnchor(LinkRule):
    """A `#anchor` does not match any heading of the target page.

    What it checks: the fragment of a link to a page (or `#x` within the same
    page) is the id of one of its headings, as the renderer generates them
    (Chinese headings keep their characters), or an explicit `{#id}`.
    Why: the link lands at the top of the page instead of the section.
    Example: `[fees](../guides/fee-reduction.md#费用标准)` with no such heading.
    Fix: use the heading's id (lower case, spaces become `-`), or add
    `{#id}` after the heading.
    """

    id = "GP304"
    name = "missing-anchor"
    severity = Severity.WARNING

    def check(self, ctx) -> Iterator:
        for link in internal_links(ctx):
            if link.escapes or not link.fragment or link.is_column_index:
                continue
            target = link.target or link.source
            doc = ctx.corpus.documents.get(target)
            if doc is None or not doc.is_page or not doc.has_meta:
                continue
            if link.fragment not in anchors_of(doc):
                yield ctx.finding(self, "content/" + link.source, link.line,
                                  _("no heading with id #{anchor} in content/{target}").format(
                                      anchor=link.fragment, target=target), link.column)
