"""One page's chrome: language, labels, column, index box, heading and metadata.

Two steps, so that any renderer can call them at the moments it has the
data: :func:`page_chrome` from the raw front matter (before the renderer
escapes it), :func:`finish_page` once the page's HTML exists (its heading,
tables, description and the metadata that needs the page's address).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..disclosure.indexbox import index_box_html, index_box_rows
from ..timeparse import DateFormatError, parse_datetime
from .html import label_permalinks, split_heading, wrap_tables
from .labels import labels
from .language import HTML_LANG, MATERIAL_LANGUAGE, page_language
from .metadata import page_metadata, text_of


def _timezone(name: str):
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _pub_date(meta: dict, tz, fallback: str) -> str:
    for key in ("updated", "published", "modified"):
        value = meta.get(key)
        if value not in (None, ""):
            try:
                return parse_datetime(value, tz).astimezone(tz).strftime("%Y-%m-%d %H:%M")
            except DateFormatError:
                continue
    return fallback


def page_chrome(meta: dict, content_path: str, chrome: dict) -> dict:
    """The chrome of one page from its raw front matter and the site's chrome settings."""
    meta = meta or {}
    language = page_language(meta, content_path, chrome.get("language", "zh-CN"))
    t = labels(language)
    tz = _timezone(chrome.get("timezone", ""))
    folder = content_path.split("/", 1)[0] if "/" in content_path else ""
    column = (chrome.get("columns") or {}).get(folder)
    number = (chrome.get("index") or {}).get(content_path)
    box = None
    if number:
        box = index_box_html(index_box_rows(meta, number, labels=t, language=language, tz=tz,
                                            default_topic=chrome.get("topic", "")),
                             t["index_box"])
    summary = meta.get("summary") if isinstance(meta.get("summary"), str) else ""
    return {
        "lang": language,
        "html_lang": HTML_LANG[language],
        "material_lang": MATERIAL_LANGUAGE[language],
        "t": t,
        "column": column,
        "index_number": number,
        "index_box": box,
        "title": " ".join(str(meta.get("title", "")).split()),
        "summary": " ".join(summary.split()),
        "pub_date": _pub_date(meta, tz, chrome.get("site_modified", "")),
        "is_article": bool(meta.get("published")) and not content_path.endswith("index.md"),
        "raw_meta": {k: meta.get(k) for k in ("source", "tags", "category", "policy_kind")},
    }


def finish_page(ctx: dict, content: str, *, title: str, url: str, chrome: dict) -> str:
    """Take the heading out of ``content``, wrap its tables, and complete the metadata."""
    t = ctx["t"]
    page_title = ctx["title"] or title
    content, heading = split_heading(content, page_title)
    content = wrap_tables(content, t["table_region"], t["table_hint"])
    content = label_permalinks(content, t["permalink"])
    description = ctx["summary"] or text_of(content) or page_title
    ctx["heading"] = heading
    ctx["description"] = description
    ctx["metadata"] = page_metadata(
        site=chrome.get("site", {}), identity=chrome.get("identity", {}), language=ctx["lang"],
        title=page_title, url=url, column=ctx["column"], meta=ctx["raw_meta"],
        description=description, pub_date=ctx["pub_date"], is_article=ctx["is_article"])
    return content


def not_found_chrome(chrome: dict, language: str) -> dict:
    """The chrome of the 404 page (no page, no column) in ``language``."""
    t = labels(language)
    return {"lang": language, "html_lang": HTML_LANG[language],
            "material_lang": MATERIAL_LANGUAGE[language], "t": t, "column": None,
            "index_box": None, "heading": {"id": "gp-title", "html": t["not_found_title"]},
            "metadata": [], "description": t["not_found_text"]}
