"""govpub's own static search index (a design spike, not used by the build yet).

Measured against Pagefind by ``bench/bench_own_search.py``. The parts:
:mod:`.terms` (what text and queries become), :mod:`.codec` (the bytes),
:mod:`.extract` (what is taken from a page: what Pagefind gets),
:mod:`.build` (writing the index, in full or only what a change touched), and
``own-search.js`` (the browser's half: query, IDF, ranking, excerpts).
"""
