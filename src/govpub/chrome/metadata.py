"""Page metadata: the government-website convention, description, canonical link, Open Graph.

Every page carries ``<meta name=…>`` for ``SiteName``, ``SiteDomain``,
``SiteIDCode``, ``ColumnName``, ``ColumnType``, ``ArticleTitle``, ``PubDate``,
``ContentSource``, ``Keywords``, ``Author``, ``Description`` and ``Url``
(the page-metadata convention for government websites), plus ``description``,
a canonical link and Open Graph tags. :func:`page_metadata` returns them as
plain ``(attribute, name, content)`` triples; the theme escapes and prints them.
"""

from __future__ import annotations

import html
import re

from ..i18n import N_, translator
from .language import OG_LOCALE

#: ColumnType of the convention for each content type (a column may set its own)
COLUMN_TYPES = {
    "service-item": N_("Services"),
    "guide": N_("Services"),
    "notice": N_("Notices"),
    "policy": N_("Policy documents"),
    "reproduction": N_("Policy documents"),
    "faq": N_("Questions and answers"),
    "comment": N_("Interaction"),
    "report": N_("Government information disclosure"),
    "page": N_("Site information"),
}
#: the news column is of type notice, but its ColumnType is 政务动态
COLUMN_KIND_TYPES = {"dynamic": N_("Government news"), "home": N_("Home page")}
DESCRIPTION_CHARS = 120
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def column_type(column: dict | None, language: str) -> str:
    gettext = translator(language)
    if not column:
        return gettext(COLUMN_TYPES["page"])
    message = COLUMN_KIND_TYPES.get(column.get("kind")) or COLUMN_TYPES.get(
        column.get("type"), COLUMN_TYPES["page"])
    return gettext(message)


def text_of(fragment: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Plain text of an HTML fragment, shortened to ``limit`` characters."""
    text = _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", fragment))).strip()
    text = text.replace("¶", "").strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def keywords(meta: dict, column_name: str) -> str:
    words = []
    tags = meta.get("tags")
    if isinstance(tags, list):
        words += [str(t) for t in tags if isinstance(t, str | int)]
    for key in ("category", "policy_kind"):
        if isinstance(meta.get(key), str):
            words.append(meta[key])
    if column_name:
        words.append(column_name)
    seen = []
    for word in words:
        word = " ".join(word.split())
        if word and word not in seen:
            seen.append(word)
    return ",".join(seen)


def page_metadata(*, site: dict, identity: dict, language: str, title: str, url: str,
                  column: dict | None, meta: dict, description: str, pub_date: str,
                  is_article: bool) -> list[tuple[str, str, str]]:
    """``(attribute, name, content)`` of every metadata tag of one page."""
    english = language == "en"
    site_name = identity["name_en"] if english else identity["name"]
    column_name = ""
    if column:
        column_name = column.get("title_en") if english else column.get("title")
    source = meta.get("source") if isinstance(meta.get("source"), str) else ""
    organizer = identity["organizer_en"] if english else identity["organizer"]
    tags = [
        ("name", "SiteName", site_name),
        ("name", "SiteDomain", site.get("domain", "")),
        ("name", "SiteIDCode", site.get("site_code", "")),
        ("name", "ColumnName", column_name or site_name),
        ("name", "ColumnType", column_type(column, language)),
        ("name", "ArticleTitle", title),
        ("name", "PubDate", pub_date),
        ("name", "ContentSource", source or organizer),
        ("name", "Keywords", keywords(meta, column_name or "")),
        ("name", "Author", source or organizer),
        ("name", "Description", description),
        ("name", "Url", url),
        ("name", "description", description),
        ("property", "og:type", "article" if is_article else "website"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:site_name", site_name),
        ("property", "og:locale", OG_LOCALE.get(language, "zh_CN")),
    ]
    return [(attribute, name, " ".join(str(content).split())) for attribute, name, content in tags]
