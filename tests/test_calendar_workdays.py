"""Working-day arithmetic on the official calendar (State Council notices 2025, 2026)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from govpub.calendar import load_calendar
from govpub.errors import ConfigError

TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture(scope="module")
def cal(tmp_path_factory):
    return load_calendar(tmp_path_factory.mktemp("empty"), TZ)


@pytest.mark.parametrize("day, working", [
    ("2025-01-26", True),   # Sunday made a working day before the Spring Festival
    ("2025-01-28", False),  # Spring Festival eve (holiday since the 2024 revision)
    ("2025-02-04", False),
    ("2025-02-08", True),   # Saturday working day after the Spring Festival
    ("2025-09-28", True),   # Sunday working day before National Day
    ("2025-10-08", False),
    ("2025-10-11", True),   # Saturday working day after National Day
    ("2026-01-04", True),   # Sunday working day after New Year
    ("2026-02-14", True),   # Saturday working day before the Spring Festival
    ("2026-02-16", False),
    ("2026-02-23", False),
    ("2026-02-28", True),   # Saturday working day after the Spring Festival
    ("2026-10-07", False),
    ("2026-10-10", True),   # Saturday working day after National Day
    ("2026-10-12", True),   # ordinary Monday
    ("2026-10-17", False),  # ordinary Saturday
])
def test_is_working_day_follows_the_notices(cal, day, working):
    assert cal.is_working_day(date.fromisoformat(day)) is working
    assert cal.warnings() == []


def test_three_working_days_across_the_2026_spring_festival(cal):
    # Fri 13 Feb 15:00 (9 h) + Sat 14 Feb working day (24 h) + 15–23 Feb off
    # + Tue 24 Feb (24 h) + 15 h of Wed 25 Feb = 72 h
    assert cal.add_working_days(at("2026-02-13T15:00"), 3) == at("2026-02-25T15:00")


def test_received_on_a_holiday_starts_counting_at_the_next_working_day(cal):
    # received during the 2025 Spring Festival; first working day is Wed 5 Feb
    assert cal.add_working_days(at("2025-01-30T09:00"), 3) == at("2025-02-08T00:00")
    # Sat 8 Feb 2025 is itself a working day: due at its end without it would be Mon 10
    assert cal.add_working_days(at("2025-01-30T09:00"), 4) == at("2025-02-09T00:00")


def test_national_day_2025_and_2026(cal):
    # Tue 30 Sep 2025 10:00: 14 h, 1–8 Oct off, Thu 9 Oct 24 h, Fri 10 Oct 24 h, then Sat 11 Oct
    assert cal.add_working_days(at("2025-09-30T10:00"), 3) == at("2025-10-11T10:00")
    assert cal.add_working_days(at("2026-09-30T10:00"), 1) == at("2026-10-08T10:00")


def test_working_time_between_is_the_inverse_of_adding(cal):
    start = at("2026-02-13T15:00")
    span = cal.working_time_between(start, at("2026-02-25T15:00"))
    assert span.seconds == 3 * 86400
    assert span.describe() == "3 working days 0 h"
    back = cal.working_time_between(at("2026-02-25T15:00"), start)
    assert back.seconds == -3 * 86400
    assert cal.working_time_between(at("2026-02-16T08:00"), at("2026-02-20T08:00")).seconds == 0
    part = cal.working_time_between(at("2026-02-24T08:00"), at("2026-02-25T13:30"))
    assert part.parts() == (1, 5)


def test_naive_times_are_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(datetime(2026, 1, 5), 1)


def test_a_year_beyond_coverage_fails_closed_and_warns(tmp_path):
    cal = load_calendar(tmp_path, TZ)
    assert not cal.is_covered(2030)
    # 2030: Chinese New Year is 3 Feb (a Sunday); the package would guess holidays,
    # the calendar counts weekends only: Fri 1 Feb 10:00 + 1 → Mon 4 Feb 10:00
    assert cal.add_working_days(at("2030-02-01T10:00"), 1) == at("2030-02-04T10:00")
    warnings = cal.warnings()
    assert len(warnings) == 1 and "2030" in warnings[0] and "weekends only" in warnings[0]


CALENDAR_2030 = """\
years:
  - year: 2030
    notice: 国务院办公厅关于2030年部分节假日安排的通知（测试）
    holidays:
      - {from: 2030-02-02, to: 2030-02-08, name: 春节}
    workdays:
      - {date: 2030-02-09, name: 春节调休上班}
"""


def write_calendar(root, text):
    (root / "site_config").mkdir(exist_ok=True)
    (root / "site_config" / "calendar.yml").write_text(text, encoding="utf-8")


def test_hand_entered_year_is_covered_and_used(tmp_path):
    write_calendar(tmp_path, CALENDAR_2030)
    cal = load_calendar(tmp_path, TZ)
    assert cal.is_covered(2030)
    # Fri 1 Feb 10:00: 14 h, 2–8 Feb off, Sat 9 Feb working: 10:00
    assert cal.add_working_days(at("2030-02-01T10:00"), 1) == at("2030-02-09T10:00")
    assert cal.warnings() == []
    assert cal.rules[date(2030, 2, 9)].source.startswith("国务院办公厅")


def test_correction_on_top_of_the_package(tmp_path):
    write_calendar(tmp_path, "years:\n  - year: 2026\n    notice: 临时调整（测试）\n"
                             "    complete: false\n    holidays:\n      - {date: 2026-03-02}\n")
    cal = load_calendar(tmp_path, TZ)
    assert not cal.is_working_day(date(2026, 3, 2))
    assert cal.is_working_day(date(2026, 2, 14))  # the package's entries stay


@pytest.mark.parametrize("text, fragment, line", [
    ("years:\n  - year: 2030\n", "notice", 2),
    ("years:\n  - year: 2030\n    notice: 某某通知某某\n    holidays:\n      - {date: 2031-01-01}\n",
     "listed under year 2030", 5),
    ("years:\n  - year: 2030\n    notice: 某某通知某某\n    holidays:\n      - {date: 2030-02-30}\n",
     "not a real date", 5),
    ("years:\n  - year: 2030\n    notice: 某某通知某某\n    holidays:\n      - {date: 2030-02-01}\n"
     "    workdays:\n      - {date: 2030-02-01}\n", "both as a holiday and as a working day", 7),
    ("years:\n  - year: 2030\n    notice: 某某通知某某\n  - year: 2030\n    notice: 某某通知某某\n",
     "listed twice", 4),
    ("years:\n  - year: 2030\n    notice: 某某通知某某\n    holiday: []\n", "spelling", 4),
])
def test_bad_calendar_file_is_a_config_error(tmp_path, text, fragment, line):
    write_calendar(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_calendar(tmp_path, TZ)
    assert fragment in str(info.value)
    assert "calendar.yml" in str(info.value)
    assert info.value.line == line


_KEPT_PROBE = """
import hashlib, json, sys
from govpub.calendar.sources import package_calendar
years, rules = package_calendar()
shown = json.dumps(sorted((d.isoformat(), r.working, r.name, r.source) for d, r in rules.items()),
                   ensure_ascii=False)
print(json.dumps({"years": sorted(years), "rules": hashlib.sha256(shown.encode()).hexdigest(),
                  "count": len(rules), "imported": "holidays" in sys.modules}))
"""


def _package_calendar_in_a_new_process(cache) -> dict:
    import json
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _KEPT_PROBE], capture_output=True, text=True,
                          env={**os.environ, "GOVPUB_CACHE_DIR": str(cache)}, check=True)
    return json.loads(done.stdout)


def test_the_package_s_days_are_kept_and_read_back_without_importing_it(tmp_path):
    first = _package_calendar_in_a_new_process(tmp_path)
    assert first["imported"] and first["count"] > 300 and 2026 in first["years"]
    second = _package_calendar_in_a_new_process(tmp_path)
    assert not second["imported"]
    assert {**second, "imported": True} == first


def test_a_damaged_or_foreign_kept_calendar_is_computed_again(tmp_path):
    from govpub.calendar import sources
    from govpub.sealed import keep_sealed

    first = _package_calendar_in_a_new_process(tmp_path)
    kept = tmp_path / "holidays.kept"
    blob = bytearray(kept.read_bytes())
    blob[-1] ^= 1
    kept.write_bytes(bytes(blob))
    again = _package_calendar_in_a_new_process(tmp_path)
    assert again == first  # imported and computed again, the same
    # kept for another installation of the package (another key): not trusted either
    keep_sealed(kept, sources._KEPT_FORMAT, (("elsewhere",), frozenset({2001}), {}))
    assert _package_calendar_in_a_new_process(tmp_path) == first
