"""Python's cyclic garbage collector kept out of the way of large, long-lived data.

Loading a corpus or unpickling a render record makes hundreds of thousands of
small objects that all stay alive and hold no cycles; the collector, triggered
by allocation, would scan them (and everything alive before them) again and
again and find nothing.
"""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def paused():
    """No collection while the block runs; what it made is then filed under the oldest
    generation without being scanned (``gc.freeze()`` then ``gc.unfreeze()``):
    re-enabling as is would scan all of it at the next allocation. A process that
    keeps its heap frozen (``govpub serve``, a build between its stages) keeps the
    block's objects frozen beside it.
    """
    was_enabled = gc.isenabled()
    kept_frozen = gc.get_freeze_count() > 0
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if not kept_frozen:
            gc.unfreeze()
        if was_enabled:
            gc.enable()
