"""The approved site as data: what the renderers, open data, feeds and reports read.

Built only from the gate's publishable documents, so anything derived from a
:class:`SiteModel` can never contain a blocked page. The one exception is
named for what it is: ``comment_documents`` holds every comment file, for the
counts on the comments page (withheld comments are counted, never shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import quote

from .checker import CheckResult
from .comments.model import comment_documents
from .config import Column, Policy
from .content import Document


def page_url(content_path: str) -> str:
    """Site-relative URL of a page (MkDocs directory URLs): ``notices/x.md`` → ``notices/x/``.

    With string operations for the normalized paths the loader gives (a path object
    per page was most of the gate's time at 10,000 pages); anything else is read as
    a path, which normalizes it.
    """
    if "//" in content_path or "/./" in content_path or content_path.startswith(("./", "/")) \
            or content_path.endswith(("/", "/.")):
        return _page_url_of_path(content_path)
    folder, _slash, name = content_path.rpartition("/")
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1 and name[dot:].lower() in (".md", ".markdown"):
        if name[:dot] in ("index", "README"):
            return folder + "/" if folder else ""
        return content_path[:len(content_path) - len(name) + dot] + "/"
    return content_path


def _page_url_of_path(content_path: str) -> str:
    path = PurePosixPath(content_path)
    if path.suffix.lower() in (".md", ".markdown"):
        if path.stem in ("index", "README"):
            parent = str(path.parent)
            return "" if parent == "." else parent + "/"
        return str(path.with_suffix("")) + "/"
    return content_path


@dataclass(frozen=True)
class Page:
    doc: Document
    type: str
    column: Column | None
    published: datetime
    updated: datetime | None
    url: str  # site-relative, e.g. "notices/2026-11-20-fee-reduction/"

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def meta(self) -> dict:
        return self.doc.meta

    @property
    def title(self) -> str:
        return str(self.doc.meta.get("title", ""))

    @property
    def modified(self) -> datetime:
        return self.updated or self.published


@dataclass
class SiteModel:
    policy: Policy
    now: datetime
    pages: list[Page]
    attachments: list[Document]
    #: every comment file as loaded, published or not: counted, never rendered
    comment_documents: list[Document] = field(default_factory=list)

    def absolute(self, url: str) -> str:
        """The absolute URL of a site-relative path, percent-encoded: a file name with a
        space, ``#``, ``%``, quotes or Chinese (one allowed past GP221) must not break a
        sitemap, a feed or a JSON reader."""
        return self.policy.base_url + quote(url, safe="/")

    def of_type(self, type_name: str) -> list[Page]:
        """Pages of one type, newest first (ties broken by path, for stable output)."""
        pages = [p for p in self.pages if p.type == type_name]
        return sorted(pages, key=lambda p: (-p.published.timestamp(), p.path))

    def by_column(self, folder: str) -> list[Page]:
        return sorted((p for p in self.pages if p.doc.column == folder),
                      key=lambda p: (-p.published.timestamp(), p.path))


def build_site_model(result: CheckResult) -> SiteModel:
    ctx = result.context
    pages, attachments = [], []
    for doc in result.publishable:
        if not doc.is_page:
            attachments.append(doc)
            continue
        published = ctx.published(doc)
        if published is None:  # the gate blocks undated pages; never publish one by accident
            continue
        pages.append(Page(doc=doc, type=ctx.type_of(doc) or "page",
                          column=ctx.policy.column_for(doc.path), published=published,
                          updated=ctx.updated(doc), url=page_url(doc.path)))
    return SiteModel(policy=ctx.policy, now=ctx.now, pages=pages, attachments=attachments,
                     comment_documents=comment_documents(ctx.policy, ctx.corpus))
