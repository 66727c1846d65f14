"""Hand comment reminders and overdue alerts to the watcher's outbox (the I/O side).

The decisions are :func:`govpub.comments.model.comment_alerts` (pure). This
module only enqueues them in the watcher's SQLite outbox — keyed, so each
reminder and each overdue alert is sent once — to whoever is on duty
(``site_config/duty.yml``; overdue alerts also go to the leaders), then
delivers pending alerts through the watcher's own sender. It holds the
watcher's lock while doing so, so it never races a running watcher into
sending an alert twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from ..calendar import WorkCalendar
from ..config import CONFIG_DIR, Policy
from .model import Comment, comment_alerts


def state_path(root: Path) -> Path:
    """The watcher's state file: ``state:`` in feeds.yml, else its default."""
    from ..watch.config import DEFAULT_STATE, load_feeds

    if (Path(root) / CONFIG_DIR / "feeds.yml").exists():
        return load_feeds(root).state_path
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
    from ..watch.config import load_duty
    from ..watch.store import Store, WatcherLock

    duty = load_duty(policy.root)
    alerts = comment_alerts(comments, now, calendar)
    path = state_path(policy.root)
    with WatcherLock(path):
        store = Store(path)
        try:
            outbox = Outbox(store, sender or apprise_sender, max_attempts=duty.max_attempts,
                            retry=timedelta(minutes=duty.retry_minutes))
            new = enqueue_alerts(outbox, duty, alerts, now)
            return new, outbox.deliver(now)
        finally:
            store.close()
