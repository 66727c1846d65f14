"""What a reader of one version of a file sees, as named sections of plain text.

A page: each front-matter field by name (``title``, ``source`` …, the way a
reviewer speaks of them), then the body rendered with the site's own
Markdown extensions (``mkdocs.yml``) and turned into text — one paragraph,
heading, list item or table row per line. Link targets and image sources
are kept beside their text (``text ⟨url⟩``), and HTML comments are shown:
a reader does not see them, but they are published bytes, and a reviewer
must.

An attachment: the text the sensitive-content rules read
(:mod:`govpub.sensitive.extract`) — a PDF page by page, a DOCX as its body,
headers and footers. Files without text (images) have no sections.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import yaml

from ..content import split_page
from ..digest import normalize_text_bytes
from ..i18n import _
from ..sensitive.extract import extract_bytes, is_document

#: kinds of section
FIELD, BODY, PAGE, PART, SOURCE = "field", "body", "page", "part", "source"


@dataclass(frozen=True)
class Section:
    """``kind`` and ``name`` identify the section across versions (``field``/``title``,
    ``body``, ``page``/``3``, ``part``/``header 1``); ``text`` is what a reader sees."""

    kind: str
    name: str
    text: str

    @property
    def key(self) -> tuple[str, str]:
        # pages are matched by their text, not their number (a page may be inserted)
        return (self.kind, "" if self.kind == PAGE else self.name)

    def label(self) -> str:
        if self.kind == FIELD:
            return _("front matter: {field}").format(field=self.name)
        if self.kind == BODY:
            return _("body text")
        if self.kind == PAGE:
            return _("page {number}").format(number=self.name)
        if self.kind == SOURCE:
            return _("source (front matter unreadable)")
        kind, _space, number = self.name.partition(" ")
        if kind == "header":
            return _("header {number}").format(number=number).strip()
        if kind == "footer":
            return _("footer {number}").format(number=number).strip()
        return self.name


@dataclass
class ReaderText:
    sections: list[Section]
    #: why no text could be read (a scan without text layer, an encrypted PDF …)
    error: str | None = None
    #: the file has no text for a reader to compare (an image, other media)
    binary: bool = False


# -- Markdown, rendered as the site renders it -----------------------------------------------


class _Quiet(yaml.SafeLoader):
    """Reads ``mkdocs.yml`` for its extension list without running anything in it:
    ``!!python/…`` tags (and MkDocs' ``!ENV``, ``!relative``) become None."""


def _nothing(loader, suffix, node):
    return None


_Quiet.add_multi_constructor("tag:yaml.org,2002:python/", _nothing)
_Quiet.add_multi_constructor("!", _nothing)


def _clean(value):
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value if v is not None]
    return value


def _mkdocs_yml(root: Path) -> Path:
    """The site's mkdocs.yml, or the default govpub ships (as the build chooses it; read
    here without importing the build)."""
    own = root / "mkdocs.yml"
    return own if own.is_file() else Path(__file__).parent.parent / "build" / "mkdocs-default.yml"


@lru_cache(maxsize=8)
def markdown_extensions(root: Path) -> tuple[tuple, tuple]:
    """(extension names, their settings) from the site's ``mkdocs.yml``."""
    try:
        raw = yaml.load(_mkdocs_yml(root).read_text(encoding="utf-8"), Loader=_Quiet) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        raw = {}
    items = raw.get("markdown_extensions") if isinstance(raw, dict) else None
    names, settings = [], []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict) and len(item) == 1:
            name, config = next(iter(item.items()))
            names.append(str(name))
            if isinstance(config, dict):
                settings.append((str(name), _clean(config)))
    if "toc" not in names:  # MkDocs always adds it
        names.append("toc")
    return tuple(names), tuple(settings)


@lru_cache(maxsize=8)
def _converter(root: Path):
    import markdown

    names, settings = markdown_extensions(root)
    try:
        return markdown.Markdown(extensions=list(names), extension_configs=dict(settings))
    except Exception:  # an extension the site names but this machine lacks
        return markdown.Markdown(extensions=["tables", "def_list", "footnotes", "attr_list"])


_converter_lock = threading.Lock()


def render_markdown(root: Path, body: str) -> str:
    """The body's HTML with the site's extensions (plain Markdown if they cannot load)."""
    with _converter_lock:  # one converter per site, reset between pages (the desk has threads)
        md = _converter(root)
        md.reset()
        return md.convert(body)


_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "pre",
                     "blockquote", "dt", "dd", "table", "ul", "ol", "dl", "section",
                     "article", "header", "footer", "figure", "figcaption", "hr", "details",
                     "summary", "caption", "aside", "nav", "main", "form"})
_SKIP = frozenset({"script", "style", "template", "noscript"})
_SPACES = re.compile(r"[ \t\r\f\v]+")


class _TextOf(HTMLParser):
    """Reader text of HTML: one line per block, inline text joined, markup gone."""

    _PERMALINK = object()  # a heading's ¶ link: neither its text nor its target is shown

    def __init__(self, *, show_hidden: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.show_hidden = show_hidden
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.links: list = []

    def _break(self) -> None:
        line = _SPACES.sub(" ", "".join(self.current)).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS or tag == "br":
            self._break()
        elif tag in ("td", "th") and self.current:
            self.current.append(" | ")
        elif tag == "img":
            alt = (attrs.get("alt") or "").strip()
            src = attrs.get("src") or ""
            self.current.append(f"⟨{alt} {src}⟩" if self.show_hidden else alt)
        elif tag == "a":
            href = attrs.get("href") or ""
            if "headerlink" in (attrs.get("class") or "").split():
                self.links.append(self._PERMALINK)
                self.skipping += 1
            else:
                shown = self.show_hidden and href and not href.startswith("#")
                self.links.append(href if shown else None)

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self._break()
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href is self._PERMALINK:
                self.skipping = max(0, self.skipping - 1)
            elif href and not "".join(self.current).rstrip().endswith(href):
                self.current.append(f" ⟨{href}⟩")

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)

    def handle_comment(self, data):
        if self.show_hidden and not self.skipping:
            self.current.append(f"<!--{data}-->")

    def close(self):
        super().close()
        self._break()


def html_text(html: str, *, show_hidden: bool = True) -> str:
    """Reader text of an HTML fragment, one block per line."""
    parser = _TextOf(show_hidden=show_hidden)
    parser.feed(html)
    parser.close()
    return "\n".join(parser.lines)


# -- sections of a version -------------------------------------------------------------------


def field_text(value) -> str:
    """A front-matter value as a reviewer reads it: scalars as they are, lists and
    mappings as indented YAML."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False,
                              default_flow_style=False, width=1000).rstrip("\n")
    if value is None:
        return ""
    return str(value)


def page_text(root: Path, content_path: str, data: bytes) -> ReaderText:
    meta, body = split_page(content_path, data)
    if not meta:
        # unreadable front matter: compare the source itself, so nothing is hidden
        text = normalize_text_bytes(data).decode("utf-8", "replace")
        return ReaderText([Section(SOURCE, "", text)])
    sections = [Section(FIELD, str(key), field_text(value)) for key, value in meta.items()]
    sections.append(Section(BODY, "", html_text(render_markdown(root, body))))
    return ReaderText(sections)


def displayed_text(root: Path, content_path: str, data: bytes | None) -> str | None:
    """The text the rendered page displays of this version: its title, then its body,
    without link targets or comments (what the eye finds on the page). None when
    there is no such version or it has no front matter."""
    if data is None:
        return None
    meta, body = split_page(content_path, data)
    if not meta:
        return None
    return (field_text(meta.get("title", "")) + "\n"
            + html_text(render_markdown(root, body), show_hidden=False))


def attachment_text(content_path: str, data: bytes) -> ReaderText:
    suffix = PurePosixPath(content_path).suffix
    if not is_document(content_path):
        return ReaderText([], binary=True)
    extracted = extract_bytes(suffix, data)
    if extracted.error and not extracted.chunks:
        return ReaderText([], error=extracted.error)
    sections: list[Section] = []
    body: list[str] = []
    for where, text in extracted.chunks:
        if where.startswith("page "):
            sections.append(Section(PAGE, where.removeprefix("page "), text.strip("\n")))
        elif where.startswith("paragraph "):
            body.append(text)
        else:
            sections.append(Section(PART, where, text.strip("\n")))
    if body:
        sections.insert(0, Section(BODY, "", "\n".join(body)))
    return ReaderText(sections, error=extracted.error)


def reader_text(root: Path, content_path: str, data: bytes | None) -> ReaderText:
    """What a reader sees of one version (no version: nothing)."""
    if data is None:
        return ReaderText([])
    if PurePosixPath(content_path).suffix.lower() in (".md", ".markdown"):
        return page_text(root, content_path, data)
    return attachment_text(content_path, data)


__all__ = ["BODY", "FIELD", "PAGE", "PART", "SOURCE", "ReaderText", "Section",
           "attachment_text", "displayed_text", "field_text", "html_text", "markdown_extensions", "page_text",
           "reader_text", "render_markdown"]
