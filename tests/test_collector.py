"""The garbage collector kept out of the way of large, long-lived data (govpub.collector)."""

from __future__ import annotations

import gc
import weakref

import pytest

from govpub import collector
from govpub.sealed import keep_sealed, read_sealed


@pytest.fixture(autouse=True)
def heap_unfrozen():
    """A process whose heap no earlier test left frozen (serve's tests freeze it, as serve
    does), and none left so after."""
    collector.unfreeze()
    gc.collect()
    yield
    collector.unfreeze()
    gc.collect()


@pytest.fixture
def collections():
    """Every collection the garbage collector starts while the test runs."""
    started: list[int] = []

    def count(phase, info):
        if phase == "start":
            started.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        yield started
    finally:
        gc.callbacks.remove(count)


def test_a_sealed_record_is_read_without_a_collection(tmp_path, collections):
    kept = {f"page-{n}.md": [f"link-{n}", (n, n + 1), {"warned": False}] for n in range(50_000)}
    path = tmp_path / "site.record"
    keep_sealed(path, b"test-format\n", kept)
    collections.clear()

    assert read_sealed(path, b"test-format\n") == kept
    assert collections == []  # 200,000 containers unpickled, none of them scanned
    assert gc.isenabled() and gc.get_freeze_count() == 0  # handed back to the collector


@pytest.mark.parametrize("frozen_before", [False, True], ids=["batch", "serve"])
def test_what_is_made_while_paused_is_filed_unscanned_and_still_collected(frozen_before):
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    if frozen_before:
        collector.freeze()
    with collector.paused():
        assert not gc.isenabled()
        made = [Cycle() for _ in range(2_000)]
    assert gc.isenabled()
    assert gc.get_count()[0] < 1_000  # filed, not 2,000 waiting in the youngest generation
    alive = weakref.ref(made[0])
    del made
    gc.collect()
    if frozen_before:  # kept frozen beside serve's heap, collected once it is unfrozen
        assert alive() is not None
        collector.unfreeze()
        gc.collect()
    assert alive() is None


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("frozen_before", [False, True], ids=["batch", "serve"])
def test_whether_the_heap_is_frozen_is_known_without_counting_it(monkeypatch, frozen_before):
    """``gc.get_freeze_count()`` walks every frozen object (0.03 s in serve's heap at
    10,000 pages): the collector's own record answers instead, and stays right."""
    def counting():
        raise AssertionError("gc.get_freeze_count() walks the frozen heap")

    if frozen_before:
        collector.freeze()
    monkeypatch.setattr(gc, "get_freeze_count", counting)
    with collector.paused():
        pass
    assert collector.frozen() is frozen_before
    monkeypatch.undo()
    assert (gc.get_freeze_count() > 0) is frozen_before


def test_young_collections_are_seldom_while_told_and_as_before_after(collections):
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    before = gc.get_threshold()
    with collector.seldom():
        assert gc.get_threshold()[0] == collector.SELDOM_THRESHOLD
        made = [Cycle() for _ in range(20_000)]
        assert collections == []  # 20,000 containers made: Python's 700 starts 28
    assert gc.get_threshold() == before
    more = [Cycle() for _ in range(2_000)]
    assert collections  # as before
    del made, more
