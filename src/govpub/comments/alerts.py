"""Hand comment reminders and overdue alerts to the watcher's outbox (the I/O side).

The decisions are :func:`govpub.comments.model.comment_alerts` (pure). This
module only enqueues them in the watcher's outbox (SQLite, or the shared
PostgreSQL state) — keyed, so each reminder and each overdue alert is sent
once — to whoever is on duty (``site_config/duty.yml``; overdue alerts also
go to the leaders), then delivers pending alerts through the watcher's own
sender. It holds the watcher's lock (or lease) while doing so, so it never
races a running watcher into sending an alert twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from ..calendar import WorkCalendar
from ..config import CONFIG_DIR, Policy
from .model import Comment, comment_alerts


def state_path(root: Path) -> Path | str:
    """The watcher's state: its SQLite file (``state:`` in feeds.yml, else the default), or
    the ``postgresql://`` connection string of a shared state."""
    from ..watch.config import DEFAULT_STATE, load_feeds

    if (Path(root) / CONFIG_DIR / "feeds.yml").exists():
        feeds = load_feeds(root)
        return feeds.state_url or feeds.state_path
    return Path(root) / DEFAULT_STATE


def enqueue_alerts(outbox, duty, alerts: list[tuple[str, str, str]], now: datetime) -> list[str]:
    """Put comment alerts into an open outbox; returns the keys that were new.

    For callers that already hold the watcher's lock (e.g. the watcher's own
    cycle could call this with ``comment_alerts(...)`` each pass).
    """
    from ..watch.duty import targets_at

    new = []
    for key, title, body in alerts:
        targets = targets_at(duty, now, escalate=key.startswith("comment-overdue"))
        if outbox.enqueue(key, title, body, targets, now, step=key.split(":", 1)[0]):
            new.append(key)
    return new


def notify(policy: Policy, comments: list[Comment], now: datetime, calendar: WorkCalendar,
           *, sender=None) -> tuple[list[str], list[tuple[str, bool, str | None]]]:
    """Enqueue due comment alerts and deliver the outbox; returns (new keys, deliveries)."""
    from ..watch.alerts import Outbox, apprise_sender
    from ..watch.config import DEFAULT_STATE, FeedsConfig, load_duty, load_feeds
    from ..watch.state import open_store, watcher_lock

    duty = load_duty(policy.root)
    alerts = comment_alerts(comments, now, calendar)
    if (Path(policy.root) / CONFIG_DIR / "feeds.yml").exists():
        feeds = load_feeds(policy.root)
    else:  # no feeds watched: the outbox still lives where the watcher's would
        feeds = FeedsConfig(root=policy.root, timezone=policy.timezone,
                            state_path=Path(policy.root) / DEFAULT_STATE, user_agent="",
                            timeout_seconds=20, max_bytes=0, max_redirects=0, max_failures=3,
                            blind_after_minutes=60, feeds=())
    lock = watcher_lock(feeds)
    lock.acquire(wait_seconds=10)
    try:
        store = open_store(feeds, lease=lock if feeds.state_url else None)
        try:
            outbox = Outbox(store, sender or apprise_sender, max_attempts=duty.max_attempts,
                            retry=timedelta(minutes=duty.retry_minutes))
            new = enqueue_alerts(outbox, duty, alerts, now)
            return new, outbox.deliver(now)
        finally:
            store.close()
    finally:
        lock.release()
