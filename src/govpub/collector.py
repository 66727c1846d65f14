"""Python's cyclic garbage collector kept out of the way of large, long-lived data.

Loading a corpus or unpickling a render record makes hundreds of thousands of
small objects that all stay alive and hold no cycles; the collector, triggered
by allocation, would scan them (and everything alive before them) again and
again and find nothing.
"""

from __future__ import annotations

import contextlib
import gc

#: whether this process's heap is frozen (by :func:`freeze`). Kept here because asking
#: Python (``gc.get_freeze_count()``) counts every frozen object one by one: 0.03 s per
#: question in ``govpub serve``'s heap at 10,000 pages, asked twice in every rebuild.
#: Every freeze in govpub goes through this module; one made elsewhere is only unfrozen
#: sooner than it would be (the heap is scanned again: time, never a result)
_frozen = False


def freeze() -> None:
    """``gc.freeze()``: everything alive now is set aside from the collector."""
    global _frozen
    gc.freeze()
    _frozen = True


def unfreeze() -> None:
    """``gc.unfreeze()``: everything set aside is the collector's again."""
    global _frozen
    gc.unfreeze()
    _frozen = False


def frozen() -> bool:
    """Whether the heap is frozen (:func:`freeze` called, :func:`unfreeze` not since)."""
    return _frozen


@contextlib.contextmanager
def paused():
    """No collection while the block runs; what it made is then filed under the oldest
    generation without being scanned (``gc.freeze()`` then ``gc.unfreeze()``):
    re-enabling as is would scan all of it at the next allocation. A process that
    keeps its heap frozen (``govpub serve``, a build between its stages) keeps the
    block's objects frozen beside it.
    """
    was_enabled = gc.isenabled()
    kept_frozen = frozen()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if not kept_frozen:
            gc.unfreeze()
        if was_enabled:
            gc.enable()


#: the youngest generation's threshold while :func:`seldom` holds (Python's: 700)
SELDOM_THRESHOLD = 50_000


@contextlib.contextmanager
def seldom():
    """Young collections seldom while the block runs: one per :data:`SELDOM_THRESHOLD`
    containers made and not yet freed, not one per 700.

    For ``govpub serve``'s rebuilds, whose heap is frozen (:func:`freeze`): a one-page
    rebuild at 10,000 pages made 426 young collections, 38 middle and 2 full ones,
    0.11–0.17 s of it, and found little; 2 collections, 0.02 s, with this. What dies in
    a cycle meanwhile waits at most that many containers.
    """
    before = gc.get_threshold()
    gc.set_threshold(SELDOM_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
