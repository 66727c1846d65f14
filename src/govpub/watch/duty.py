"""Who is on duty at a given moment, and how to reach them.

Resolution order at time T (in the duty file's time zone):

1. explicit shifts (``from``/``to`` date-time ranges) covering T — for
   holidays and swaps, they override the rotation;
2. the weekly rotation slots covering T (a slot whose ``to`` is not after its
   ``from`` runs past midnight into the next day);
3. nobody: the ``fallback`` targets are used, so an alert is never dropped.

Leaders receive escalations (deadline reached, overdue) in addition to the
people on duty. When a roster member has taken an item (``watch ack``), its
reminders go to that person only; the escalation at the deadline still goes
to everyone it would have gone to, and to that person. Reusable API (e.g.
for comment-deadline reminders)::

    from govpub.watch.config import load_duty
    from govpub.watch.duty import targets_at
    targets = targets_at(load_duty(root), when, escalate=False)

Pure functions, no I/O.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..i18n import _
from .config import DutyConfig, RotationSlot


def _in_slot(slot: RotationSlot, local: datetime) -> bool:
    clock = local.time().replace(tzinfo=None)
    weekday = local.weekday()
    end = slot.end
    overnight = end is not None and end <= slot.start
    if not overnight:
        return weekday in slot.days and clock >= slot.start and (end is None or clock < end)
    # overnight: evening part on a listed day, morning part on the day after one
    if weekday in slot.days and clock >= slot.start:
        return True
    return (weekday - 1) % 7 in slot.days and clock < end


def on_duty(duty: DutyConfig, when: datetime) -> list[str]:
    """Person ids on duty at ``when`` (empty: nobody, use the fallback)."""
    shifted = [s.person for s in duty.shifts if s.start <= when < s.end]
    if shifted:
        return list(dict.fromkeys(shifted))
    local = when.astimezone(duty.timezone)
    return list(dict.fromkeys(s.person for s in duty.rotation if _in_slot(s, local)))


def targets_at(duty: DutyConfig, when: datetime, *, escalate: bool = False) -> list[str]:
    """Apprise URLs to notify at ``when``; with ``escalate`` the leaders are added."""
    people = on_duty(duty, when)
    targets = [t for p in people for t in duty.people[p].targets] or list(duty.fallback)
    if escalate:
        targets += [t for p in duty.leaders for t in duty.people[p].targets]
    return list(dict.fromkeys(targets))


def alert_targets(duty: DutyConfig, when: datetime, *, escalate: bool,
                  taken_by: str | None = None) -> list[str]:
    """Where one alert of an obligation goes, given who (if anyone) has taken it."""
    person = duty.people.get(taken_by) if taken_by else None
    if person is None:
        return targets_at(duty, when, escalate=escalate)
    if not escalate:
        return list(person.targets)
    return list(dict.fromkeys(targets_at(duty, when, escalate=True) + list(person.targets)))


def roster(duty: DutyConfig) -> set[str]:
    """Who may take or dismiss an item: people on the rotation or a shift, and leaders."""
    return ({s.person for s in duty.rotation} | {s.person for s in duty.shifts}
            | set(duty.leaders))


def describe_person(duty: DutyConfig, person: str) -> str:
    known = duty.people.get(person)
    return f"{known.name} ({person})" if known else person


def describe_people(duty: DutyConfig, people: list[str]) -> str:
    if not people:
        return _("nobody on the rota (fallback targets)")
    return ", ".join(describe_person(duty, p) for p in people)


def describe_duty(duty: DutyConfig, when: datetime) -> str:
    return describe_people(duty, on_duty(duty, when))


def next_change(duty: DutyConfig, when: datetime, horizon: timedelta = timedelta(days=8)):
    """When the set of people on duty next changes (to the minute), or None."""
    current = on_duty(duty, when)
    step = timedelta(minutes=15)
    probe = when.replace(second=0, microsecond=0)
    while probe - when < horizon:
        probe += step
        if on_duty(duty, probe) != current:
            earlier = probe - step  # the change is within this quarter hour: find its minute
            while earlier + timedelta(minutes=1) < probe:
                earlier += timedelta(minutes=1)
                if on_duty(duty, earlier) != current:
                    return earlier
            return probe
    return None
