"""govpub.forking.map_shares: results in order, failures of children reported, none left."""

from __future__ import annotations

import os

import pytest

from govpub.forking import ShareFailed, map_shares


def test_results_come_back_in_share_order_with_share_zero_in_this_process():
    parent = os.getpid()
    results = map_shares(lambda index: (index, os.getpid() == parent), 3)
    assert results == [(0, True), (1, False), (2, False)]


def test_failing_and_dying_children_are_reported_after_all_ended():
    def job(index):
        if index == 1:
            raise ValueError("bad share")
        if index == 2:
            os._exit(3)  # dies without a word
        return index

    with pytest.raises(ShareFailed) as failed:
        map_shares(job, 3)
    assert failed.value.failures == [
        (1, "bad share"), (2, "the process ended without a result (exit 3)")]


def test_a_failure_in_share_zero_propagates_as_it_is():
    def job(index):
        if index == 0:
            raise KeyError("here")
        return index

    with pytest.raises(KeyError):
        map_shares(job, 2)
