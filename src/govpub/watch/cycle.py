"""One watcher cycle: poll due feeds, record obligations, close reproduced ones,
decide alerts, deliver the outbox.

Each feed's results are written in one transaction, each closing and each
alert decision in one transaction: a crash between any two leaves a state
from which the next cycle simply continues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..i18n import _
from . import decide, messages
from .alerts import Outbox
from .config import DutyConfig, Feed, FeedsConfig
from .duty import alert_targets, describe_duty, describe_person, targets_at
from .fetch import make_client
from .fidelity import page_text
from .identity import item_identity, normalize_url
from .items import FeedItem
from .reproductions import live_match, load_reproductions, read_live_page
from .sources import Poll, read_item_pages, read_original_page, read_sources
from .store import Store, from_iso, iso


@dataclass
class CycleReport:
    polled: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    opened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    enqueued: list[str] = field(default_factory=list)
    delivered: list[tuple[str, bool, str | None]] = field(default_factory=list)
    site_errors: list[str] = field(default_factory=list)
    over_limit: dict[str, int] = field(default_factory=dict)  # feed id -> items offered
    overdue: int = 0
    open: int = 0


def _due(feed: Feed, state, now: datetime, force: bool) -> bool:
    if force or not state["last_attempt"]:
        return True
    last = from_iso(state["last_attempt"])
    return last > now or now - last >= timedelta(minutes=feed.poll_minutes)


def _poll_sources(store: Store, config: FeedsConfig, client, now: datetime, force: bool,
                  should_stop) -> list[Poll]:
    """Read every due source; list pages' new items are read from their own pages."""
    polls = [Poll(feed, store.feed_state(feed.id)) for feed in config.feeds if feed.enabled]
    polls = [poll for poll in polls if _due(poll.feed, poll.state, now, force)]
    read_sources(client, polls, config)
    if should_stop():
        return []
    listed = {normalize_url(link.url) for poll in polls for link in poll.links}
    read_item_pages(client, polls, store.known_links(listed - {None}), config)
    return polls


def _record_items(store: Store, feed: Feed, items: list[FeedItem], now: datetime,
                  baseline: bool, report: CycleReport) -> None:
    for item in items:
        if not decide.wants_item(item.title, item.categories, feed.include, feed.exclude):
            continue
        identity = item_identity(item.guid, item.link, item.title, item.date_raw)
        if identity is None:
            continue
        link_norm = normalize_url(item.link)
        known = store.find(identity, link_norm)
        if known is not None:
            # an edit is the same item (same identity) with a new title; a duplicate found
            # by its link must not rename the original
            if (known["identity"] == identity and known["title"] != item.title
                    and known["state"] == "open"):
                store.rename_obligation(known["id"], item.title)
                store.add_history(known["id"], now, "edited",
                                  {"old_title": known["title"], "new_title": item.title})
            continue
        deadline, basis = decide.deadline_for(item.source_time, now, feed.deadline_hours)
        late_baseline = baseline and deadline <= now
        obligation_id = store.insert_obligation(
            identity=identity, feed_id=feed.id, publisher=feed.publisher, title=item.title,
            link=item.link, link_norm=link_norm, source_time=iso(item.source_time),
            source_time_raw=item.date_raw, first_seen=iso(now), deadline=iso(deadline),
            basis=basis, state="dismissed" if late_baseline else "open",
            closed_at=iso(now) if late_baseline else None,
            closed_by="watcher" if late_baseline else None,
            close_reason=decide.BASELINE_REASON if late_baseline else None)
        store.add_history(obligation_id, now, "baseline" if late_baseline else "detected",
                          {"deadline": iso(deadline), "basis": basis})
        if not late_baseline:
            report.opened.append(obligation_id)


def _apply_poll(store: Store, outbox: Outbox, poll: Poll, config: FeedsConfig,
                duty: DutyConfig, now: datetime, report: CycleReport) -> None:
    feed, result = poll.feed, poll.result
    with store.transaction():
        state = store.feed_state(feed.id)
        watched_since = state["watched_since"] or iso(now)
        if poll.items:  # a partly failed list page still records the items it could read
            _record_items(store, feed, poll.items, now, not state["baseline_done"], report)
        if poll.failed:
            report.failed[feed.id] = poll.error
            failures = state["consecutive_failures"] + 1
            store.update_feed(feed.id, last_attempt=iso(now), consecutive_failures=failures,
                              last_error=poll.error[:500], watched_since=watched_since)
            reason = decide.blind_reason(
                failures, from_iso(state["last_success"]), now, config.max_failures,
                timedelta(minutes=config.blind_after_minutes), from_iso(watched_since))
            if reason and not state["blind_since"]:
                store.update_feed(feed.id, blind_since=iso(now))
                title, body = messages.blind_alert(
                    feed.id, feed.url, reason, poll.error, from_iso(state["last_success"]),
                    duty.timezone)
                key = f"feed:{feed.id}:blind:{iso(now)}"
                outbox.enqueue(key, title, body, targets_at(duty, now), now, step="blind")
                report.enqueued.append(key)
            return
        report.polled.append(feed.id)
        store.update_feed(
            feed.id, last_attempt=iso(now), last_success=iso(now), consecutive_failures=0,
            last_error=None, etag=result.etag, last_modified=result.last_modified,
            items_seen=min(poll.total, feed.max_items) or state["items_seen"],
            baseline_done=1, watched_since=watched_since, blind_since=None)
        if not result.not_modified:
            _check_item_limit(store, outbox, poll, state, duty, now, report)
        if state["blind_since"]:
            title, body = messages.recovered_alert(feed.id, feed.url)
            key = f"feed:{feed.id}:recovered:{state['blind_since']}"
            outbox.enqueue(key, title, body, targets_at(duty, now), now, step="recovered")
            report.enqueued.append(key)


def _check_item_limit(store: Store, outbox: Outbox, poll: Poll, state, duty: DutyConfig,
                      now: datetime, report: CycleReport) -> None:
    """A source offering more items than its limit is said so, never cut silently."""
    feed = poll.feed
    store.update_feed(feed.id, items_total=poll.total)
    if not poll.over_limit:
        if state["over_limit_since"]:
            store.update_feed(feed.id, over_limit_since=None)
        return
    report.over_limit[feed.id] = poll.total
    if state["over_limit_since"]:
        return  # told once, when it started; health keeps saying it
    store.update_feed(feed.id, over_limit_since=iso(now))
    title, body = messages.over_limit_alert(feed.id, feed.url, poll.total, feed.max_items)
    key = f"feed:{feed.id}:over-limit:{iso(now)}"
    outbox.enqueue(key, title, body, targets_at(duty, now), now, step="over-limit")
    report.enqueued.append(key)


def _verify_live(store: Store, feed: Feed, row, match, config: FeedsConfig, client,
                 now: datetime) -> tuple[str, str | None]:
    """("live" | "absent" | "unknown", why): does the listed page carry the original?"""
    original = store.original(row["id"])
    if original is None:
        fetched = read_original_page(client, row["link"], feed, config)
        if isinstance(fetched, str):
            return "unknown", fetched
        with store.transaction():
            store.save_original(row["id"], fetched.url, now, fetched.digest, fetched.text)
        original = store.original(row["id"])
    html, error = read_live_page(feed.site, match.url, client,
                                 timeout=config.timeout_seconds, root=config.root)
    if error:
        return "unknown", error
    if original["text"] in page_text(html):
        return "live", None
    return "absent", _("{url} is listed as the reproduction but does not carry the "
                       "original's text").format(url=match.url)


def _close_reproduced(store: Store, config: FeedsConfig, client, now: datetime,
                      report: CycleReport) -> None:
    """Close obligations whose reproduction is live and carries the original's text."""
    open_rows = store.open_obligations()
    if not open_rows:
        return
    sites: dict = {}
    absent: list[int] = []
    notes: dict[int, str] = {}
    for row in open_rows:
        feed = config.feed(row["feed_id"]) or (config.feeds[0] if config.feeds else None)
        if feed is None:
            continue
        if feed.site not in sites:
            sites[feed.site] = load_reproductions(feed.site, client, tz=feed.timezone,
                                                  timeout=config.timeout_seconds,
                                                  root=config.root)
            if sites[feed.site][1]:
                report.site_errors.append(sites[feed.site][1])
        listed, error = sites[feed.site]
        if error:
            continue  # the site cannot be read: no evidence either way
        match = live_match(listed, row["link_norm"], now)
        if match is None:
            absent.append(row["id"])
            continue
        verdict, why = _verify_live(store, feed, row, match, config, client, now)
        if verdict != "live":
            notes[row["id"]] = why
            report.site_errors.append(f"#{row['id']}: {why}")
            if verdict == "absent":
                absent.append(row["id"])
            continue
        when = decide.reproduced_at(match.published, from_iso(row["site_checked_at"]), now)
        basis = from_iso(row["source_time"]) if row["basis"] == "source" else \
            from_iso(row["first_seen"])
        lead = int((when - basis).total_seconds())
        late = decide.is_late(when, from_iso(row["deadline"]))
        with store.transaction():
            if store.close_reproduced(row["id"], now, match.url, when, lead, late):
                store.add_history(row["id"], now, "reproduced",
                                  {"url": match.url, "published": iso(match.published),
                                   "reproduced_at": iso(when), "lead_seconds": lead,
                                   "late": late})
        report.closed.append(row["id"])
    with store.transaction():
        store.mark_not_live(absent, now, notes)


def _decide_alerts(store: Store, outbox: Outbox, duty: DutyConfig, now: datetime,
                   report: CycleReport) -> None:
    rows = {row["id"]: row for row in store.open_obligations()}
    facts = [decide.ObligationFacts(r["id"], from_iso(r["first_seen"]), from_iso(r["deadline"]))
             for r in rows.values()]
    decided = decide.due_alerts(facts, now, duty.reminders_hours,
                                timedelta(minutes=duty.overdue_every_minutes),
                                store.alert_keys_of_open())
    who = describe_duty(duty, now)
    # one transaction for all decisions of this cycle: atomic, and one fsync not thousands
    with store.transaction():
        for alert in decided:
            row = rows[alert.obligation_id]
            taken = describe_person(duty, row["acked_by"]) if row["acked_by"] else None
            title, body = messages.obligation_alert(row, alert.step.name, now, duty.timezone,
                                                    who, taken)
            targets = alert_targets(duty, now, escalate=alert.step.escalate,
                                    taken_by=row["acked_by"])
            if outbox.enqueue(alert.key, title, body, targets, now,
                              obligation_id=alert.obligation_id, step=alert.step.name):
                store.add_history(alert.obligation_id, now, "alert", {"step": alert.step.name,
                                                                      "targets": len(targets)})
                report.enqueued.append(alert.key)


def run_cycle(config: FeedsConfig, duty: DutyConfig, store: Store, now: datetime, *,
              outbox: Outbox, client=None, force: bool = False,
              should_stop=lambda: False, extra_alerts=None) -> CycleReport:
    """One pass; the caller holds the watcher lock.

    ``extra_alerts(outbox, now) -> list[str]`` lets other deadlines (public
    comments) enqueue their alerts into the same outbox before delivery.
    """
    report = CycleReport()
    own_client = client is None
    if own_client:
        client = make_client(config.user_agent, config.timeout_seconds, config.max_redirects)
    try:
        polls = _poll_sources(store, config, client, now, force, should_stop)
        # all polls of a cycle land in one transaction: atomic, and one fsync, not 100
        with store.transaction():
            for poll in polls:
                if should_stop():
                    break
                _apply_poll(store, outbox, poll, config, duty, now, report)
        if not should_stop():
            _close_reproduced(store, config, client, now, report)
        if not should_stop():
            _decide_alerts(store, outbox, duty, now, report)
        if extra_alerts is not None and not should_stop():
            # not one transaction: reading the site's comments may take a while, and each
            # alert is keyed, so a crash halfway is made good by the next cycle
            report.enqueued.extend(extra_alerts(outbox, now))
        if not should_stop():
            report.delivered = outbox.deliver(now, should_stop)
    finally:
        if own_client:
            client.close()
    open_rows = store.open_obligations()
    report.open = len(open_rows)
    report.overdue = sum(1 for r in open_rows if from_iso(r["deadline"]) <= now)
    return report
