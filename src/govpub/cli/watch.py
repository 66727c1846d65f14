"""``govpub watch`` (daemon / ``--once``), ``watch status``, ``watch ack``, ``watch dismiss``,
``reproduce``."""

from __future__ import annotations

import getpass
import json
import os
import sys
from datetime import datetime, timedelta

import click

from ..errors import GovpubError, UsageError
from ..i18n import _
from ..placeholder import MARKER
from ..watch import board, messages
from ..watch.alerts import Outbox
from ..watch.config import DutyConfig, load_duty, load_feeds
from ..watch.cycle import CycleReport
from ..watch.decide import escalates
from ..watch.duty import alert_targets, describe_person, roster
from ..watch.service import Watcher, daemon_interval, simulated_clock
from ..watch.state import open_store, state_exists
from ..watch.statebase import StateStore, iso
from .common import resolve_now, root_of

RECENT = timedelta(days=7)


def _print_report(report: CycleReport, now: datetime, tz, limits: dict | None = None) -> None:
    limits = limits or {}
    delivered = sum(1 for outcome in report.delivered if outcome[1])
    click.echo(_("{time}: polled {polled} feed(s), {failed} failed; {opened} new "
                 "obligation(s), {closed} reproduced; {enqueued} alert(s) decided, "
                 "{delivered} delivered, {undelivered} failed to deliver").format(
        time=messages.local(now, tz), polled=len(report.polled), failed=len(report.failed),
        opened=len(report.opened), closed=len(report.closed), enqueued=len(report.enqueued),
        delivered=delivered, undelivered=len(report.delivered) - delivered))
    for feed_id, error in sorted(report.failed.items()):
        click.echo("  " + _("feed {feed}: FAILED: {error}").format(feed=feed_id, error=error))
    for feed_id, total in sorted(report.over_limit.items()):
        click.echo("  " + _("feed {feed}: {total} items, over the limit of {limit}: only the "
                            "first {limit} are watched").format(
            feed=feed_id, total=total, limit=limits.get(feed_id, "?")))
    for error in report.site_errors:
        click.echo("  " + _("site: {error}").format(error=error))
    for key, ok, error in report.delivered:
        if not ok:
            click.echo("  " + _("alert {key}: not delivered ({error}); will retry").format(
                key=key, error=error))
    click.echo("  " + _("open: {open}, overdue: {overdue}").format(open=report.open,
                                                                   overdue=report.overdue))


class _Session:
    """Config, store and outbox of one command run."""

    def __init__(self, ctx: click.Context) -> None:
        self.root = root_of(ctx)
        self.feeds = load_feeds(self.root)
        self.duty = load_duty(self.root)
        self.tz = self.feeds.timezone
        self.limits = {feed.id: feed.max_items for feed in self.feeds.feeds}

    def store(self):
        """The state, for commands other than the watcher itself (no lease needed)."""
        return open_store(self.feeds)

    def comment_alerts(self, outbox: Outbox, now: datetime) -> list[str]:
        """Public-comment reminders and overdue alerts, through the same outbox.

        A problem with the site's content or policy is reported and carried
        past: it must never stop the watcher from watching the feeds.
        """
        from ..calendar import load_calendar
        from ..comments.alerts import enqueue_alerts
        from ..comments.model import comment_alerts, comment_documents, read_comments
        from ..config import load_policy
        from ..content import load_corpus

        if not (self.root / "site_config" / "site.yml").exists():
            return []
        try:
            policy = load_policy(self.root)
            if not any(c.type == "comment" for c in policy.columns.values()):
                return []
            calendar = load_calendar(policy.root, policy.timezone)
            corpus = load_corpus(policy.content_dir, max_page_bytes=policy.max_page_bytes,
                                 max_attachment_bytes=policy.max_attachment_bytes)
            comments, _unreadable = read_comments(policy, comment_documents(policy, corpus), calendar)
        except GovpubError as exc:
            click.echo(_("govpub: comment deadlines skipped this cycle: {error}").format(
                error=exc), err=True)
            return []
        return enqueue_alerts(outbox, self.duty, comment_alerts(comments, now, calendar), now)


@click.group(invoke_without_command=True)
@click.option("--once", is_flag=True, help="Run one cycle and exit (for cron and CI).")
@click.option("--now", "now_text", metavar="T", default=None,
              help="Pretend the current time is T (ISO 8601; feed time zone if no offset).")
@click.option("--force", is_flag=True, help="Poll every feed now, ignoring poll intervals.")
@click.pass_context
def watch(ctx: click.Context, once: bool, now_text: str | None, force: bool):
    """Watch the central feeds: obligations, deadlines and on-duty alerts.

    Exit code with --once: 1 when an obligation is overdue, 0 otherwise.
    """
    if ctx.invoked_subcommand is not None:
        return None
    session = _Session(ctx)
    start_sim = resolve_now(session.tz, now_text) if now_text else None
    watcher = Watcher(session.feeds, session.duty, say=click.echo,
                      extra_alerts=session.comment_alerts)
    if not once:
        return _daemon(session, watcher, start_sim, force)
    watcher.lock.acquire(wait_seconds=10)
    try:
        now = start_sim or resolve_now(session.tz, None)
        report = watcher.run(now, force=force)
    finally:
        watcher.close()
        watcher.stop()
    _print_report(report, now, session.tz, session.limits)
    return 1 if report.overdue else 0


def _daemon(session: _Session, watcher: Watcher, start_sim: datetime | None,
            force: bool) -> int:
    from ..watch.daemon import Daemon

    clock = simulated_clock(start_sim, lambda: resolve_now(session.tz, None))
    interval = daemon_interval(session.feeds)

    def report(result: CycleReport, now: datetime) -> None:
        _print_report(result, now, session.tz, session.limits)
        sys.stdout.flush()

    def on_error(exc: BaseException) -> None:
        click.echo(_("govpub: watch cycle failed: {kind}: {error}").format(
            kind=type(exc).__name__, error=exc), err=True)

    watcher.start()
    click.echo(_("govpub watch: watching {count} feed(s); state {state}; stop with Ctrl-C or "
                 "SIGTERM").format(count=sum(f.enabled for f in session.feeds.feeds),
                                   state=watcher.describe_state()))
    sys.stdout.flush()
    daemon = Daemon(lambda should_stop: watcher.cycle(should_stop, clock, force, report),
                    interval, on_error=on_error)
    try:
        daemon.run()
    finally:
        watcher.stop()  # a clean stop hands the lease over at once
    click.echo(_("govpub watch: stopped"))
    if daemon.interrupted:  # a request or a send is still in flight: do not wait for it
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    return 0


@watch.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--now", "now_text", metavar="T", default=None, help="Pretend the time is T.")
@click.pass_context
def status(ctx: click.Context, output_format: str, now_text: str | None):
    """Who is on duty, open and recent obligations (overdue first), feed health.

    Exit 1 if anything is overdue.
    """
    session = _Session(ctx)
    now = resolve_now(session.tz, now_text)
    if not state_exists(session.feeds):
        rows, feeds, pending, failed = [], [], 0, 0
    else:
        store = session.store()
        try:
            rows = store.recent_obligations(now - RECENT)
            feeds = store.feeds()
            pending, failed = store.alert_counts()
        finally:
            store.close()
    items = board.ordered([board.obligation_json(r, now) for r in rows])
    health = [board.feed_json(f) for f in feeds]
    overdue = sum(1 for i in items if i["overdue"])
    if output_format == "json":
        click.echo(json.dumps({"now": iso(now), "duty": board.duty_json(session.duty, now),
                               "obligations": items, "feeds": health,
                               "alerts": {"pending": pending, "failed": failed}},
                              ensure_ascii=False, indent=2))
        return 1 if overdue else 0
    for line in board.duty_lines(session.duty, now, session.tz):
        click.echo(line)
    if not items:
        click.echo(_("no open or recent obligations"))
    for item in items:
        for line in board.obligation_lines(item, session.duty, session.tz):
            click.echo(line)
    for feed in health:
        click.echo(board.feed_line(feed, session.tz))
    if pending or failed:
        click.echo(_("alerts: {pending} pending, {failed} given up").format(pending=pending,
                                                                           failed=failed))
    return 1 if overdue else 0


def _open_obligation(store: StateStore, obligation_id: int):
    row = store.obligation(obligation_id)
    if row is None:
        raise UsageError(_("no obligation #{id}").format(id=obligation_id),
                         hint=_("see the ids with: govpub watch status"))
    return row


def _roster_member(duty: DutyConfig, who: str | None) -> str:
    """``--by``: a person on the duty roster or a leader, by their id in duty.yml."""
    allowed = roster(duty)
    if not who:
        raise UsageError(_("--by is required: who you are, by your id in site_config/duty.yml"),
                         hint=_("one of {ids}").format(ids=", ".join(sorted(allowed))))
    if who not in allowed:
        raise UsageError(_("{who!r} is not on the duty roster or a leader in "
                           "site_config/duty.yml").format(who=who),
                         hint=_("one of {ids}").format(ids=", ".join(sorted(allowed))))
    return who


_BY = click.option("--by", "who", envvar="GOVPUB_DUTY_ID", default=None,
                   help="Your id in site_config/duty.yml (or set GOVPUB_DUTY_ID).")


@watch.command()
@click.argument("obligation_id", metavar="ID", type=int)
@_BY
@click.option("--now", "now_text", metavar="T", default=None, help="Pretend the time is T.")
@click.pass_context
def ack(ctx: click.Context, obligation_id: int, who: str | None, now_text: str | None):
    """Take obligation ID: its reminders go to you only (the deadline alert still goes to all)."""
    session = _Session(ctx)
    who = _roster_member(session.duty, who)
    now = resolve_now(session.tz, now_text)
    store = session.store()
    try:
        with store.transaction():
            row = _open_obligation(store, obligation_id)
            if not store.acknowledge(obligation_id, now, who):
                raise UsageError(_("obligation #{id} is already {state}").format(
                    id=obligation_id, state=board.state_name(row["state"])))
            store.add_history(obligation_id, now, "acknowledged",
                              {"by": who, "login": getpass.getuser(),
                               "previous": row["acked_by"]})
            # alerts already queued but not yet sent follow the new owner too
            for alert in store.pending_alerts(obligation_id):
                delivered = json.loads(alert["delivered"])
                targets = alert_targets(session.duty, now, escalate=escalates(alert["step"]),
                                        taken_by=who)
                store.retarget_alert(alert["key"],
                                     [*delivered, *(t for t in targets if t not in delivered)])
    finally:
        store.close()
    click.echo(_("obligation #{id} taken by {person}: reminders go to you only; the deadline "
                 "alert still goes to everyone on duty and the leaders").format(
        id=obligation_id, person=describe_person(session.duty, who)))
    return 0


@watch.command()
@click.argument("obligation_id", metavar="ID", type=int)
@click.option("--reason", required=True, help="Why it needs no reproduction.")
@_BY
@click.option("--now", "now_text", metavar="T", default=None, help="Pretend the time is T.")
@click.pass_context
def dismiss(ctx: click.Context, obligation_id: int, reason: str, who: str | None,
            now_text: str | None):
    """Close obligation ID as not applicable; its pending alerts are cancelled."""
    reason = " ".join(reason.split())
    if not reason:
        raise UsageError(_("--reason is empty"), hint=_("say why no reproduction is needed"))
    session = _Session(ctx)
    who = _roster_member(session.duty, who)
    now = resolve_now(session.tz, now_text)
    store = session.store()
    try:
        with store.transaction():
            row = _open_obligation(store, obligation_id)
            if not store.dismiss(obligation_id, now, who[:200], reason[:2000]):
                raise UsageError(_("obligation #{id} is already {state}").format(
                    id=obligation_id, state=board.state_name(row["state"])))
            store.add_history(obligation_id, now, "dismissed",
                              {"by": who, "login": getpass.getuser(), "reason": reason})
    finally:
        store.close()
    click.echo(_("obligation #{id} dismissed by {person}: {reason}").format(
        id=obligation_id, person=describe_person(session.duty, who), reason=reason))
    return 0


def _site_timezone(session: _Session):
    """The site's time zone from site.yml when the site policy loads, else the feeds' zone."""
    from ..config import load_policy

    try:
        return load_policy(session.root).timezone
    except GovpubError:
        return session.tz


@click.command()
@click.argument("obligation_id", metavar="ID", type=int)
@click.option("--now", "now_text", metavar="T", default=None, help="Pretend the time is T.")
@click.pass_context
def reproduce(ctx: click.Context, obligation_id: int, now_text: str | None):
    """Draft a reproduction of watched item ID with the original's full text.

    The original page is fetched; the draft in content/reproduced/ carries its
    text, 文号 and 发文机关 and records the text's digest. Exit 1 when the
    original could not be read (the draft then asks for the text with the
    placeholder marker and never publishes as it is).
    """
    from ..config import load_policy
    from ..watch.draft import write_draft
    from ..watch.fetch import make_client
    from ..watch.sources import read_original_page

    session = _Session(ctx)
    tz = _site_timezone(session)
    now = resolve_now(tz, now_text)
    store = session.store()
    try:
        row = _open_obligation(store, obligation_id)
        config = session.feeds
        with make_client(config.user_agent, config.timeout_seconds,
                         config.max_redirects) as client:
            original = read_original_page(client, row["link"], config.feed(row["feed_id"]),
                                          config)
        problem = original if isinstance(original, str) else None
        original = None if problem else original
        try:
            review_dir = load_policy(session.root).review_dir
        except GovpubError:
            review_dir = session.root / "review"
        path = write_draft(session.root / "content", review_dir, row, now, tz, original)
        with store.transaction():
            if original is not None:
                store.save_original(obligation_id, original.url, now, original.digest,
                                    original.text)
            store.add_history(obligation_id, now, "draft",
                              {"path": str(path.relative_to(session.root)),
                               "digest": original.digest if original else None})
    finally:
        store.close()
    shown = path.relative_to(session.root)
    if problem:
        click.echo(_("govpub: the original could not be read: {problem}").format(
            problem=problem), err=True)
        click.echo(_("wrote {path} without the text — paste the official text word for word "
                     "in place of {marker}, then request review").format(
            path=shown, marker=MARKER))
    else:
        click.echo(_("wrote {path} with the original's text ({digest}); check it against "
                     "the original, then request review (govpub review status)").format(
            path=shown, digest=original.digest))
    if row["state"] != "open":
        click.echo(_("note: obligation #{id} is already {state}").format(
            id=obligation_id, state=board.state_name(row["state"])))
    return 1 if problem else 0
