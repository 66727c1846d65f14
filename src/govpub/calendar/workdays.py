"""Working-day arithmetic on the official Chinese calendar (pure, no I/O).

A *working day* is a weekday that is not a public holiday, or a Saturday or
Sunday the State Council has made a working day (调休上班). Working time is
counted in whole calendar days: every hour of a working day counts, no hour
of a day off does. So a comment received on Friday 15:00 with three working
days to reply is due on Wednesday 15:00; one received on Saturday is due at
the end of Wednesday (Thursday 00:00). Office hours are deliberately not
modelled: the deadline rule is stated in working days, and counting whole
days is what the public and the inspectors compute by hand.

For a year that no source covers, the calendar *fails closed*: it counts
weekends only (which can only make a deadline earlier, never later) and
records the year in :attr:`WorkCalendar.fallback_years_used` so that every
output built on it can warn loudly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from ..i18n import _, ngettext

DAY = timedelta(days=1)
#: refuse arithmetic over absurd spans (a hostile front-matter value must not spin)
MAX_SPAN_DAYS = 366 * 120


@dataclass(frozen=True)
class DayRule:
    """One day whose status differs from the weekend rule, and why."""

    day: date
    working: bool
    name: str
    source: str  # "holidays package" or the notice entered in calendar.yml


@dataclass(frozen=True)
class WorkingTime:
    """A span of working time, for display: whole working days plus hours."""

    seconds: float

    @property
    def days(self) -> float:
        return self.seconds / 86400

    def parts(self) -> tuple[int, int]:
        """(whole working days, remaining whole hours), of the absolute value."""
        total_hours = int(abs(self.seconds) // 3600)
        return total_hours // 24, total_hours % 24

    def describe(self) -> str:
        days, hours = self.parts()
        text = _("{hours} h").format(hours=hours)
        if days:
            text = ngettext("{days} working day {hours} h", "{days} working days {hours} h",
                            days).format(days=days, hours=hours)
        return text if self.seconds >= 0 else f"-{text}"


@dataclass
class WorkCalendar:
    """Decides working days from day rules and the years they cover."""

    tz: tzinfo
    rules: dict[date, DayRule] = field(default_factory=dict)
    covered_years: frozenset[int] = frozenset()
    fallback_years_used: set[int] = field(default_factory=set)

    def is_covered(self, year: int) -> bool:
        return year in self.covered_years

    def is_working_day(self, day: date) -> bool:
        if not self.is_covered(day.year):
            self.fallback_years_used.add(day.year)
            return day.weekday() < 5
        rule = self.rules.get(day)
        if rule is not None:
            return rule.working
        return day.weekday() < 5

    def warnings(self) -> list[str]:
        """Loud warnings for every year computed with weekends only (shown after "WARNING:"
        where they stand alone)."""
        return [_("no official holiday schedule for {year}: working days in {year} "
                  "were counted with weekends only (deadlines may be earlier than the real "
                  "ones) — add the State Council's notice for {year} to "
                  "site_config/calendar.yml or upgrade the holidays package").format(year=year)
                for year in sorted(self.fallback_years_used)]

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("working-day arithmetic needs time-zone-aware times")  # a bug
        # wall-clock arithmetic in the site's zone; Asia/Shanghai has no DST
        return moment.astimezone(self.tz).replace(tzinfo=None)

    def _aware(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self.tz)

    def add_working_days(self, start: datetime, days: int | float) -> datetime:
        """The moment when ``days`` working days have elapsed since ``start``."""
        if days < 0:
            raise ValueError("days must not be negative")  # a bug
        remaining = timedelta(days=days)
        cursor = self._local(start)
        for _step in range(MAX_SPAN_DAYS + int(days) * 3):
            day_end = datetime.combine(cursor.date() + DAY, time())
            if self.is_working_day(cursor.date()):
                available = day_end - cursor
                if remaining <= available:
                    return self._aware(cursor + remaining)
                remaining -= available
            cursor = day_end
        raise ValueError(_("no {days} working days within {span} days of {start}").format(
            days=days, span=MAX_SPAN_DAYS, start=start))

    def working_time_between(self, start: datetime, end: datetime) -> WorkingTime:
        """Working time from ``start`` to ``end``; negative when ``end`` is earlier."""
        a, b = self._local(start), self._local(end)
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        if (b - a).days > MAX_SPAN_DAYS:
            raise ValueError(_("span from {start} to {end} is longer than {span} days").format(
                start=start, end=end, span=MAX_SPAN_DAYS))
        total = timedelta()
        cursor = a
        while cursor < b:
            day_end = min(datetime.combine(cursor.date() + DAY, time()), b)
            if self.is_working_day(cursor.date()):
                total += day_end - cursor
            cursor = day_end
        return WorkingTime(sign * total.total_seconds())
