"""``govpub watch`` (daemon / ``--once``), ``watch status``, ``watch dismiss``, ``reproduce``."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime, timedelta

import click

from ..errors import GovpubError, UsageError
from ..i18n import _
from ..placeholder import MARKER
from ..watch import messages
from ..watch.alerts import Outbox
from ..watch.config import load_duty, load_feeds
from ..watch.cycle import CycleReport, run_cycle
from ..watch.store import Store, WatcherLock, from_iso, iso
from .common import resolve_now, root_of

RECENT = timedelta(days=7)


def _print_report(report: CycleReport, now: datetime, tz) -> None:
    stamp = messages.local(now, tz)
    click.echo(f"{stamp}: polled {len(report.polled)} feed(s), {len(report.failed)} failed; "
               f"{len(report.opened)} new obligation(s), {len(report.closed)} reproduced; "
               f"{len(report.enqueued)} alert(s) decided, "
               f"{sum(1 for _, ok, _ in report.delivered if ok)} delivered, "
               f"{sum(1 for _, ok, _ in report.delivered if not ok)} failed to deliver")
    for feed_id, error in sorted(report.failed.items()):
        click.echo(f"  feed {feed_id}: FAILED: {error}")
    for error in report.site_errors:
        click.echo(f"  site: {error}")
    for key, ok, error in report.delivered:
        if not ok:
            click.echo(f"  alert {key}: not delivered ({error}); will retry")
    click.echo(f"  open: {report.open}, overdue: {report.overdue}")


class _Session:
    """Config, store and outbox of one command run."""

    def __init__(self, ctx: click.Context) -> None:
        self.root = root_of(ctx)
        self.feeds = load_feeds(self.root)
        self.duty = load_duty(self.root)
        self.tz = self.feeds.timezone

    def store(self) -> Store:
        return Store(self.feeds.state_path)

    def outbox(self, store: Store) -> Outbox:
        return Outbox(store, max_attempts=self.duty.max_attempts,
                      retry=timedelta(minutes=self.duty.retry_minutes))

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
            click.echo(f"govpub: comment deadlines skipped this cycle: {exc}", err=True)
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
    lock = WatcherLock(session.feeds.state_path)
    lock.acquire(wait_seconds=10 if once else 1)
    try:
        if once:
            store = session.store()
            try:
                now = start_sim or resolve_now(session.tz, None)
                report = run_cycle(session.feeds, session.duty, store, now,
                                   outbox=session.outbox(store), force=force,
                                   extra_alerts=session.comment_alerts)
            finally:
                store.close()
            _print_report(report, now, session.tz)
            return 1 if report.overdue else 0
        return _daemon(session, start_sim, force)
    finally:
        lock.release()


def _daemon(session: _Session, start_sim: datetime | None, force: bool) -> int:
    import time

    from ..watch.daemon import Daemon

    started = time.monotonic()
    interval = min(60.0, min((f.poll_minutes for f in session.feeds.feeds), default=10) * 60)
    holder = {}

    def one_cycle(should_stop) -> None:
        if "store" not in holder:  # the store lives in the worker thread
            holder["store"] = session.store()
        store = holder["store"]
        now = (start_sim + timedelta(seconds=time.monotonic() - started) if start_sim
               else resolve_now(session.tz, None))
        report = run_cycle(session.feeds, session.duty, store, now,
                           outbox=session.outbox(store), force=force and not holder.get("ran"),
                           should_stop=should_stop, extra_alerts=session.comment_alerts)
        holder["ran"] = True
        _print_report(report, now, session.tz)
        sys.stdout.flush()

    def on_error(exc: BaseException) -> None:
        click.echo(f"govpub: watch cycle failed: {type(exc).__name__}: {exc}", err=True)

    click.echo(f"govpub watch: watching {sum(f.enabled for f in session.feeds.feeds)} feed(s); "
               f"state {session.feeds.state_path}; stop with Ctrl-C or SIGTERM")
    Daemon(one_cycle, interval, on_error=on_error).run()
    click.echo("govpub watch: stopped")
    return 0


def _obligation_json(row, now: datetime) -> dict:
    deadline = from_iso(row["deadline"])
    return {
        "id": row["id"], "state": row["state"], "title": row["title"], "link": row["link"],
        "feed": row["feed_id"], "publisher": row["publisher"],
        "source_time": row["source_time"], "source_time_raw": row["source_time_raw"],
        "first_seen": row["first_seen"], "deadline": row["deadline"],
        "deadline_basis": row["basis"],
        "seconds_left": int((deadline - now).total_seconds()) if row["state"] == "open" else None,
        "overdue": row["state"] == "open" and deadline <= now,
        "closed_at": row["closed_at"], "closed_by": row["closed_by"],
        "close_reason": row["close_reason"], "reproduction_url": row["reproduction_url"],
        "reproduced_at": row["reproduction_published"], "lead_seconds": row["lead_seconds"],
        "late": bool(row["late"]) if row["late"] is not None else None,
        "verify_note": row["verify_note"],
    }


@watch.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--now", "now_text", metavar="T", default=None, help="Pretend the time is T.")
@click.pass_context
def status(ctx: click.Context, output_format: str, now_text: str | None):
    """Open and recent obligations (overdue first) and feed health. Exit 1 if overdue."""
    session = _Session(ctx)
    now = resolve_now(session.tz, now_text)
    if not session.feeds.state_path.exists():
        rows, feeds, pending, failed = [], [], 0, 0
    else:
        store = session.store()
        try:
            rows = store.recent_obligations(now - RECENT)
            feeds = store.feeds()
            pending = store.db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL "
                                       "AND failed_at IS NULL").fetchone()[0]
            failed = store.db.execute("SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL"
                                      ).fetchone()[0]
        finally:
            store.close()
    items = [_obligation_json(r, now) for r in rows]
    items.sort(key=lambda i: (not i["overdue"], i["state"] != "open", i["deadline"]))
    health = [{"id": f["id"], "last_success": f["last_success"],
               "last_attempt": f["last_attempt"],
               "consecutive_failures": f["consecutive_failures"], "last_error": f["last_error"],
               "blind": bool(f["blind_since"])} for f in feeds]
    overdue = sum(1 for i in items if i["overdue"])
    if output_format == "json":
        click.echo(json.dumps({"now": iso(now), "obligations": items, "feeds": health,
                               "alerts": {"pending": pending, "failed": failed}},
                              ensure_ascii=False, indent=2))
        return 1 if overdue else 0
    if not items:
        click.echo("no open or recent obligations")
    for item in items:
        if item["state"] == "open":
            left = timedelta(seconds=item["seconds_left"])
            when = (f"OVERDUE by {messages.span(left)}" if item["overdue"]
                    else f"{messages.span(left)} left")
            click.echo(f"#{item['id']:<5} {'OPEN':<10} {when:<22} deadline "
                       f"{messages.local(from_iso(item['deadline']), session.tz)}  "
                       f"{item['title']}")
            click.echo(f"{'':7}{item['link'] or ''}  (govpub reproduce {item['id']})")
            if item["verify_note"]:
                click.echo(f"{'':7}{item['verify_note']}")
        else:
            extra = (f"lead {messages.span(timedelta(seconds=item['lead_seconds']))}"
                     + (", LATE" if item["late"] else "")
                     if item["lead_seconds"] is not None else item["close_reason"] or "")
            click.echo(f"#{item['id']:<5} {item['state'].upper():<10} "
                       f"{messages.local(from_iso(item['closed_at']), session.tz)}  "
                       f"{item['title']}  ({extra})")
    for feed in health:
        state = ("BLIND" if feed["blind"] else
                 "failing" if feed["consecutive_failures"] else "ok")
        click.echo(f"feed {feed['id']}: {state}; last success "
                   f"{messages.local(from_iso(feed['last_success']), session.tz)}"
                   + (f"; {feed['consecutive_failures']} failure(s): {feed['last_error']}"
                      if feed["consecutive_failures"] else ""))
    if pending or failed:
        click.echo(f"alerts: {pending} pending, {failed} given up")
    return 1 if overdue else 0


def _open_obligation(store: Store, obligation_id: int):
    row = store.obligation(obligation_id)
    if row is None:
        raise UsageError(f"no obligation #{obligation_id}",
                         hint="see the ids with: govpub watch status")
    return row


@watch.command()
@click.argument("obligation_id", metavar="ID", type=int)
@click.option("--reason", required=True, help="Why it needs no reproduction.")
@click.option("--by", "who", default=None, help="Who decides (default: the login name).")
@click.option("--now", "now_text", metavar="T", default=None, help="Pretend the time is T.")
@click.pass_context
def dismiss(ctx: click.Context, obligation_id: int, reason: str, who: str | None,
            now_text: str | None):
    """Close obligation ID as not applicable, recording who and why."""
    reason = " ".join(reason.split())
    if not reason:
        raise UsageError("--reason is empty", hint="say why no reproduction is needed")
    session = _Session(ctx)
    now = resolve_now(session.tz, now_text)
    who = who or getpass.getuser()
    store = session.store()
    try:
        with store.transaction() as db:
            row = _open_obligation(store, obligation_id)
            if row["state"] != "open":
                raise UsageError(f"obligation #{obligation_id} is already {row['state']}")
            db.execute("UPDATE obligations SET state = 'dismissed', closed_at = ?, "
                       "closed_by = ?, close_reason = ? WHERE id = ?",
                       (iso(now), who[:200], reason[:2000], obligation_id))
            store.add_history(obligation_id, now, "dismissed", {"by": who, "reason": reason})
    finally:
        store.close()
    click.echo(f"obligation #{obligation_id} dismissed by {who}: {reason}")
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
            id=obligation_id, state=row["state"]))
    return 1 if problem else 0
