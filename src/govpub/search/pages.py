"""What every page carries for search, the same for every renderer; the search pages.

- :func:`searchable` decides whether a page's text goes into the index (the
  templates put ``data-search-body`` on its heading and text only then).
  Listings are left out: they only repeat titles the pages themselves carry.
- :func:`search_box` is the search form of a page's header: the address of
  the search page in the page's language and the words of the form.
- :func:`search_pages` is the page generator of the search pages (``search/``
  in the site's language, ``en/search/`` when the site has English pages).
  The index is kept per page language (``<html lang>``): the Chinese search
  page searches the Chinese pages, the English one the English pages.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from ..chrome.language import page_language, site_language
from ..opendata.pages import CATALOG_PAGE
from ..sitemodel import SiteModel, page_url
from .labels import search_labels
from .markers import INDEX_DIR
from .own.build import buckets_for

#: the search page of each page language (staging paths)
SEARCH_PAGES = {"zh-CN": "search.md", "en": "en/search.md"}
#: generated listings with no front-matter flag of their own (the home page keeps the
#: front matter of its authored text); column indexes carry ``search: {exclude: true}``
LISTING_PAGES = frozenset({"index.md", CATALOG_PAGE})
def searchable(meta: dict | None, content_path: str) -> bool:
    """Whether the page's text belongs in the search index."""
    if content_path in LISTING_PAGES or content_path in SEARCH_PAGES.values():
        return False
    flags = (meta or {}).get("search")
    return not (isinstance(flags, dict) and flags.get("exclude"))


def search_page_path(language: str) -> str:
    return SEARCH_PAGES.get(language, SEARCH_PAGES["zh-CN"])


def page_search(meta: dict | None, content_path: str, language: str,
                languages: list[str] | None = None) -> dict:
    """Everything a page's template needs for search: indexed or not, and the search
    box of its language."""
    flags = (meta or {}).get("search")
    buckets = flags.get("buckets") if isinstance(flags, dict) else None
    return {"indexed": searchable(meta, content_path),
            **search_box(language, content_path, languages, buckets)}


def search_box(language: str, content_path: str = "",
               languages: list[str] | None = None, buckets=None) -> dict:
    """The header's search form of a page in ``language``: site-relative action and words.

    ``languages``: those with a search page (:func:`search_languages`); a page in
    another language searches the first of them. Plain data (MkDocs carries it
    in the page context, Pelican in the page metadata); ``on_search_page`` lets
    the template leave the box out of the search page, which has its own form, and
    put in its head where the index is (``index``, from the site root: the
    ``govpub-search-index`` meta of theme/partials/govpub-search-head.html) and
    ``buckets``, how many term files the index is likely to have (the search page's
    front matter: :func:`search_page_markdown`; the page asks for its query's term
    file at once with it).
    """
    target_language = language if not languages or language in languages else languages[0]
    target = search_page_path(target_language)
    box = {"action": page_url(target), "t": search_labels(language),
           "on_search_page": content_path == target, "index": f"{INDEX_DIR}/"}
    if box["on_search_page"] and str(buckets or "").isdigit():
        box["buckets"] = int(buckets)
    return box


def expected_buckets(model: SiteModel) -> dict[str, int]:
    """The number of term files (buckets) the index will have in each page language, from
    the build's count of the pages it will index (the index counts the pages it finds
    rendered: the same, short of a page the gate keeps out). A hint for the search page,
    which asks for its query's term file before index.json, that gives the true number,
    is in: a wrong hint costs one request, never a result (govpub-search.js)."""
    default = site_language(model.policy.site)
    counts = Counter(page_language(p.meta, p.path, default) for p in model.pages
                     if searchable(p.meta, p.path))
    return {language: buckets_for(count) for language, count in sorted(counts.items())}


def search_languages(model: SiteModel) -> list[str]:
    """The languages that get a search page: the site's, and English if a page is English."""
    default = site_language(model.policy.site)
    languages = [default]
    if default != "en" and _english_pages(model, default):
        languages.append("en")
    return languages


def site_search(model: SiteModel, language: str) -> dict:
    """The site's search settings (``config.extra.govpub``, Pelican's ``GOVPUB``):
    ``search_languages`` and the header's ``search`` box where no page says its language
    (a template without a page: the 404 pages, Pelican's index)."""
    languages = search_languages(model)
    return {"search_languages": languages, "search": search_box(language, "", languages)}


def _english_pages(model: SiteModel, default: str) -> bool:
    return any(page_language(p.meta, p.path, default) == "en" for p in model.pages)


def search_page_markdown(language: str, path: str, buckets: int | None = None) -> str:
    """The search page: the form, a status line read out by screen readers, the results;
    ``buckets`` (:func:`expected_buckets`) in its front matter. There, not in the site's
    settings: a new count (at a power of two of pages) changes this page, not the site
    key, which would render every page again."""
    from ..build import mdtext

    t = search_labels(language)
    depth = path.count("/")
    root = "../" * (depth + 1)
    data = {"bundle": f"{root}{INDEX_DIR}/", "root": root}
    for key in ("empty", "searching", "none", "one", "many", "shown", "unavailable"):
        data[key] = t[key]
    attributes = " ".join(f'data-gp-search-{key}="{escape(value, quote=True)}"'
                          for key, value in data.items())
    html = "\n".join([
        f'<div class="gp-search" data-gp-search {attributes}>',
        f'<form class="gp-search__form" role="search" aria-label="{escape(t["landmark"])}" '
        'action="./" method="get">',
        f'<label class="gp-search__label" for="gp-search-q">{escape(t["field"])}</label>',
        '<input class="gp-search__input" id="gp-search-q" type="search" name="q" '
        'autocomplete="off" enterkeyhint="search" data-gp-search-input>',
        f'<button class="gp-search__button" type="submit">{escape(t["button"])}</button>',
        "</form>",
        f'<p class="gp-search__status" role="status" data-gp-search-status>{escape(t["empty"])}'
        "</p>",
        f'<noscript><p class="gp-search__noscript">{escape(t["noscript"])}</p></noscript>',
        f'<ol class="gp-search__results" aria-label="{escape(t["results"])}" '
        "data-gp-search-results></ol>",
        f'<button class="gp-search__more" type="button" data-gp-search-more hidden>'
        f'{escape(t["more"])}</button>',
        "</div>",
    ])
    flags = {"exclude": True, **({"buckets": buckets} if buckets else {})}
    front = mdtext.front_matter(t["page_title"], search=flags,
                                **({"lang": "en"} if language == "en" else {}))
    return front + html + "\n"


def search_pages(model: SiteModel) -> dict[str, str]:
    """Generator: the search page of each language of :func:`search_languages`."""
    buckets = expected_buckets(model)
    return {search_page_path(lang): search_page_markdown(lang, search_page_path(lang),
                                                         buckets.get(lang))
            for lang in search_languages(model)}
