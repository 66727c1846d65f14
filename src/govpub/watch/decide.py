"""Pure decisions: given obligations, the clock and the duty policy, which alerts are due.

No I/O here (like lemon24/reader's Decider): the cycle feeds facts in and
carries decisions out, so every rule below is tested exhaustively without a
database, a network or a clock.

The steps of an open obligation, in time order:

* ``detected`` at first-seen (not when the item was seen after its deadline);
* ``remind-<h>h`` at deadline − h for each configured reminder (default 6 h
  and 2 h), only if that moment is after detection;
* ``deadline`` at the deadline — escalated to the leaders;
* ``overdue-<n>`` every ``overdue_every`` (default one hour) after it —
  escalated too.

Only the **latest** due step is sent: a watcher that was down for three
hours sends one ``overdue-3``, not a burst of stale reminders. Each step has
a unique key ``obligation:<id>:<step>``; a key already in the outbox is never
decided again, which is what makes alerts exactly-once across restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..i18n import N_, _


@dataclass(frozen=True)
class Step:
    name: str
    at: datetime
    escalate: bool


@dataclass(frozen=True)
class ObligationFacts:
    id: int
    first_seen: datetime
    deadline: datetime
    state: str = "open"


@dataclass(frozen=True)
class DueAlert:
    key: str
    obligation_id: int
    step: Step


def _hours_label(hours: float) -> str:
    return f"{hours:g}h"


def steps_until(facts: ObligationFacts, now: datetime, reminders_hours, overdue_every: timedelta):
    """Every step of an obligation whose time has come, in time order."""
    steps: list[Step] = []
    if facts.first_seen < facts.deadline:
        steps.append(Step("detected", facts.first_seen, False))
    for hours in sorted(reminders_hours, reverse=True):
        at = facts.deadline - timedelta(hours=hours)
        if facts.first_seen < at:
            steps.append(Step(f"remind-{_hours_label(hours)}", at, False))
    steps.append(Step("deadline", facts.deadline, True))
    if now > facts.deadline:
        n = int((now - facts.deadline) / overdue_every)
        if n >= 1:
            steps.append(Step(f"overdue-{n}", facts.deadline + n * overdue_every, True))
    return [s for s in steps if s.at <= now]


def latest_step(facts: ObligationFacts, now: datetime, reminders_hours,
                overdue_every: timedelta) -> Step | None:
    if facts.state != "open":
        return None
    due = steps_until(facts, now, reminders_hours, overdue_every)
    return due[-1] if due else None


def alert_key(obligation_id: int, step_name: str) -> str:
    return f"obligation:{obligation_id}:{step_name}"


def due_alerts(obligations, now: datetime, reminders_hours, overdue_every: timedelta,
               known_keys) -> list[DueAlert]:
    """Alerts to enqueue now: the latest due step of each open obligation, if not yet known."""
    decided = []
    for facts in obligations:
        step = latest_step(facts, now, reminders_hours, overdue_every)
        if step is None:
            continue
        key = alert_key(facts.id, step.name)
        if key not in known_keys:
            decided.append(DueAlert(key, facts.id, step))
    return decided


def escalates(step_name: str) -> bool:
    """The deadline and overdue steps go to the leaders too, whoever has taken the item."""
    return step_name == "deadline" or step_name.startswith("overdue-")


def is_overdue(facts: ObligationFacts, now: datetime) -> bool:
    return facts.state == "open" and now >= facts.deadline


#: why an item already past its deadline on a feed's first poll is not an obligation
BASELINE_REASON = N_("baseline: already past its deadline when the feed was first watched")


def deadline_for(source_time: datetime | None, first_seen: datetime,
                 hours: float, future_tolerance: timedelta = timedelta(hours=1)):
    """(deadline, basis). The item's own time counts, unless missing or in the future."""
    if source_time is not None and source_time <= first_seen + future_tolerance:
        return source_time + timedelta(hours=hours), "source"
    return first_seen + timedelta(hours=hours), "first-seen"


def reproduced_at(published: datetime, last_absent: datetime | None,
                  now: datetime) -> datetime:
    """When a reproduction went live, as far as the watcher can vouch for it.

    The page's own ``published`` time is believed unless the watcher looked
    at the site after that time and did not find the reproduction there; then
    the earliest proven time is now, when it was first seen live. A backdated
    page therefore never makes a late reproduction look on time.
    """
    if last_absent is not None and published <= last_absent:
        return now
    return min(published, now)


def is_late(reproduced: datetime, deadline: datetime) -> bool:
    return reproduced > deadline


def blind_reason(consecutive_failures: int, last_success: datetime | None, now: datetime,
                 max_failures: int, blind_after: timedelta, watched_since: datetime | None):
    """Why a feed counts as blind now, or None when it is healthy enough."""
    if consecutive_failures >= max_failures:
        return _("{count} polls in a row failed").format(count=consecutive_failures)
    reference = last_success or watched_since
    if reference is not None and now - reference >= blind_after and consecutive_failures:
        minutes = int((now - reference).total_seconds() // 60)
        return _("no successful poll for {minutes} minutes").format(minutes=minutes)
    return None


def wants_item(title: str, categories, include, exclude) -> bool:
    """Keyword filters on title and category: include (any) then exclude (any)."""
    haystack = " ".join([title or "", *(categories or ())]).lower()
    if include and not any(word.lower() in haystack for word in include):
        return False
    return not any(word.lower() in haystack for word in exclude)
