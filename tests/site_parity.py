"""What the public sees of a built site, page by page, whatever renderer wrote its HTML.

:func:`site_pages` reads every HTML page of a site folder into a
:class:`PageView`: its ``<html lang>``, ``<title>``, ``<meta>`` metadata and
canonical link, its visible text (whitespace normalised) and the targets of its
internal links and forms (resolved against the page's address). The parts of a page that
belong to one renderer's navigation by design are taken out first
(:data:`RENDERER_PARTS`); everything else counts.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

#: CSS selectors of what each renderer shows by design and the other does not:
#: MkDocs + Material's header bar, navigation tabs, sidebars (the navigation again and the
#: page's table of contents), back-to-top button and its own search dialog; the Pelican
#: theme's header bar (site name and navigation). Never text or links of a page itself.
RENDERER_PARTS = {
    "mkdocs": (".md-header", ".md-tabs", ".md-sidebar", ".md-top", ".md-search",
               "input.md-toggle", "label.md-overlay", ".md-dialog"),
    "pelican": (".gp-header",),
}
#: meta names a renderer writes about itself (Material: its generator)
RENDERER_META = frozenset({"generator"})
#: folders of the site that are not pages: the renderers' own assets, search indexes
NOT_PAGES = ("assets/", "theme/", "search/search_index", "search-index/")
_SPACE = re.compile(r"\s+")


@dataclass
class PageView:
    lang: str
    title: str
    meta: list[tuple[str, str, str]]
    canonical: str
    text: str
    links: list[str]


def page_address(rel: str) -> str:
    """The address of an HTML file of the site: ``notices/x/index.html`` → ``/notices/x/``."""
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def _target(href: str, base: str) -> str | None:
    """An internal link's target as a site path (``/notices/x/#part``); None for others."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("mailto:"):
        return None
    path = unquote(parts.path)
    if not path:
        path = base
    elif not path.startswith("/"):
        path = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
        if parts.path.endswith("/") and not path.endswith("/"):
            path += "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    if path == "/." or path == "":
        path = "/"
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def read_page(html: str, rel: str, renderer: str) -> PageView:
    soup = BeautifulSoup(html, "lxml")
    base = page_address(rel)
    meta = sorted((attr, tag[attr], " ".join(tag.get("content", "").split()))
                  for tag in soup.find_all("meta") for attr in ("name", "property")
                  if tag.has_attr(attr) and tag[attr] not in RENDERER_META)
    canonical = soup.find("link", rel="canonical")
    body = soup.body
    for selector in RENDERER_PARTS[renderer]:
        for element in body.select(selector):
            element.decompose()
    for element in body.find_all(["script", "style", "template", "svg"]):
        element.decompose()
    text = _SPACE.sub(" ", body.get_text(" ")).strip()
    targets = [a["href"] for a in body.find_all("a", href=True)]
    targets += [form["action"] for form in body.find_all("form", action=True)]
    links = sorted({t for href in targets if (t := _target(href, base)) is not None})
    return PageView(lang=soup.html.get("lang", ""), title=_SPACE.sub(" ", soup.title.get_text()
                                                                     if soup.title else "").strip(),
                    meta=meta, canonical=canonical["href"] if canonical else "", text=text,
                    links=links)


def site_pages(site: Path, renderer: str) -> dict[str, PageView]:
    """Every HTML page of the site folder, by address."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(NOT_PAGES):
            continue
        pages[page_address(rel)] = read_page(path.read_text(encoding="utf-8"), rel, renderer)
    return pages


def site_files(site: Path) -> set[str]:
    """Every file of the site that is not one renderer's own asset."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
            and not p.relative_to(site).as_posix().startswith(NOT_PAGES)}
