"""Ready source definitions for central sites that publish no feed.

A source in ``feeds.yml`` names one with ``preset:``; its own keys override
the preset's (the tests point the preset at a local copy with ``url:``).

``gov-cn-zuixin`` is the State Council's latest-policy list
(www.gov.cn/zhengce/zuixin.htm). The list links each policy from an ``h4``
heading (older templates: ``div.subtitle a[title]``); every policy page
carries ``<meta name="firstpublishedtime" content="2026-11-20-10:00:00">``
(Beijing time), ``manuscriptId`` (a stable id), ``lanmu`` (the column), its
title in ``div.share-title``, the text in ``div.TRS_UEDITOR`` or
``#UCAP-CONTENT``, and a table of facts with 发文机关 and 发文字号. The
same selectors are what RSSHub's ``/gov/zhengce/zuixin`` route reads.
"""

from __future__ import annotations

#: default rules for reading an item's own page (Chinese government CMS conventions)
PAGE_DEFAULTS = {
    "time_meta": ["firstpublishedtime", "PubDate", "pubdate", "publishdate"],
    "id_meta": ["manuscriptId"],
    "column_meta": ["lanmu", "ColumnName"],
    "title_meta": ["ArticleTitle"],
    "text_selector": ("div.TRS_UEDITOR, #UCAP-CONTENT, .pages_content, #zoom, "
                      ".article-content, article, main"),
    "doc_number_labels": ["发文字号", "文号"],
    "issuer_labels": ["发文机关"],
}

PRESETS: dict[str, dict] = {
    "gov-cn-zuixin": {
        "kind": "html",
        "url": "https://www.gov.cn/zhengce/zuixin.htm",
        "publisher": "中华人民共和国中央人民政府",
        "links": "h4 a, div.subtitle a[title]",
        # policy pages only; links to other hosts never count (see listpage.list_links)
        "link_pattern": r"/zhengce/.*content_\d+\.htm$",
        "page": {
            "time_meta": ["firstpublishedtime"],
            "id_meta": ["manuscriptId"],
            "column_meta": ["lanmu"],
            "title_selector": "div.share-title",
            "text_selector": "div.TRS_UEDITOR, #UCAP-CONTENT",
        },
    },
}


def with_preset(spec: dict) -> dict:
    """The source's keys over its preset's (``page`` merged key by key)."""
    preset = PRESETS.get(spec.get("preset", ""), {})
    merged = {**preset, **spec}
    merged["page"] = {**preset.get("page", {}), **spec.get("page", {})}
    return merged
