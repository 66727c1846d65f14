"""The words of the page chrome, in the language of each page.

Every text the theme shows around a page's content (footer, care-mode
controls, index box, document information, 404 page, table hints) is an
English message id here, marked with :func:`~govpub.i18n.N_`; the Chinese is in
``locale/zh_CN/parts/site.po``. :func:`labels` translates the whole table into
one page's language with :func:`govpub.i18n.translate_table`, so a Chinese page
gets Chinese chrome and an English page English chrome whatever the
language of the command that builds them.

The table is plain data, the same for every renderer (MkDocs templates read
it as ``govpub.t.<key>``).
"""

from __future__ import annotations

from functools import cache

from ..i18n import N_, translate_table

LABELS: dict[str, str] = {
    # skip link, language switch, headings
    "skip": N_("Skip to the main content"),
    "permalink": N_("Link to this section"),
    "other_language": N_("Other language"),
    # footer
    "footer_links": N_("About this website"),
    "site_map": N_("Site map"),
    "about": N_("About this site"),
    "contact": N_("Contact us"),
    "privacy": N_("Privacy and copyright"),
    "organizer": N_("Organizer"),
    "undertaker": N_("Operated by"),
    "address": N_("Address"),
    "postcode": N_("Postcode"),
    "phone": N_("Telephone"),
    "email": N_("E-mail"),
    "site_code": N_("Website ID code"),
    "icp_title": N_("ICP filing, MIIT filing system (opens the filing system)"),
    "public_security_title": N_("Public security filing (opens the filing system)"),
    "public_security_icon": N_("Public security filing mark"),
    "government_mark": N_("Party and government organ website mark: verify this site"),
    "government_mark_placeholder": N_("Placeholder of the government organ website mark: "
                                      "replace it with the mark issued to the organizer"),
    # care mode (适老化)
    "care_mode": N_("Accessibility"),
    "text_size": N_("Text size"),
    "text_size_100": N_("Standard"),
    "text_size_125": N_("Large"),
    "text_size_150": N_("Larger"),
    "text_size_175": N_("Largest"),
    "text_size_set": N_("Text size: {size}"),
    "high_contrast": N_("High contrast"),
    "high_contrast_on": N_("High contrast on"),
    "high_contrast_off": N_("High contrast off"),
    "reset": N_("Reset"),
    "settings_reset": N_("Display settings reset"),
    # document information
    "document_information": N_("Document information"),
    "doc_number": N_("Document No."),
    "source": N_("Source"),
    "published": N_("Published"),
    "updated": N_("Updated"),
    "status_amended": N_("This document has been amended"),
    "status_repealed": N_("This document has been repealed"),
    "status_withdrawn": N_("This document has been withdrawn"),
    # index box (政府信息公开)
    "index_box": N_("Government information disclosure index"),
    "index_number": N_("Index No."),
    "topic": N_("Subject"),
    "issuer": N_("Issuing authority"),
    "written": N_("Date of writing"),
    "published_date": N_("Date of publication"),
    "title": N_("Title"),
    "validity": N_("Validity"),
    "valid_in_force": N_("In force"),
    "valid_amended": N_("Amended"),
    "valid_repealed": N_("Repealed"),
    "valid_withdrawn": N_("Withdrawn"),
    # tables
    "table_region": N_("Table {number} (scrolls sideways on narrow screens)"),
    "table_hint": N_("Scroll sideways to see the whole table"),
    # 404
    "not_found_title": N_("Page not found"),
    "not_found_text": N_("The page you asked for does not exist or has moved."),
    "not_found_search": N_("Search this site"),
    "not_found_search_button": N_("Search"),
    "not_found_links": N_("You may want"),
    "home": N_("Home page"),
    "service_catalog": N_("Service catalog"),
    "disclosure": N_("Government information disclosure"),
}


@cache
def labels(language: str) -> dict[str, str]:
    """Every chrome label translated into ``language`` (``zh-CN`` or ``en``)."""
    return translate_table(LABELS, language)


def label(language: str, key: str) -> str:
    return labels(language)[key]
