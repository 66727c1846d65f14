"""MkDocs hook that prepares every page's metadata and chrome for the theme, HTML-escaped.

MkDocs templates do not autoescape, and Material prints ``page.meta.title``,
``page.title`` and ``page.meta.description`` as they are. This hook:

- computes the values the theme shows (source, publication and update time in
  the site time zone, document number, status banner, "not reviewed" flag,
  and the page chrome of :mod:`govpub.chrome`: language, labels, index box,
  heading, metadata) into ``govpub`` in the template context, from the raw
  front matter;
- then HTML-escapes every string in ``page.meta`` in place, so that Material's
  own templates and its search index receive text, never markup;
- once the page is rendered, takes its main heading out of the content (the
  theme prints it with the id the skip link lands on), wraps its tables in
  scrolling regions and completes the page metadata (:func:`decorate_content`).

The governed build registers this file as its only hook (``config.extra.govpub``
carries the time zone, the preview flag and the chrome settings);
``hooks/govpub_guard.py`` calls the same functions for plain ``mkdocs build``.

What belongs to one render and not to the site — which pages this process
renders (the render in parts, the incremental render), which are not
reviewed — comes from the active :class:`govpub.build.incremental.RenderPlan`,
never from the configuration, which templates can read: the site key of the
incremental render covers the whole configuration, and these lists must not
make every page depend on every other. The plan also records what each page
rendered here depended on (the links MkDocs resolved, its warnings) and links to.
"""

from __future__ import annotations

import html
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from govpub.build import incremental
from govpub.chrome.page import finish_page, not_found_chrome, page_chrome
from govpub.search.pages import page_search, search_box
from govpub.timeparse import DateFormatError, parse_datetime

STATUSES = ("amended", "repealed", "withdrawn")
#: static templates of the theme that are 404 pages, and their language
NOT_FOUND_PAGES = {"404.html": "zh-CN", "en/404.html": "en"}
_unreviewed_cache: dict[int, frozenset[str]] = {}


def _timezone(settings: dict):
    try:
        return ZoneInfo(str(settings.get("timezone") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_time(value, tz) -> dict | None:
    """``{"iso": …, "text": "2026-11-20 10:00"}`` in the site time zone, or None."""
    if value is None or value == "":
        return None
    try:
        moment: datetime = parse_datetime(value, tz)
    except DateFormatError:
        return None
    local = moment.astimezone(tz)
    return {"iso": local.isoformat(timespec="minutes"), "text": local.strftime("%Y-%m-%d %H:%M")}


def _unreviewed(settings: dict) -> frozenset[str]:
    paths = settings.get("unreviewed") or ()
    key = id(paths)
    if key not in _unreviewed_cache:
        _unreviewed_cache.clear()
        _unreviewed_cache[key] = frozenset(paths)
    return _unreviewed_cache[key]


def page_context(meta: dict, src_uri: str, settings: dict) -> dict:
    """The raw values the theme shows for one page (the template escapes them with ``|e``)."""
    tz = _timezone(settings)
    status = meta.get("status")
    context = page_chrome(meta, src_uri, settings.get("chrome") or {"timezone": str(tz)})
    shown_status = status if status in STATUSES else None
    context.update({
        "source": meta.get("source"),
        "published": format_time(meta.get("published"), tz),
        "updated": format_time(meta.get("updated"), tz),
        "doc_number": meta.get("doc_number"),
        "status": shown_status,
        "status_label": context["t"][f"status_{shown_status}"] if shown_status else None,
        "status_note": meta.get("status_note"),
        "unreviewed": bool(settings.get("preview")) and src_uri in _unreviewed(settings),
        "timezone": str(tz),
        "search": page_search(meta, src_uri, context["lang"], settings.get("search_languages")),
    })
    return context


def escape_value(value):
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, list):
        return [escape_value(v) for v in value]
    if isinstance(value, dict):
        return {k: escape_value(v) for k, v in value.items()}
    return value


def escape_meta(meta: dict) -> None:
    for key in list(meta):
        meta[key] = escape_value(meta[key])


def decorate_page(page, config) -> None:
    settings = (config.extra or {}).get("govpub") or {}
    plan = incremental.active()
    if plan is not None:
        settings = {**settings, "unreviewed": plan.unreviewed}
    page.govpub = page_context(page.meta, page.file.src_uri, settings)
    escape_meta(page.meta)


def decorate_content(content: str, page, config) -> str:
    """The rendered page: heading out, tables wrapped, metadata completed, skip target set."""
    context = getattr(page, "govpub", None)
    if context is None:
        return content
    chrome = ((config.extra or {}).get("govpub") or {}).get("chrome") or {}
    url = page.canonical_url or page.abs_url or ""
    content = finish_page(context, content, title=html.unescape(page.title or ""), url=url,
                          chrome=chrome)
    _skip_to_heading(page, context["heading"])
    return content


def _skip_to_heading(page, heading: dict) -> None:
    """Material's skip link goes to the first entry of the table of contents: make that
    the page's main heading, with the page's sections under it (as a ``# Title`` page has)."""
    from mkdocs.structure.toc import AnchorLink, TableOfContents

    items = list(page.toc or [])
    if items and items[0].level == 1 and items[0].id == heading["id"]:
        return
    anchor = AnchorLink(heading["html"], heading["id"], 1)
    anchor.children = items
    page.toc = TableOfContents([anchor])


def on_files(files, config):
    plan = incremental.active()
    return plan.on_files(files, config) if plan is not None else files


def on_env(env, config, files):
    plan = incremental.active()
    if plan is not None:
        plan.on_env(env)
    return env


def on_page_markdown(markdown, page, config, files):
    plan = incremental.active()
    if plan is not None:
        plan.begin(page)  # MkDocs resolves the page's links next, in page.render
    decorate_page(page, config)
    return markdown


def on_page_content(content, page, config, files):
    content = decorate_content(content, page, config)
    plan = incremental.active()
    if plan is not None:
        plan.end()
    return content


def on_page_context(context, page, config, nav):
    plan = incremental.active()
    if plan is not None:
        plan.begin(page)
    context["govpub"] = getattr(page, "govpub", None) or {}
    return context


def on_template_context(context, template_name, config):
    """The 404 pages (static templates) get the chrome of their language, and links from
    the site root: a server shows them for any missing address, at any depth."""
    language = NOT_FOUND_PAGES.get(template_name)
    if language is not None:
        chrome = ((config.extra or {}).get("govpub") or {}).get("chrome") or {}
        context["govpub"] = not_found_chrome(chrome, language)
        context["govpub"]["search"] = search_box(
            language, "", ((config.extra or {}).get("govpub") or {}).get("search_languages"))
        context["base_url"] = urlsplit(config.site_url or "/").path.rstrip("/") or "/"
    return context


def on_post_page(output, page, config):
    plan = incremental.active()
    if plan is not None:  # hooks run after plugins: this is the text MkDocs writes
        plan.rendered(page, output)
        plan.end()
    return output
