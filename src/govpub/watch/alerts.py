"""Alert delivery through apprise, with a transactional outbox.

Every alert has a unique key (for obligations ``obligation:<id>:<step>``).
It is written to the store **before** anything is sent, in the same
transaction as the decision that made it due; delivery happens afterwards
and marks it sent. So:

* enqueueing a key that exists already does nothing — one send per key;
* an alert whose target fails is retried (``retry_minutes`` apart, up to
  ``max_attempts``) and survives restarts;
* a crash *during* a send (after the target accepted it, before we recorded
  it) cannot be told apart from a failed send: the alert is sent again,
  marked "(repeat: delivery uncertain)". This window is the width of one
  commit; it is the only way an alert can arrive twice, and the repeat says so.

Reusable API (e.g. public-comment deadline reminders, issue 8)::

    from govpub.watch.alerts import Outbox
    from govpub.watch.store import Store
    outbox = Outbox(Store(path))
    outbox.enqueue("comment:42:due-1d", "Reply due tomorrow", body, targets, now)
    outbox.deliver(now)        # -> list of (key, ok, error)

Targets are apprise URLs (``mailto://``, ``json://``, ``dingtalk://``,
``wecombot://``, ``feishu://``…). DingTalk, WeCom, Feishu and Lark bots
answer HTTP 200 with an error code in the body, which apprise does not read:
govpub sends to those itself and counts a message as delivered only when the
code is 0 (:mod:`govpub.watch.bots`). Generic ``json://`` targets are judged by the
HTTP status (non-2xx = failure).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from datetime import datetime, timedelta

from ..i18n import _
from .bots import is_bot_target, send_to_bot
from .store import Store, iso
from .text import clean_line

#: send(target, title, body) -> None on success, else an error text
Sender = Callable[[str, str, str], "str | None"]


MAIL_SCHEMES = ("mailto", "mailtos")


def mail_html(body: str) -> str:
    """The body as the HTML part of a mail: every value escaped, one line per line.

    apprise builds the plain-text part from this HTML; lines joined by ``<br/>``
    alone come out as one line each there (a newline beside it would turn into
    a stray space, and a body sent as HTML without ``<br/>`` loses its lines).
    """
    return "<br/>".join(html.escape(line, quote=True) for line in body.split("\n"))


def apprise_sender(target: str, title: str, body: str) -> str | None:
    """Send to one target: through apprise, or to a chat-group bot directly."""
    title = clean_line(title, 500) or "govpub"  # never a control character in a subject
    if is_bot_target(target):
        problem = send_to_bot(target, title, body)
        return f"{_redact(target)}: {problem}" if problem else None
    import apprise  # imported here: it is slow to import and only needed when sending

    notifier = apprise.Apprise()
    if not notifier.add(target):
        return _("{target}: not a valid apprise URL").format(target=_redact(target))
    if target.partition("://")[0].lower() in MAIL_SCHEMES:
        sent = notifier.notify(title=title, body=mail_html(body),
                               body_format=apprise.NotifyFormat.HTML)
    else:  # webhooks and the like get the text as it is
        sent = notifier.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT)
    if not sent:
        return _("{target}: delivery failed").format(target=_redact(target))
    return None


def _redact(target: str) -> str:
    """The target as shown in errors and status: never a password, bot token or key."""
    scheme, _sep, rest = target.partition("://")
    host = rest.split("@")[-1].split("/")[0].split("?")[0]
    if is_bot_target(target):  # the "host" of a bot URL is its secret token
        return f"{scheme}://…{host[-4:]}"
    return f"{scheme}://{host}"


class Outbox:
    """Alerts keyed once, delivered until accepted."""

    def __init__(self, store: Store, sender: Sender = apprise_sender, *,
                 max_attempts: int = 50, retry: timedelta = timedelta(minutes=5)) -> None:
        self.store = store
        self.sender = sender
        self.max_attempts = max_attempts
        self.retry = retry

    def known_keys(self, prefix: str = "") -> set[str]:
        rows = self.store.execute("SELECT key FROM outbox WHERE key LIKE ? || '%'", (prefix,))
        return {row["key"] for row in rows}

    def enqueue(self, key: str, title: str, body: str, targets: list[str], now: datetime,
                *, obligation_id: int | None = None, step: str = "") -> bool:
        """Record an alert; False if the key was already there (nothing changes)."""
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO outbox(key, obligation_id, step, title, body, targets, "
                "created_at, due_at, next_attempt_at) VALUES (?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT DO NOTHING",
                (key, obligation_id, step or key, title, body,
                 json.dumps(list(targets)), iso(now), iso(now), iso(now)))
            return cursor.rowcount == 1

    def pending(self, now: datetime):
        return self.store.execute(
            "SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL "
            "AND cancelled_at IS NULL AND next_attempt_at <= ? ORDER BY created_at, key",
            (iso(now),)).fetchall()

    def deliver(self, now: datetime, should_stop: Callable[[], bool] = lambda: False):
        """Try every pending alert once; returns [(key, ok, error)]."""
        results = []
        down: set[str] = set()  # targets that failed in this round: not hammered again
        for row in self.pending(now):
            if should_stop():
                break
            waiting = [t for t in json.loads(row["targets"])
                       if t not in json.loads(row["delivered"])]
            if waiting and all(t in down for t in waiting):
                continue  # untouched: retried next round, no attempt counted
            outcome = self._deliver_one(row, now, down)
            if outcome is not None:
                results.append(outcome)
        return results

    def _claim(self, row, now: datetime) -> bool:
        """Mark the alert in flight if it is still to be sent: it may have been cancelled, or
        its obligation closed, since the pending list was read (by another process too)."""
        with self.store.transaction() as db:
            # in_flight stays 1 only if we die while sending: the next try knows
            claimed = db.execute(
                "UPDATE outbox SET in_flight = 1, uncertain = ?, attempts = attempts + 1 "
                "WHERE key = ? AND sent_at IS NULL AND failed_at IS NULL "
                "AND cancelled_at IS NULL AND (obligation_id IS NULL OR obligation_id IN "
                "(SELECT id FROM obligations WHERE state = 'open'))",
                (int(bool(row["in_flight"] or row["uncertain"])), row["key"])).rowcount
            if not claimed:
                db.execute("UPDATE outbox SET cancelled_at = ? WHERE key = ? "
                           "AND sent_at IS NULL AND failed_at IS NULL AND cancelled_at IS NULL",
                           (iso(now), row["key"]))
        return bool(claimed)

    def _deliver_one(self, row, now: datetime, down: set[str]):
        key = row["key"]
        uncertain = bool(row["in_flight"])
        if not self._claim(row, now):
            return None
        title = row["title"]
        body = row["body"]
        if uncertain or row["uncertain"]:
            title = _("(repeat: delivery uncertain) ") + title
            body += "\n\n" + _("(The watcher stopped while sending this alert; it may have "
                                "arrived already.)")
        delivered = json.loads(row["delivered"])
        errors = []
        # per target: a retry after a partial failure does not resend to those who got it
        targets = json.loads(row["targets"])
        for index, target in enumerate(targets):
            if target in delivered:
                continue
            if target in down:
                errors.append(_("{target}: failed earlier in this round").format(
                    target=_redact(target)))
                continue
            try:
                problem = self.sender(target, title, body)
            except Exception as exc:  # a broken plugin must not stop the other alerts
                problem = f"{_redact(target)}: {type(exc).__name__}: {exc}"
            if problem is None:
                delivered.append(target)
                if index == len(targets) - 1:
                    continue  # the final update below records it
                with self.store.transaction() as db:
                    db.execute("UPDATE outbox SET delivered = ? WHERE key = ?",
                               (json.dumps(delivered), key))
            else:
                down.add(target)
                errors.append(problem)
        error = "; ".join(errors) or None
        with self.store.transaction() as db:
            if error is None:
                db.execute("UPDATE outbox SET in_flight = 0, sent_at = ?, last_error = NULL, "
                           "delivered = ? WHERE key = ?", (iso(now), json.dumps(delivered), key))
            else:
                attempts = row["attempts"] + 1
                failed = iso(now) if attempts >= self.max_attempts else None
                db.execute("UPDATE outbox SET in_flight = 0, last_error = ?, "
                           "next_attempt_at = ?, failed_at = ?, delivered = ? WHERE key = ?",
                           (error[:1000], iso(now + self.retry), failed,
                            json.dumps(delivered), key))
        return key, error is None, error

    def rows(self):
        return self.store.execute("SELECT * FROM outbox ORDER BY created_at, key").fetchall()
