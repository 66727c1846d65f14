"""govpub's own static search index: the parts (:mod:`govpub.search.index` runs them).

:mod:`.terms` (what text and queries become), :mod:`.codec` (the bytes),
:mod:`.extract` (what is taken from a page), :mod:`.build` (writing the index,
in full or only what a change touched). The browser's half (query, IDF,
ranking, excerpts) is ``theme/javascripts/govpub-search.js``. Measured against
Pagefind, which govpub used before, by ``bench/bench_own_search.py``.
"""
