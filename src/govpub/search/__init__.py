"""Site search that stays small: govpub's own static index, built from the published site.

Material's own search makes every reader download the whole index
(``search/search_index.json``: 17.8 MB at 10,000 pages) before the first
result. govpub's index is split by term: a query downloads one small file
per term of the query and the fragments of the five results shown (about
15–35 KB at 10,000 pages; ``bench/bench_own_search.py`` measures it against
Pagefind, which govpub used before; ``docs/build.md`` has the figures).

- :mod:`.index` — the post-build step: indexes the rendered site after the
  render and before the manifest, so the index holds only what was published
  and the manifest covers the index files (``search-index/``). After an
  incremental render only what changed is written again; the result is byte
  for byte the index of a full build. :mod:`.own` holds the index's parts
  (terms, codec, what is read of a page, writing).
- :mod:`.pages` — what each page carries for search, the same for every
  renderer: whether it is indexed, the search box in the page's language, and
  the search pages themselves (``search/``, ``en/search/``).
- :mod:`.labels` — the search interface's words, from the message catalogs.

The browser side is ``theme/javascripts/govpub-search.js`` (no framework, no
other host): a search box on every page leads to the search page of the
page's language, which reads the index of its language from the site's own
``search-index/`` folder.

What a renderer provides (the contract; MkDocs: ``theme/main.html``,
``theme/partials/govpub-search-box.html``, ``theme/404.html``)
--------------------------------------------------------------------------

The index step and the search pages are renderer-independent: the search
pages are generated pages (``search.md``, ``en/search.md``, staged like every
other generated page; their text is ready HTML the template prints unchanged),
and :func:`write_search_index` is a post-build step over whatever the renderer
wrote (``postbuild.POST_BUILD``, run for every renderer). The data comes from
two functions, the same for every renderer:

- per page, :func:`page_search` — ``page_context()`` of ``build/mkdocs_hook.py``
  puts it in ``govpub.search`` (MkDocs: the page context; Pelican: the page
  metadata ``page.govpub.search``)::

      {"indexed": bool,          # its text goes into the index
       "action": "search/",      # the search page of its language, from the site root
       "t": {...},               # the words of the search form, in its language (labels.py)
       "on_search_page": bool,   # this page is a search page: no header box
       "index": "search-index/"} # where the index is, from the site root

- site-wide, :func:`site_search` — in ``config.extra.govpub`` (MkDocs) and
  ``GOVPUB`` (Pelican: ``render_mkdocs.govpub_settings``):
  ``search_languages`` and ``search`` (the box of the site's language, for
  templates without a page, e.g. the 404 pages; an English 404 page uses
  ``search_box("en", "", search_languages)``).

A template must emit, for the search to work and to index only the text:

1. ``<html lang="{{ page language }}">`` (``zh-CN`` or ``en``): the index is
   kept per language, and the search page of a language searches its own.
2. On a page whose ``search.indexed`` is true, ONE element around its main
   heading (``<h1>``, which gives the result's title) and its text, nothing else
   (no header, navigation, footer, document-information box)::

       <div data-search-body>
         <h1>…</h1> …the page's text…
       </div>

   On every other page: no ``data-search-body`` at all — only pages that have
   it are indexed, which keeps listings, the home page and the search pages
   out. A part inside that is not text may carry ``data-search-ignore``. The status banner (``.govpub-status``), the index box
   (``.gp-index-box``) and heading permalinks (``.headerlink``) may sit inside:
   the index step leaves them out.
3. In the header of every page but a search page (``not search.on_search_page``),
   the search form (the action relative to the page, or from the site root)::

       <form class="gp-search-box" role="search" method="get"
             action="{{ search.action, relative to the page }}"
             aria-label="{{ search.t.landmark }}">
         <label class="gp-search-box__label" for="gp-search-box-q">{{ search.t.field }}</label>
         <input class="gp-search-box__input" id="gp-search-box-q" type="search" name="q"
                autocomplete="off" enterkeyhint="search" placeholder="{{ search.t.field }}"
                data-gp-search-shortcut>
         <button class="gp-search-box__button" type="submit"><span>{{ search.t.button }}</span></button>
       </form>

4. On every page: ``stylesheets/govpub-search.css`` (``<link rel="stylesheet">``),
   and in the head, before the stylesheets, ``theme/partials/govpub-search-head.html``:
   the script ``javascripts/govpub-search.js`` — ``<script async>`` on every page
   but a search page, where it is a plain ``<script>`` (run at once: an async one
   runs once the page is parsed) after where the index is and its first file::

       <meta name="govpub-search-index" content="{{ search.index, relative to the page }}">
       <link rel="preload" href="{{ …index.json }}" as="fetch" crossorigin>

   so that the script starts the query of the address while the page is
   still parsed. Both files are of ``govpub/theme``, copied into the site at
   those paths.
5. The search page's text printed as it is (``page.content``, no escaping: it is
   govpub's own generated HTML, with the words of the page's language).
6. The 404 pages' search form: ``action`` = the search page of the 404 page's
   language (``search.action``), field ``name="q"``.
"""

from .index import (
                    carry_search_index,
                    refresh_search_index,
                    save_search_state,
                    search_report,
                    write_search_index,
)
from .pages import page_search, search_box, search_pages, searchable, site_search

__all__ = ["carry_search_index", "page_search", "refresh_search_index", "save_search_state",
           "search_box", "search_pages", "search_report", "searchable", "site_search",
           "write_search_index"]
