"""govpub.forking.map_shares: results in order, failures of children reported, none left."""

from __future__ import annotations

import os

import pytest

from govpub.forking import ShareFailed, map_chunks, map_shares


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


def _work_both_take():
    """A chunk's work that returns (chunk, pid) and waits, on its first chunk, until this
    process and a child have each started one: both take chunks, whatever the machine."""
    import multiprocessing

    parent = os.getpid()
    started = {"parent": multiprocessing.Event(), "child": multiprocessing.Event()}

    def work(k):
        mine, other = ("parent", "child") if os.getpid() == parent else ("child", "parent")
        started[mine].set()
        started[other].wait(timeout=60)
        return k, os.getpid()

    return work


def test_chunks_come_back_in_order_each_done_once_by_some_process():
    parent, work = os.getpid(), _work_both_take()
    results = map_chunks(work, 40, 3, first=[39])
    assert [k for k, _pid in results] == list(range(40))
    pids = {pid for _k, pid in results}
    assert parent in pids and len(pids) >= 2  # the parent took chunks; some child did too
    assert results[39][1] != parent  # a reserved chunk is done by the first child


def test_big_results_do_not_stall_and_finish_runs_in_every_process(tmp_path):
    def finish():
        (tmp_path / str(os.getpid())).write_text("done")

    results = map_chunks(lambda k: bytes([k]) * 300_000, 12, 2, finish=finish)
    assert [r[:1] for r in results] == [bytes([k]) for k in range(12)]
    assert all(len(r) == 300_000 for r in results)
    assert str(os.getpid()) in {p.name for p in tmp_path.iterdir()}
    assert len(list(tmp_path.iterdir())) == 2


def test_failing_chunks_in_children_are_reported():
    parent = os.getpid()

    def work(k):
        if os.getpid() != parent and k == 5:
            raise ValueError("bad chunk")
        return k

    with pytest.raises(ShareFailed) as failed:
        map_chunks(work, 6, 2, first=[5])
    assert failed.value.failures == [(1, "bad chunk")]

    def dies(k):
        if os.getpid() != parent:
            os._exit(3)
        return k

    with pytest.raises(ShareFailed) as failed:
        map_chunks(dies, 6, 2, first=[0])
    assert failed.value.failures == [(1, "the process ended without a result (exit 3)")]


def test_a_failure_in_this_process_propagates_and_leaves_no_child():
    import multiprocessing

    def work(k):
        raise KeyError("here")

    with pytest.raises(KeyError):
        map_chunks(work, 4, 2)
    assert multiprocessing.active_children() == []


def test_a_counter_lock_left_held_is_an_error_not_a_hang(monkeypatch):
    """A process killed while it held the shared counter's lock (for microseconds) must
    not leave the others waiting forever."""
    import multiprocessing

    from govpub import forking

    monkeypatch.setattr(forking, "TAKE_TIMEOUT", 0.2)
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)

    def die_holding_it():
        counter.get_lock().acquire()
        os._exit(0)

    holder = context.Process(target=die_holding_it)
    holder.start()
    holder.join()
    with pytest.raises(ShareFailed):
        forking._take(counter, [0, 1])


@pytest.mark.parametrize("processes", [2, 3])
def test_chunks_taken_from_both_ends_are_each_done_once_this_process_from_the_start(
        processes):
    """With from_both_ends this process takes chunks from the start and the children from
    the end until they meet: every chunk is done once, results in order, and what this
    process did is a run from the start (its kinds of chunk stay together)."""
    parent, work = os.getpid(), _work_both_take()
    results = map_chunks(work, 41, processes, first=[40], from_both_ends=True)
    assert [k for k, _pid in results] == list(range(41))
    mine = [k for k, pid in results if pid == parent]
    theirs = [k for k, pid in results if pid != parent]
    assert mine and theirs and results[40][1] != parent
    assert mine == list(range(len(mine)))  # a prefix of the order
    assert theirs == list(range(len(mine), 41))  # the rest, taken from the end


def test_what_children_send_is_made_over_in_this_process_as_it_arrives():
    """``received`` turns each child's result into what this process keeps, here (not in
    the child), chunk by chunk; this process's own results are kept as they are."""
    parent = os.getpid()
    seen = []

    def received(chunk, value):
        seen.append((chunk, os.getpid()))
        return ("made over", *value)

    results = map_chunks(lambda k: (k, os.getpid()), 30, 2, first=[29], received=received,
                         from_both_ends=True)
    assert all(pid == parent for _chunk, pid in seen)
    made = {chunk for chunk, _pid in seen}
    assert 29 in made
    for k, result in enumerate(results):
        if k in made:
            assert result[0] == "made over" and result[1] == k and result[2] != parent
        else:
            assert result == (k, parent)
