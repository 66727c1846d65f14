"""The second renderer: Pelican building the same staging folder.

Proof that the governance does not depend on MkDocs: the gate, the staging
folder, the generated pages and the post-build steps are the same; only
this module differs. Minimal but real: every staged page and attachment,
the column indexes and home page, and each page's metadata (source, times,
document number, status banner). No search.

Pelican does not read YAML front matter, so :class:`FrontMatterReader`
parses it (the staged pages already passed govpub's strict loader). The
theme (``pelican_theme/``) is govpub's own, with Jinja autoescaping on.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote, unquote, urlsplit

from ..anchors import heading_slugify
from ..content import split_page
from ..errors import BuildError
from ..sitemodel import page_url
from .mdtext import relative_path
from .mkdocs_hook import page_context
from .pipeline import BuildState

THEME = Path(__file__).with_name("pelican_theme")
MARKDOWN_EXTENSIONS = ["markdown.extensions.tables", "markdown.extensions.toc",
                       "markdown.extensions.attr_list", "markdown.extensions.admonition",
                       "markdown.extensions.abbr", "markdown.extensions.def_list",
                       "markdown.extensions.footnotes"]
# links marked data-page-relative are relative to the page's URL already
_LINK = re.compile(r'(?<!data-page-relative)(\s(?:href|src))="([^"]*)"')


def rewrite_link(url: str, source: str) -> str:
    """A relative link of the page ``source`` made relative to its output folder."""
    value = html.unescape(url)
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith(("/", "#")) or not parts.path:
        return url
    target = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(parts.path)))
    if target.startswith("../"):
        return url
    if target.endswith((".md", ".markdown")):
        target = page_url(target) or "."
    own_dir = page_url(source)
    rel = relative_path(target if not target.endswith("/") else target + "x", own_dir + "x")
    if target.endswith("/"):
        rel = rel[:-1] or "./"
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return html.escape(quote(rel, safe="/") + fragment, quote=True)


def make_reader_class():
    from markdown import Markdown
    from pelican.readers import BaseReader

    class FrontMatterReader(BaseReader):
        """Markdown with YAML front matter, as staged by govpub."""

        enabled = True
        file_extensions: ClassVar[list[str]] = ["md", "markdown"]

        def read(self, source_path):
            root = Path(self.settings["PATH"])
            rel = Path(source_path).resolve().relative_to(root.resolve()).as_posix()
            meta, body = split_page(rel, Path(source_path).read_bytes())
            content = Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs={
                "markdown.extensions.toc": {"slugify": heading_slugify}}).convert(body)
            content = _LINK.sub(lambda m: f'{m.group(1)}="{rewrite_link(m.group(2), rel)}"',
                                content)
            url = page_url(rel)
            return content, {
                "title": str(meta.get("title") or rel),
                "slug": url.rstrip("/") or "index",
                "url": url,
                "save_as": f"{url}index.html",
                "template": "page",
                "govpub": page_context(meta, rel, self.settings["GOVPUB"]),
            }

    return FrontMatterReader


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_pelican(state: BuildState) -> None:
    from pelican import Pelican
    from pelican.settings import read_settings

    from .render_mkdocs import govpub_settings

    reader = make_reader_class()
    policy = state.policy
    settings = read_settings(path=None, override={
        "PATH": str(state.staging_dir),
        "OUTPUT_PATH": str(state.temp_site),
        "THEME": str(THEME),
        "SITENAME": policy.site.get("name", ""),
        "SITEURL": "",
        "RELATIVE_URLS": True,
        "TIMEZONE": policy.site["timezone"],
        "DEFAULT_LANG": (policy.site.get("languages") or ["zh"])[0],
        "READERS": {"md": reader, "markdown": reader, "html": None, "htm": None, "rst": None},
        "PAGE_PATHS": [""],
        "ARTICLE_PATHS": [],
        "STATIC_PATHS": [""],
        "STATIC_EXCLUDE_SOURCES": True,
        "DIRECT_TEMPLATES": [],
        "PAGINATED_TEMPLATES": {},
        "TAG_SAVE_AS": "", "CATEGORY_SAVE_AS": "", "AUTHOR_SAVE_AS": "",
        "ARCHIVES_SAVE_AS": "", "INDEX_SAVE_AS": "",
        "FEED_ALL_ATOM": None, "CATEGORY_FEED_ATOM": None, "TRANSLATION_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None, "AUTHOR_FEED_RSS": None,
        "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False,
        "DELETE_OUTPUT_DIRECTORY": False,
        "PLUGINS": [],
        "JINJA_ENVIRONMENT": {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True},
        "GOVPUB": govpub_settings(state),
        "GOVPUB_NAV": _nav(state),
    })
    logger = logging.getLogger("pelican")
    collector = _ErrorCollector()
    logger.addHandler(collector)
    try:
        Pelican(settings).run()
    except Exception as exc:  # Pelican raises whatever its parts raise
        raise BuildError(f"Pelican failed: {type(exc).__name__}: {exc}") from None
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise BuildError(f"Pelican reported errors: {'; '.join(collector.messages[:3])}")


def _nav(state: BuildState) -> list[tuple[str, str]]:
    from .generated import index_path, indexed_columns

    model = state.model
    nav = [(model.policy.site.get("name", "Home"), "")]
    for folder in indexed_columns(model):
        nav.append((model.policy.columns[folder].title, page_url(index_path(folder, 1))))
    return nav
