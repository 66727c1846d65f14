"""The watcher as a service: one cycle at a time, as the one active watcher on its state.

:class:`Watcher` owns the lock (a file lock beside SQLite, or the PostgreSQL
lease), the store and the outbox of one ``govpub watch`` process. Its
:meth:`Watcher.cycle` is what the daemon repeats; on a shared PostgreSQL
state a watcher that does not hold the lease stands by — it tries to take
it every ``check_seconds`` and reports when it becomes active — and a
watcher that loses it (a fenced transaction refused, or the heartbeat could
not renew) drops its store and stands by again. Output goes through ``say``
(the command line's ``click.echo``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from ..i18n import _
from .alerts import Outbox
from .config import DutyConfig, FeedsConfig
from .cycle import CycleReport, run_cycle
from .state import describe, open_store, watcher_lock


class Watcher:
    def __init__(self, feeds: FeedsConfig, duty: DutyConfig, *, say: Callable[[str], None],
                 extra_alerts=None) -> None:
        self.feeds = feeds
        self.duty = duty
        self.say = say
        self.extra_alerts = extra_alerts
        self.lock = watcher_lock(feeds)
        self.shared = feeds.state_url is not None
        self.store = None
        self._standing_by = False
        self._ran = False

    # --- one process, one cycle --------------------------------------------

    def outbox(self) -> Outbox:
        return Outbox(self.store, max_attempts=self.duty.max_attempts,
                      retry=timedelta(minutes=self.duty.retry_minutes))

    def _open(self) -> None:
        if self.store is None:
            self.store = open_store(self.feeds, lease=self.lock if self.shared else None)

    def run(self, now: datetime, *, force: bool = False,
            should_stop=lambda: False) -> CycleReport:
        """One cycle; the caller holds the lock."""
        self._open()
        return run_cycle(self.feeds, self.duty, self.store, now, outbox=self.outbox(),
                         force=force, should_stop=should_stop, extra_alerts=self.extra_alerts)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    # --- the daemon's cycle -----------------------------------------------

    def start(self) -> None:
        """Before the daemon's first cycle: SQLite is locked now (a second watcher is an error)."""
        if not self.shared:
            self.lock.acquire(wait_seconds=1)

    def cycle(self, should_stop, now: Callable[[], datetime], force: bool,
              report: Callable[[CycleReport, datetime], None]) -> float | None:
        """One daemon step; returns how long to wait before the next (None: the interval)."""
        if self.shared and not self.lock.held:
            self.close()
            if not self.lock.try_acquire():
                if not self._standing_by:
                    self.say(_("govpub watch: standing by; the active watcher is {holder}").format(
                        holder=self.lock.current_holder() or "?"))
                    self._standing_by = True
                return self.lock.check_seconds
            self._standing_by = False
            self.say(_("govpub watch: active (lease epoch {epoch})").format(epoch=self.lock.epoch))
        moment = now()
        try:
            result = self.run(moment, force=force and not self._ran,
                              should_stop=lambda: should_stop() or self._lost())
        except Exception:
            if self.shared:  # lost lease, dropped connection: start again from standing by
                self.say(_("govpub watch: no longer the active watcher; standing by"))
                self.close()
                self.lock.release()
            raise
        self._ran = True
        report(result, moment)
        return None

    def _lost(self) -> bool:
        return self.shared and not self.lock.held

    def stop(self) -> None:
        self.lock.release()

    def describe_state(self) -> str:
        return describe(self.feeds)


def daemon_interval(feeds: FeedsConfig) -> float:
    """Seconds between cycles: each feed has its own poll_minutes; at most a minute."""
    return min(60.0, min((f.poll_minutes for f in feeds.feeds), default=10) * 60)


def simulated_clock(start: datetime | None, resolve) -> Callable[[], datetime]:
    """``--now T`` for a daemon: T, then moving on with the real clock."""
    started = time.monotonic()
    if start is None:
        return resolve
    return lambda: start + timedelta(seconds=time.monotonic() - started)
