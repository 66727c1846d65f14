"""Run shares of one job on every core: forked children, results back through pipes.

Used by the check (each process loads and checks a share of the files) and by
the render (each process renders a part of the pages). The parent process
runs share 0 itself instead of waiting idle, and children are plain forked
processes with one pipe each: a ``multiprocessing.Pool`` adds a task queue
and handler threads whose shutdown alone cost a tenth of a second.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
#: a pipe from a child holds this much (Linux; where the system allows): a child sends
#: a chunk's results without waiting for the parent to read the one before
PIPE_BYTES = 1 << 20
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


#: the counter's lock is held for microseconds: held this long, its holder died holding it
TAKE_TIMEOUT = 30


def _take(counter, order: list[int], back=None, from_back: bool = False) -> int | None:
    """The next chunk nobody has taken yet, or None. ``back`` (sharing ``counter``'s
    lock): where the chunks taken from the end begin; ``from_back``: take from there."""
    lock = counter.get_lock()
    if not lock.acquire(timeout=TAKE_TIMEOUT):  # never wait forever on a dead process
        raise ShareFailed([(0, "a worker process ended while taking work")])
    try:
        at = counter.value
        end = len(order) if back is None else back.value
        if at >= end:
            return None
        if from_back:
            back.value = end - 1
            return order[end - 1]
        counter.value = at + 1
    finally:
        lock.release()
    return order[at]


def _chunk_child(work, counter, order, first: list[int], finish, conn, back=None) -> None:
    try:
        reserved = list(first)
        while (chunk := reserved.pop(0) if reserved
               else _take(counter, order, back, back is not None)) is not None:
            conn.send_bytes(pickle.dumps(("chunk", chunk, work(chunk)),
                                         protocol=pickle.HIGHEST_PROTOCOL))
        if finish is not None:
            finish()
        message = ("done", None, None)
    except BaseException as exc:  # reported by the parent with the process's index
        message = ("failed", None, str(exc) or type(exc).__name__)
    try:
        conn.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        conn.close()


def _receive(receiver, inbox: queue.SimpleQueue, index: int) -> None:
    """Move a child's messages into ``inbox`` as they come (so the child never waits
    on a full pipe while the parent works); None at the end."""
    try:
        while True:
            inbox.put((index, receiver.recv_bytes()))
    except (EOFError, OSError):
        inbox.put((index, None))


def map_chunks(work: Callable[[int], T], count: int, processes: int, *,
               first: list[int] | None = None,
               finish: Callable[[], object] | None = None,
               from_both_ends: bool = False,
               received: Callable[[int, T], T] | None = None) -> list[T]:
    """``[work(0), …, work(count - 1)]``, each chunk done by whichever process is free.

    Every process (this one and ``processes - 1`` forked children) takes the next
    chunk from a shared counter until none is left, so a process slowed down by
    other work on the machine, or by a costly chunk, simply takes fewer: no
    static split has to guess the costs. A child sends each chunk's result as
    soon as it is done; this process unpickles what arrived between its own
    chunks. ``first``: chunks the first child does before taking from the
    counter (work that should start in one process only, such as reading the
    files that need a large library imported). ``finish``: run in every process
    after its last chunk (writing what it learned). Failures are reported as
    :func:`map_shares` does (a child's as :class:`ShareFailed`, index ≥ 1).
    ``from_both_ends``: this process takes chunks from the start, the children from the
    end, until they meet — for chunks in an order where neighbours share costly set-up
    (the check's chunks are in path order: a column's pages and schema together), so
    that each process sets up for fewer kinds of chunk. ``received(chunk, result)``:
    what a child's result becomes in this process, worked out as it arrives (between
    this process's own chunks, not all at the end).
    """
    first = [k for k in (first or []) if 0 <= k < count] if processes > 1 else []
    reserved = set(first)
    order = [k for k in range(count) if k not in reserved]
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    back = context.Value("i", len(order), lock=counter.get_lock()) if from_both_ends else None
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    children = []
    results: dict[int, T] = {}
    failures: list[tuple[int, str]] = []
    running = set()

    def handle(index: int, payload: bytes | None) -> None:
        if payload is None:
            running.discard(index)
            return
        kind, chunk, value = pickle.loads(payload)
        if kind == "chunk":
            results[chunk] = value if received is None else received(chunk, value)
        elif kind == "failed":
            failures.append((index, value))

    try:
        for index in range(1, processes):
            receiver, sender = context.Pipe(duplex=False)
            with contextlib.suppress(OSError, AttributeError, ImportError):
                import fcntl

                fcntl.fcntl(sender.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
            process = context.Process(
                target=_chunk_child, daemon=True,
                args=(work, counter, order, first if index == 1 else [], finish, sender, back))
            process.start()
            sender.close()
            reader = threading.Thread(target=_receive, args=(receiver, inbox, index),
                                      daemon=True)
            reader.start()
            children.append((process, receiver, reader))
            running.add(index)
        while (chunk := _take(counter, order, back)) is not None:
            results[chunk] = work(chunk)
            while not inbox.empty():
                handle(*inbox.get())
        if finish is not None:
            finish()
        while running:
            handle(*inbox.get())
        for index, (process, _receiver, reader) in enumerate(children, start=1):
            process.join()
            reader.join()
            if not any(i == index for i, _message in failures) and process.exitcode != 0:
                failures.append((index, f"the process ended without a result (exit "
                                        f"{process.exitcode})"))
        missing = [k for k in range(count) if k not in results]
        if missing and not failures:
            failures.append((0, f"chunks {missing[:5]} were not done"))
        if failures:
            raise ShareFailed(failures)
        return [results[k] for k in range(count)]
    finally:
        for process, receiver, reader in children:
            if process.is_alive():
                process.kill()
                process.join()
            reader.join(timeout=5)
            receiver.close()
