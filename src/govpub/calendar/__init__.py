"""Working days on the official Chinese calendar.

``load_calendar(root, tz)`` gives a :class:`WorkCalendar` with
``is_working_day(date)``, ``add_working_days(time, n)``,
``working_time_between(a, b)`` and ``warnings()`` (non-empty when a year
without an official schedule was used: print them in every output).
"""

from .sources import load_calendar, package_years
from .workdays import DayRule, WorkCalendar, WorkingTime

__all__ = ["DayRule", "WorkCalendar", "WorkingTime", "load_calendar", "package_years"]
