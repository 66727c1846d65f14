"""Run shares of one job on every core: forked children, results back through pipes.

Used by the check (each process loads and checks a share of the files) and by
the render (each process renders a part of the pages). The parent process
runs share 0 itself instead of waiting idle, and children are plain forked
processes with one pipe each: a ``multiprocessing.Pool`` adds a task queue
and handler threads whose shutdown alone cost a tenth of a second.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
#: more processes than this gain nothing on the jobs here (and cost memory)
MAX_SHARES = 4


class ShareFailed(Exception):
    """One or more children failed; ``failures`` holds (share index, message)."""

    def __init__(self, failures: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"share {index}: {message}" for index, message in failures))
        self.failures = failures


def cores() -> int:
    """The cores this process may run on (the affinity mask, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def share_count(items: int, min_per_share: int) -> int:
    """How many shares ``items`` pieces of work make: one per core, each worth forking."""
    if not can_fork():
        return 1
    return max(1, min(cores(), MAX_SHARES, items // min_per_share))


def _child(function: Callable[[int], object], index: int, conn) -> None:
    try:
        payload = pickle.dumps((True, function(index)), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # reported by the parent with the share's index
        payload = pickle.dumps((False, str(exc) or type(exc).__name__))
    try:
        conn.send_bytes(payload)
    finally:
        conn.close()


def map_shares(function: Callable[[int], T], shares: int) -> list[T]:
    """``[function(0), …, function(shares - 1)]``, share 0 in this process.

    Children are forked after everything ``function`` reads is in memory;
    their results come back pickled. An exception in share 0 propagates as
    it is; failures of children raise :class:`ShareFailed` once every child
    has ended. Children never outlive the call.
    """
    context = multiprocessing.get_context("fork")
    children = []
    try:
        for index in range(1, shares):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(function, index, sender),
                                      daemon=True)
            process.start()
            sender.close()
            children.append((process, receiver))
        results = [function(0)]
        failures = []
        for index, (process, receiver) in enumerate(children, start=1):
            try:
                ok, value = pickle.loads(receiver.recv_bytes())
            except EOFError:  # it died before sending (killed, out of memory)
                ok, value = False, None
            process.join()
            if value is None and not ok:
                value = f"the process ended without a result (exit {process.exitcode})"
            if ok:
                results.append(value)
            else:
                failures.append((index, value))
        if failures:
            raise ShareFailed(failures)
        return results
    finally:
        for process, receiver in children:
            receiver.close()
            if process.is_alive():
                process.kill()
                process.join()
