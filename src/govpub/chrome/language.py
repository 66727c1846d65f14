"""Which language a page is in: front matter ``lang``, else its folder, else the site's.

A page's language decides its ``<html lang>``, the language of its chrome
(footer, labels, care-mode controls, search labels) and its Open Graph
locale. ``lang: en`` in front matter wins; pages under ``en/`` are English;
everything else is in the site's first language (Chinese for the demo).
"""

from __future__ import annotations

from ..i18n import UnknownLanguageError, normalize_language

#: folders whose pages are in another language than the site's default
LANGUAGE_FOLDERS = {"en": "en"}
#: ``<html lang>`` and Open Graph locale of each chrome language
HTML_LANG = {"zh-CN": "zh-CN", "en": "en"}
OG_LOCALE = {"zh-CN": "zh_CN", "en": "en_US"}
#: Material's interface translations (partials/languages/<name>.html)
MATERIAL_LANGUAGE = {"zh-CN": "zh", "en": "en"}


def site_language(site: dict) -> str:
    """The site's default page language: the first of ``languages`` in site.yml."""
    for tag in site.get("languages") or ["zh"]:
        try:
            return normalize_language(tag)
        except UnknownLanguageError:
            continue
    return "zh-CN"


def page_language(meta: dict | None, content_path: str, default: str = "zh-CN") -> str:
    """``zh-CN`` or ``en`` for the page at ``content_path`` with front matter ``meta``."""
    declared = (meta or {}).get("lang")
    if isinstance(declared, str) and declared.strip():
        try:
            return normalize_language(declared)
        except UnknownLanguageError:
            pass
    folder = content_path.split("/", 1)[0] if "/" in content_path else ""
    return LANGUAGE_FOLDERS.get(folder, default)
