"""The long-running watcher: a cycle, then a sleep on a ``threading.Event``.

The cycle may ask for a shorter sleep than the interval (a standby trying
for the lease every few seconds) by returning the seconds to wait.

SIGTERM and SIGINT set the event; the loop wakes at once. The cycle runs in a
worker thread, so even a cycle stuck in a slow fetch does not hold the
process: the main thread waits at most ``grace`` seconds for it and returns,
saying whether the cycle finished (:attr:`Daemon.interrupted`). A caller
that is told the cycle is still running must end the process without
waiting for the threads it started (apprise sends through a thread pool the
interpreter would join at exit — a target that never answers would hold the
stop for minutes); ``govpub watch`` does. That is safe because every state
change is a transaction: an interrupted one is rolled back, and the next
start continues from there.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable


class Daemon:
    def __init__(self, run_cycle: Callable[[Callable[[], bool]], float | None], interval: float, *,
                 grace: float = 0.8, on_error: Callable[[BaseException], None] | None = None):
        self.run_cycle = run_cycle
        self.interval = interval
        self.grace = grace
        self.on_error = on_error
        self.stop_event = threading.Event()
        self.failure: BaseException | None = None
        self.interrupted = False  # the stop came while a cycle was still running

    def _loop(self) -> None:
        while not self.stop_event.is_set():
            delay = None
            try:
                delay = self.run_cycle(self.stop_event.is_set)
            except Exception as exc:  # keep watching: a silent watcher is the worst failure
                if self.on_error is not None:
                    self.on_error(exc)
            self.stop_event.wait(self.interval if delay is None else min(delay, self.interval))

    def stop(self, *_args) -> None:
        self.stop_event.set()

    def run(self) -> None:
        """Block until SIGTERM/SIGINT (or :meth:`stop`)."""
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, self.stop)
        worker = threading.Thread(target=self._loop, name="govpub-watch", daemon=True)
        worker.start()
        try:
            while not self.stop_event.wait(0.2):
                if not worker.is_alive():
                    break
            worker.join(self.grace)
            self.interrupted = worker.is_alive()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
