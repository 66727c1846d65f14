"""Run blocking calls (fetches) side by side on daemon threads.

Not a ``ThreadPoolExecutor``: the interpreter joins an executor's threads at
exit, so a watcher told to stop would wait for a server that never answers
(18 s and more). Daemon threads are dropped at exit; a stop is never held up
by what is in flight.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def run_parallel(calls: list[Callable[[], T]], workers: int) -> list[T]:
    """Results in the order of ``calls``; the first exception raised is re-raised."""
    if not calls:
        return []
    results: list = [None] * len(calls)
    failures: list[BaseException] = []
    pending: queue.SimpleQueue = queue.SimpleQueue()
    for index, call in enumerate(calls):
        pending.put((index, call))

    def work() -> None:
        while True:
            try:
                index, call = pending.get_nowait()
            except queue.Empty:
                return
            try:
                results[index] = call()
            except BaseException as exc:  # handed to the caller's thread
                failures.append(exc)

    threads = [threading.Thread(target=work, name="govpub-fetch", daemon=True)
               for _ in range(max(1, min(workers, len(calls))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results
