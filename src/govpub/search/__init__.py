"""Site search that stays small: a chunked static index (Pagefind) built from the published site.

Material's own search makes every reader download the whole index
(``search/search_index.json``: 17.8 MB at 10,000 pages) before the first
result. Pagefind splits the index into chunks by word and loads only the
chunks and result fragments a query needs (``bench/bench_search.py`` measures
both on the same site; ``docs/build.md`` has the figures).

- :mod:`.index` — the post-build step: Pagefind (its *extended* binary, which
  segments Chinese words) indexes the rendered site, after the render and
  before the manifest, so the index holds only what was published and the
  manifest covers the index files.
- :mod:`.pages` — what each page carries for search, the same for every
  renderer: whether it is indexed, the search box in the page's language, and
  the search pages themselves (``search/``, ``en/search/``).
- :mod:`.labels` — the search interface's words, from the message catalogs.

The browser side is ``theme/javascripts/govpub-search.js`` (no framework, no
other host): a search box on every page leads to the search page of the
page's language, which loads Pagefind from the site's own ``pagefind/`` folder.
"""

from .index import write_search_index
from .pages import page_search, search_box, search_pages, searchable, site_search

__all__ = ["page_search", "search_box", "search_pages", "searchable", "site_search",
           "write_search_index"]
