"""The second renderer: Pelican building the same staging folder into the same site.

The gate, the staging folder, the generated pages and the post-build steps
(sitemap, open data, feeds, handouts, search index, manifest) are the same
for both renderers; this module and its theme (``pelican_theme/``) are what
differ. What the public sees is the same as with MkDocs
(``tests/test_build_parity.py`` compares the two, page by page):

- the same page data: each page's chrome, source, times, document number,
  status banner and index box are computed by the functions the MkDocs hook
  calls (:func:`govpub.build.mkdocs_hook.page_context`, then
  :func:`govpub.chrome.page.finish_page` on the rendered HTML);
- the same Markdown: the extensions and their settings are the ones of the
  site's ``mkdocs.yml`` (its one Markdown configuration), read through MkDocs'
  own configuration loader;
- the same URLs (directory URLs, ``404.html`` and ``en/404.html``);
- the same chrome: the toolbar (skip link, care mode, language), the footer
  (site identity) and the care-mode script are the MkDocs theme's partials,
  included from ``govpub/theme``; its stylesheets, scripts and images are
  copied from there, not kept twice.

Pelican does not read YAML front matter, so :class:`FrontMatterReader`
parses it (the staged pages already passed govpub's strict loader). The
theme has Jinja autoescaping on. Pelican always renders every page (the
incremental render is MkDocs only).
"""

from __future__ import annotations

import contextlib
import html
import io
import logging
import posixpath
import re
import shutil
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote, unquote, urljoin, urlsplit

from ..content import split_page
from ..errors import BuildError
from ..i18n import _
from ..sitemodel import page_url
from .mdtext import relative_path
from .pipeline import BuildState

THEME = Path(__file__).with_name("pelican_theme")
#: the Pelican templates of the two 404 pages, where they are saved and their language
NOT_FOUND = {"not_found": ("404.html", "zh-CN"), "not_found_en": ("en/404.html", "en")}
#: Pelican's ``page_name`` of each 404 page (its path without ``.html``)
NOT_FOUND_PAGES = {path.removesuffix(".html") for path, _language in NOT_FOUND.values()}
# links marked data-page-relative are relative to the page's URL already
_LINK = re.compile(r'(?<!data-page-relative)(\s(?:href|src))="([^"]*)"')
#: the stylesheets and (deferred) scripts of govpub/theme that its main.html loads
THEME_CSS = ("stylesheets/govpub.css", "stylesheets/govpub-search.css")
THEME_JS = ("javascripts/govpub.js",)
#: files of the MkDocs theme folder that are templates, not files of the site
_TEMPLATE_SUFFIXES = (".html", ".py", ".pyc")


def rewrite_link(url: str, source: str) -> str:
    """A relative link of the page ``source`` made relative to its output folder."""
    value = html.unescape(url)
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith(("/", "#")) or not parts.path:
        return url
    target = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(parts.path)))
    if target.startswith("../") or target == "..":
        return url
    # a folder's address keeps its slash (normpath drops it): ./, ../, sub/, page.md → page/
    folder = parts.path.endswith("/") or target == "."
    if target == ".":
        target = ""
    elif target.endswith((".md", ".markdown")):
        target, folder = page_url(target), True
    elif folder:
        target += "/"
    own_dir = page_url(source)
    if folder:
        rel = relative_path(target + "x", own_dir + "x")[:-1] or "./"
    else:
        rel = relative_path(target, own_dir + "x")
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return html.escape(quote(rel, safe="/") + fragment, quote=True)


def fallback_title(rel: str) -> str:
    """MkDocs' title for a page with neither a ``title`` nor a leading heading."""
    path = Path(rel)
    name = path.parent.name if path.stem in ("index", "README") and path.parent.name \
        else path.stem
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment built by govpub.chrome (a heading)."""
    from markupsafe import Markup

    return Markup(fragment).striptags()


def html_title(meta: dict, heading: dict, site_name: str, *, is_homepage: bool) -> str:
    """``<title>`` as the MkDocs theme's ``htmltitle`` block writes it."""
    title = meta.get("title")
    if title:
        return f"{title} - {site_name}"
    if heading and not is_homepage:
        return f"{plain_text(heading['html'])} - {site_name}"
    return site_name


def page_data(meta: dict, rel: str, content: str, settings: dict, site: dict) -> tuple[str, dict]:
    """(finished content, page data) of one page: the MkDocs hook's data, the same way.

    ``settings`` is what the MkDocs hook reads from ``config.extra.govpub``
    (:func:`govpub.build.render_mkdocs.govpub_settings`); ``site`` has the
    site's name and address (``site_url``, as MkDocs resolves it).
    """
    from govpub.chrome.html import split_heading
    from govpub.chrome.page import finish_page

    from .mkdocs_hook import page_context

    context = page_context(meta, rel, settings)
    title = " ".join(str(meta.get("title") or "").split())
    if not title:  # MkDocs: the page's leading heading, else its file name
        _rest, heading = split_heading(content, "")
        title = plain_text(heading["html"]) or fallback_title(rel)
    url = page_url(rel)
    canonical = urljoin(site["site_url"], url) if site.get("site_url") else ""
    content = finish_page(context, content, title=title, url=canonical or "/" + url,
                          chrome=settings.get("chrome") or {})
    context["canonical"] = canonical
    context["html_title"] = html_title(meta, context["heading"], site["name"],
                                       is_homepage=rel == "index.md")
    return content, context


def make_reader_class():
    from markdown import Markdown
    from pelican.readers import BaseReader

    class FrontMatterReader(BaseReader):
        """Markdown with YAML front matter, as staged by govpub, with the site's extensions."""

        enabled = True
        file_extensions: ClassVar[list[str]] = ["md", "markdown"]

        def read(self, source_path):
            root = Path(self.settings["PATH"])
            rel = Path(source_path).resolve().relative_to(root.resolve()).as_posix()
            meta, body = split_page(rel, Path(source_path).read_bytes())
            markdown = self.settings["GOVPUB_MARKDOWN"]
            content = Markdown(extensions=markdown["extensions"],
                               extension_configs=markdown["configs"]).convert(body)
            content = _LINK.sub(lambda m: f'{m.group(1)}="{rewrite_link(m.group(2), rel)}"',
                                content)
            content, data = page_data(meta, rel, content, self.settings["GOVPUB"],
                                      self.settings["GOVPUB_SITE"])
            url = page_url(rel)
            return content, {
                "title": plain_text(data["heading"]["html"]),
                "slug": url.rstrip("/") or "index",
                "url": url,
                "save_as": f"{url}index.html",
                "template": "page",
                "govpub": data,
            }

    return FrontMatterReader


def site_link_filter():
    """Jinja filter ``url``, as MkDocs' for its templates: a site-relative path as the page
    at hand links to it (relative to the page; from the site root on the 404 pages)."""
    from jinja2 import pass_context

    @pass_context
    def url(context, path) -> str:
        path = str(path or "")
        if urlsplit(path).scheme or path.startswith(("/", "#")):
            return path
        if context.get("page_name") in NOT_FOUND_PAGES:
            base = context.get("GOVPUB_SITE", {}).get("base_path", "/").rstrip("/")
            return f"{base}/{path}"
        depth = str(context.get("output_file") or "").count("/")
        return "../" * depth + path or "./"

    return url


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _mkdocs_side(state: BuildState):
    """The site's MkDocs configuration: its Markdown extensions, address, theme files."""
    from mkdocs.exceptions import MkDocsException

    from .render_mkdocs import config_file, load_mkdocs_config

    try:
        return load_mkdocs_config(state, state.staging_dir, state.temp_site)
    except MkDocsException as exc:
        raise BuildError(_("invalid MkDocs configuration: {detail}").format(detail=exc),
                         path=config_file(state.root)) from None


def theme_files(custom_dir: Path) -> list[str]:
    """Files of the MkDocs theme folder the site serves (not its templates)."""
    return sorted(p.relative_to(custom_dir).as_posix() for p in custom_dir.rglob("*")
                  if p.is_file() and not p.name.endswith(_TEMPLATE_SUFFIXES)
                  and "__pycache__" not in p.parts)


def copy_theme_files(custom_dir: Path, site_dir: Path) -> None:
    for rel in theme_files(custom_dir):
        destination = site_dir / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(custom_dir / rel, destination)


def render_pelican(state: BuildState) -> None:
    from pelican import Pelican
    from pelican.settings import read_settings

    from govpub.chrome import chrome_settings
    from govpub.chrome.page import not_found_chrome

    from .render_mkdocs import govpub_settings

    echo = state.options.echo
    for message in chrome_settings(state.model)["warnings"]:  # site identity (govpub.chrome)
        echo(_("warning: {message}").format(message=message))
    mkdocs = _mkdocs_side(state)
    custom_dir = Path(mkdocs.theme.custom_dir)
    reader = make_reader_class()
    policy = state.policy
    govpub = govpub_settings(state)
    site_url = mkdocs.site_url or ""
    site = {"name": mkdocs.site_name or policy.site.get("name", ""), "site_url": site_url,
            "base_path": urlsplit(site_url or "/").path.rstrip("/") or "/"}
    files = set(theme_files(custom_dir))
    favicon = mkdocs.theme.get("favicon")
    assets = {"favicon": favicon if favicon in files else "",
              # what the MkDocs theme's main.html loads, then mkdocs.yml's extra files
              "css": [p for p in THEME_CSS if p in files] + [str(p) for p in mkdocs.extra_css],
              "js": [str(script) for script in mkdocs.extra_javascript],
              "deferred_js": [p for p in THEME_JS if p in files]}
    not_found = {}  # by Pelican's page_name, which its direct templates receive
    for path, language in NOT_FOUND.values():
        chrome = not_found_chrome(govpub["chrome"], language)
        chrome["search"] = not_found_search(govpub, language)
        chrome["html_title"] = f"{plain_text(chrome['heading']['html'])} - {site['name']}"
        not_found[path.removesuffix(".html")] = chrome
    settings = read_settings(path=None, override={
        "PATH": str(state.staging_dir),
        "OUTPUT_PATH": str(state.temp_site),
        "THEME": str(THEME),
        # Pelican's own templates first, then the MkDocs theme's folders as MkDocs looks
        # them up (govpub/theme's partials: toolbar, footer, care mode, search box)
        "THEME_TEMPLATES_OVERRIDES": [str(THEME / "templates"), *map(str, mkdocs.theme.dirs)],
        "SITENAME": site["name"],
        "SITEURL": "",
        "RELATIVE_URLS": True,
        "TIMEZONE": policy.site["timezone"],
        "DEFAULT_LANG": (policy.site.get("languages") or ["zh"])[0],
        "READERS": {"md": reader, "markdown": reader, "html": None, "htm": None, "rst": None},
        "PAGE_PATHS": [""],
        "ARTICLE_PATHS": [],
        "STATIC_PATHS": [""],
        "STATIC_EXCLUDE_SOURCES": True,
        "DIRECT_TEMPLATES": list(NOT_FOUND),
        **{f"{name.upper()}_SAVE_AS": path for name, (path, _lang) in NOT_FOUND.items()},
        "PAGINATED_TEMPLATES": {},
        "TAG_SAVE_AS": "", "CATEGORY_SAVE_AS": "", "AUTHOR_SAVE_AS": "",
        "ARCHIVES_SAVE_AS": "", "INDEX_SAVE_AS": "",
        "FEED_ALL_ATOM": None, "CATEGORY_FEED_ATOM": None, "TRANSLATION_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None, "AUTHOR_FEED_RSS": None,
        "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False,
        "DELETE_OUTPUT_DIRECTORY": False,
        "PLUGINS": [],
        "JINJA_ENVIRONMENT": {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True},
        "JINJA_FILTERS": {"url": site_link_filter()},
        # the MkDocs theme's partials read the site's chrome from config.extra.govpub
        "JINJA_GLOBALS": {"config": {"extra": {"govpub": govpub}},
                          "GOVPUB_NOT_FOUND": not_found},
        "GOVPUB": govpub,
        "GOVPUB_SITE": site,
        "GOVPUB_ASSETS": assets,
        "GOVPUB_MARKDOWN": {"extensions": list(mkdocs.markdown_extensions),
                            "configs": dict(mkdocs.mdx_configs)},
        "GOVPUB_NAV": navigation(state),
    })
    logger = logging.getLogger("pelican")
    collector = _ErrorCollector()
    logger.addHandler(collector)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its "Done: Processed …" line
            Pelican(settings).run()
    except Exception as exc:  # Pelican raises whatever its parts raise
        raise BuildError(_("Pelican failed: {error}").format(
            error=f"{type(exc).__name__}: {exc}")) from None
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise BuildError(_("Pelican reported errors: {errors}").format(
            errors="; ".join(collector.messages[:3])))
    copy_theme_files(custom_dir, state.temp_site)


def not_found_search(govpub: dict, language: str) -> dict | None:
    """The search form of a 404 page (as the MkDocs hook gives it), where the site has search:
    the site settings carry ``search_languages`` when :mod:`govpub.search` builds its index."""
    if "search_languages" not in govpub:
        return None
    from govpub.search import search_box

    return search_box(language, "", govpub["search_languages"])


def navigation(state: BuildState) -> list[tuple[str, str]]:
    """Home plus one entry per column index, as the MkDocs navigation
    (:func:`govpub.build.render_mkdocs.navigation`)."""
    from .generated import index_path, indexed_columns

    model = state.model
    home = model.policy.columns.get("")
    nav = [(home.title if home else model.policy.site.get("name", "Home"), "")]
    for folder in indexed_columns(model):
        nav.append((model.policy.columns[folder].title, page_url(index_path(folder, 1))))
    return nav
