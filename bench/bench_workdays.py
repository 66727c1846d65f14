"""Benchmark: working-day deadlines (govpub.calendar) against the plain tools.

Run: .venv/bin/python bench/bench_workdays.py [N]

For N comment arrival times spread over 2025–2026 it computes the 3-working-day
reply deadline with
  * govpub's WorkCalendar.add_working_days (time-of-day precise),
  * holidays.China().get_nth_working_day (the package's own, whole days),
  * numpy.busday_offset with the holidays as a list (cannot express the
    Saturdays and Sundays that become working days),
and prints the time per deadline, the ratios, and how often each plain tool's
due *date* disagrees with govpub's (arrivals at 00:00, so the answers are
comparable).
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import numpy as np

from govpub.calendar import load_calendar

TZ = ZoneInfo("Asia/Shanghai")
DAYS = 3


def main(n: int) -> None:
    rng = random.Random(8)
    start = datetime(2025, 1, 1, tzinfo=TZ)
    arrivals = [start + timedelta(days=rng.randrange(0, 700)) for _ in range(n)]
    calendar = load_calendar(Path("/nonexistent"), TZ)
    cn = holidays.China(years=[2025, 2026, 2027])

    t0 = time.perf_counter()
    ours = [calendar.add_working_days(a, DAYS) for a in arrivals]
    t_ours = time.perf_counter() - t0

    t0 = time.perf_counter()
    # the package counts from the day after; a deadline "3 working days" from 00:00 of a
    # working day ends at 24:00 of the 3rd working day counting that day itself
    theirs = []
    for a in arrivals:
        d = a.date()
        first = d if cn.is_working_day(d) else cn.get_nth_working_day(d, 1)
        theirs.append(cn.get_nth_working_day(first, DAYS - 1))
    t_theirs = time.perf_counter() - t0

    off_days = [np.datetime64(d) for d in cn if 2025 <= d.year <= 2027]
    t0 = time.perf_counter()
    dates = np.array([np.datetime64(a.date()) for a in arrivals])
    firsts = np.busday_offset(dates, 0, roll="forward", holidays=off_days)
    numpy_due = np.busday_offset(firsts, DAYS - 1, holidays=off_days)
    t_numpy = time.perf_counter() - t0

    our_dates = [(o - timedelta(seconds=1)).date() for o in ours]  # 24:00 → that day
    diff_holidays = sum(1 for a, b in zip(our_dates, theirs, strict=True) if a != b)
    diff_numpy = sum(1 for a, b in zip(our_dates, numpy_due.astype(object), strict=True)
                     if a != b)
    print(f"{n} deadlines of {DAYS} working days, arrivals 2025-01-01 .. 2026-12-01")
    print(f"govpub add_working_days      {t_ours / n * 1e6:8.1f} µs each")
    print(f"holidays get_nth_working_day {t_theirs / n * 1e6:8.1f} µs each "
          f"(govpub/holidays = {t_ours / t_theirs:.2f}x)")
    print(f"numpy busday_offset          {t_numpy / n * 1e6:8.1f} µs each "
          f"(govpub/numpy = {t_ours / t_numpy:.1f}x)")
    print(f"due dates differing from holidays: {diff_holidays} of {n}")
    print(f"due dates differing from numpy:    {diff_numpy} of {n} "
          "(numpy ignores the adjusted Saturday/Sunday working days)")
    print(f"calendar warnings: {calendar.warnings() or 'none'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
