"""Where the watcher's state lives, and how to open it and become the one watcher on it.

``state:`` in ``feeds.yml`` (or the ``GOVPUB_WATCH_STATE`` environment
variable, which wins — a connection string with a password belongs in the
service's environment, not in git) is either a file path, for SQLite on one
machine (the default, ``.govpub/watch.sqlite3``), or a ``postgresql://``
connection string, for a state shared by two watchers on two machines.

* :func:`open_store` opens it (for the active watcher: fenced by its lease);
* :func:`watcher_lock` is what makes one watcher the active one: an OS file
  lock beside the SQLite file, or the PostgreSQL lease.
"""

from __future__ import annotations

from .config import FeedsConfig
from .statebase import StateStore


def describe(config: FeedsConfig) -> str:
    from .pgstore import redact

    return redact(config.state_url) if config.state_url else str(config.state_path)


def open_store(config: FeedsConfig, *, lease=None) -> StateStore:
    """The state store; with ``lease`` (the active watcher) every transaction is fenced."""
    if config.state_url:
        from .pgstore import PgStore

        return PgStore(config.state_url, fence=lease.fence if lease is not None else None)
    from .store import Store

    return Store(config.state_path)


def state_exists(config: FeedsConfig) -> bool:
    """False only for a SQLite file not created yet (status then says there is nothing)."""
    return bool(config.state_url) or config.state_path.exists()


def watcher_lock(config: FeedsConfig):
    """The lock that makes one watcher the active one (``acquire(wait)``, ``release()``)."""
    if config.state_url:
        from .lease import PgLease

        return PgLease(config.state_url, lease_seconds=config.lease_seconds,
                       check_seconds=config.lease_check_seconds)
    from .store import WatcherLock

    return WatcherLock(config.state_path)
