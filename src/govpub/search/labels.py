"""The search interface's words, in the language of each page.

English message ids marked with :func:`~govpub.i18n.N_`; the Chinese is in
``locale/zh_CN/parts/search.po``. :func:`search_labels` translates the table
into one page's language, whatever the language of the command that builds
the site. The browser script reads the texts it shows from ``data-`` attributes
of the search page (``{query}`` and ``{count}`` are filled in there), so no
word of the interface is written in JavaScript.
"""

from __future__ import annotations

from functools import cache

from ..i18n import N_, translate_table

LABELS: dict[str, str] = {
    "page_title": N_("Site search"),
    "landmark": N_("Search this site"),
    "field": N_("Search terms"),
    "button": N_("Search"),
    "results": N_("Search results"),
    "empty": N_("Type a word or a phrase, then press Enter."),
    "searching": N_("Searching…"),
    "none": N_("Nothing on this site matches “{query}”."),
    "one": N_("1 page matches “{query}”."),
    "many": N_("{count} pages match “{query}”."),
    "shown": N_("Showing {shown} of {count}."),
    "more": N_("More results"),
    "unavailable": N_("Search is not available at the moment: the search index could not be "
                      "loaded. The site map lists every column."),
    "noscript": N_("Searching this site needs JavaScript. The site map lists every column."),
    "site_map": N_("Site map"),
}


@cache
def search_labels(language: str) -> dict[str, str]:
    """Every search label translated into ``language`` (``zh-CN`` or ``en``)."""
    return translate_table(LABELS, language)
