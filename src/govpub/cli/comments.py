"""``govpub comments [--now T] [--format text|json]``: open comments and their deadlines."""

from __future__ import annotations

import json

import click

from ..calendar import load_calendar
from ..comments.alerts import notify as send_alerts
from ..comments.model import comment_documents, open_statuses, read_comments, reply_working_days
from ..content import load_corpus
from ..i18n import N_, _
from .common import now_option, policy_of, resolve_now

#: the state of an open comment in the text listing (JSON keeps the key)
STATE_LABELS = {"overdue": N_("OVERDUE"), "due-soon": N_("DUE SOON"), "open": N_("open")}


def _fmt(moment, tz) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


@click.command("comments")
@now_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help="Output format.")
@click.option("--notify", is_flag=True,
              help="Also send the due reminders and overdue alerts to the people on duty "
                   "(site_config/duty.yml) through the watcher's outbox.")
@click.pass_context
def comments(ctx: click.Context, now_text: str | None, output_format: str,
             notify: bool) -> int:
    """List open public comments by due time; exit 1 when one is overdue.

    A reminder is due one working day before the reply deadline, an alert
    once it has passed; with --notify each is sent once to whoever is on duty.
    """
    policy = policy_of(ctx)
    now = resolve_now(policy.timezone, now_text)
    calendar = load_calendar(policy.root, policy.timezone)
    corpus = load_corpus(policy.content_dir, max_page_bytes=policy.max_page_bytes,
                         max_attachment_bytes=policy.max_attachment_bytes)
    items, unreadable = read_comments(policy, comment_documents(policy, corpus), calendar)
    statuses = open_statuses(items, now, calendar)
    days = reply_working_days(policy)
    sent_keys, deliveries = [], []
    if notify:
        sent_keys, deliveries = send_alerts(policy, items, now, calendar)
    warnings = calendar.warnings()
    overdue = sum(1 for s in statuses if s.state == "overdue")
    tz = policy.timezone
    if output_format == "json":
        click.echo(json.dumps({
            "now": now.isoformat(), "reply_working_days": days,
            "open": [{"path": s.comment.path, "subject": s.comment.subject,
                      "channel": s.comment.channel,
                      "received": s.comment.received.isoformat(),
                      "due": s.comment.due.isoformat(), "state": s.state,
                      "left_working_seconds": s.left.seconds,
                      "left": s.left.describe()} for s in statuses],
            "unreadable": [{"path": u.path, "line": u.line, "reason": u.reason}
                           for u in unreadable],
            "alerts_enqueued": sent_keys,
            "deliveries": [{"key": k, "ok": ok, "error": err} for k, ok, err in deliveries],
            "warnings": warnings,
        }, ensure_ascii=False, indent=2))
    else:
        for warning in warnings:
            click.echo(_("WARNING: {warning}").format(warning=warning))
        click.echo(_("{open} open comment(s), {overdue} overdue (reply within {days} working "
                     "days; now {now})").format(open=len(statuses), overdue=overdue, days=days,
                                                now=_fmt(now, tz)))
        for s in statuses:
            left = (_("overdue by {time}").format(time=s.left.describe().lstrip("-"))
                    if s.state == "overdue" else
                    _("{time} left").format(time=s.left.describe()))
            click.echo(_("{path}:{line}: {state}: due {due} ({left}) — {subject}").format(
                path=s.comment.path, line=s.comment.line, state=_(STATE_LABELS[s.state]),
                due=_fmt(s.comment.due, tz), left=left, subject=s.comment.subject))
        for u in unreadable:
            click.echo(_("{path}:{line}: UNREADABLE: {reason}").format(
                path=u.path, line=u.line, reason=u.reason))
        for key in sent_keys:
            click.echo(_("alert enqueued: {key}").format(key=key))
        for key, ok, error in deliveries:
            click.echo((_("alert {key}: sent") if ok else
                        _("alert {key}: NOT SENT: {error}")).format(key=key, error=error))
        for warning in warnings:
            click.echo(_("WARNING: {warning}").format(warning=warning), err=True)
    failed = any(not ok for _key, ok, _error in deliveries)
    return 1 if overdue or unreadable or failed else 0
