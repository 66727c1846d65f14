"""Who is on duty at a given moment, and how to reach them.

Resolution order at time T (in the duty file's time zone):

1. explicit shifts (``from``/``to`` date-time ranges) covering T — for
   holidays and swaps, they override the rotation;
2. the weekly rotation slots covering T (a slot whose ``to`` is not after its
   ``from`` runs past midnight into the next day);
3. nobody: the ``fallback`` targets are used, so an alert is never dropped.

Leaders receive escalations (deadline reached, overdue) in addition to the
people on duty. Reusable API (e.g. for comment-deadline reminders)::

    from govpub.watch.config import load_duty
    from govpub.watch.duty import targets_at
    targets = targets_at(load_duty(root), when, escalate=False)

Pure functions, no I/O.
"""

from __future__ import annotations

from datetime import datetime, timedelta

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


def describe_duty(duty: DutyConfig, when: datetime) -> str:
    people = on_duty(duty, when)
    if not people:
        return "nobody on the rota (fallback targets)"
    return ", ".join(f"{duty.people[p].name} ({p})" for p in people)


def next_change(duty: DutyConfig, when: datetime, horizon: timedelta = timedelta(days=8)):
    """When the set of people on duty next changes (minute resolution), or None."""
    current = on_duty(duty, when)
    step = timedelta(minutes=15)
    probe = when.replace(second=0, microsecond=0)
    while probe - when < horizon:
        probe += step
        if on_duty(duty, probe) != current:
            return probe
    return None
