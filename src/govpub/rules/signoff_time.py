"""GP215: a sign-off's time must make sense."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from ..i18n import _
from ..timeparse import DateFormatError, parse_datetime
from . import register
from .signoff import SignoffRule, approval_state, record_shown

#: how far a sign-off may lie ahead of the clock that checks it (clocks differ)
CLOCK_SKEW = timedelta(minutes=5)


def signoff_time(at: str, tz) -> datetime | None:
    """A sign-off's ``at`` as an aware date-time; None when it is not one."""
    try:
        when = parse_datetime(at, tz)
    except (DateFormatError, ValueError, TypeError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=tz)


@register
class SignoffTime(SignoffRule):
    """A sign-off is dated in the future, or before the version it approves.

    What it checks: every sign-off's `at:` is a date-time (ISO 8601) and not
    later than now (the real clock, or `--now` when that is later) plus five
    minutes of clock skew. With `--changed-since REF`, a sign-off written in
    the range must also not be dated before the commit that produced the
    version it approves (five minutes of skew allowed).
    Why: `at:` says when the reviewer looked. A sign-off dated in the future
    would never count as old, so the audit of old sign-offs (GP705) could be
    dodged; one dated before the text existed cannot have approved it.
    Example: `at: '2030-01-01T10:00:00+08:00'`, or a sign-off dated the day
    before the edit it approves was committed.
    Fix: the reviewer approves the current version again
    (`govpub review approve PATH --commit`), which records the real time.
    """

    id = "GP215"
    name = "signoff-time"
    clock = "clock"

    def check(self, ctx) -> Iterator:
        for doc in ctx.documents():
            state = approval_state(ctx, doc)
            if state.record is not None:
                yield from self.check_state(doc, state, ctx)

    def check_state(self, doc, state, ctx) -> Iterator:
        tz = ctx.policy.timezone
        latest = max(datetime.now(UTC), ctx.now) + CLOCK_SKEW
        for signoff in state.record.signoffs:
            when = signoff_time(signoff.at, tz)
            if when is not None:
                ctx.changes_at(self, when - CLOCK_SKEW)
            if when is None:
                yield ctx.finding(self, doc, 1,
                                  _("the sign-off by {reviewer} ({record}, line {line}) is "
                                    "dated {at}, which is not an ISO 8601 date-time — the "
                                    "reviewer approves again").format(
                                      reviewer=signoff.reviewer,
                                      record=record_shown(ctx, state), line=signoff.line,
                                      at=repr(signoff.at)))
            elif when > latest:
                yield ctx.finding(self, doc, 1,
                                  _("the sign-off by {reviewer} ({record}, line {line}) is "
                                    "dated {at}, in the future — a sign-off carries the time "
                                    "it was given; the reviewer approves again").format(
                                      reviewer=signoff.reviewer,
                                      record=record_shown(ctx, state), line=signoff.line,
                                      at=when.isoformat()))
