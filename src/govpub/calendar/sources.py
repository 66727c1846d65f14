"""Where working days come from: the ``holidays`` package and ``site_config/calendar.yml``.

Why ``holidays`` and not ``chinesecalendar``: both transcribe the State
Council's annual notices including the adjusted working days (调休). The
``holidays`` package (already a dependency) carries them from 2001 through
the newest notice it has (2026 in 0.109, checked against 国办发明电〔2025〕7号:
4 Jan, 14 Feb, 28 Feb, 9 May, 20 Sep and 10 Oct 2026 are working days) and
is updated for each new notice; ``chinesecalendar`` covers 2004 onwards and
raises for later years. What ``holidays`` does *not* do is refuse a year it
has no notice for: it silently returns estimated lunar holidays without the
adjusted working days. So coverage is decided here, from the years the
package has notice data for (``ChinaStaticHolidays.special_public_holidays``),
and everything else fails closed (see :mod:`govpub.calendar.workdays`).

What the package says is kept in govpub's cache folder (:func:`package_calendar`),
keyed by the status of the package's files: importing ``holidays`` (it loads
every country) and computing 26 years of China's days took 0.15–0.3 s of
every ``govpub build`` (the comments page counts working days).
"""

from __future__ import annotations

import importlib.util
import os
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ..config import CONFIG_DIR, load_config_file
from ..errors import ConfigError
from ..filetree import file_status
from ..i18n import _
from ..yamlstrict import YamlResult
from .workdays import DayRule, WorkCalendar

PACKAGE_SOURCE = "holidays package"
FIRST_PACKAGE_YEAR = 2001  # the package is checked against the notices from 2001 onwards


def package_years() -> frozenset[int]:
    """Years for which the installed ``holidays`` package has the State Council's schedule."""
    return package_calendar()[0]


def _package_years() -> frozenset[int]:
    from holidays.countries.china import ChinaStaticHolidays

    last = max(ChinaStaticHolidays.special_public_holidays)
    return frozenset(range(FIRST_PACKAGE_YEAR, last + 1))


#: the files of the package whose status keys what is kept of it (any reinstall or upgrade
#: writes them anew: new inode, size or time)
_PACKAGE_FILES = ("__init__.py", "version.py", "countries/china.py")
_KEPT_FORMAT = b"govpub-holidays-1\n"
_known: dict[tuple, tuple[frozenset[int], dict[date, DayRule]]] = {}


def _package_key() -> tuple | None:
    """The status of the installed package's files, without importing it (None: unknown)."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = next(iter(spec.submodule_search_locations))
    key = [folder]
    for name in _PACKAGE_FILES:
        status = file_status(os.path.join(folder, name))
        if status is None:
            return None
        key.append((name, *status))
    return tuple(key)


def package_calendar() -> tuple[frozenset[int], dict[date, DayRule]]:
    """(:func:`package_years`, :func:`package_rules` of those years): from this process's
    memory or the cache folder when the package's files are as they were, else computed
    (and kept). What is read back must be exactly what was kept: else it is computed."""
    from ..cachedir import cache_root
    from ..sealed import keep_sealed, read_sealed

    key = _package_key()
    if key is not None and key in _known:
        return _known[key]
    path = cache_root() / "holidays.kept" if key is not None else None
    kept = read_sealed(path, _KEPT_FORMAT)
    if isinstance(kept, tuple) and len(kept) == 3 and kept[0] == key \
            and _well_formed(kept[1], kept[2]):
        value = (kept[1], kept[2])
    else:
        years = _package_years()
        value = (years, package_rules(years))
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                keep_sealed(path, _KEPT_FORMAT, (key, *value))
            except OSError:
                pass  # computed again next time
    if key is not None:
        _known[key] = value
    return value


def _well_formed(years, rules) -> bool:
    return isinstance(years, frozenset) and all(isinstance(y, int) for y in years) \
        and isinstance(rules, dict) and all(
            isinstance(day, date) and isinstance(rule, DayRule) and rule.day == day
            for day, rule in rules.items())


def package_rules(years) -> dict[date, DayRule]:
    """Holidays and adjusted working days from the package, for the given years."""
    import holidays

    years = sorted(years)
    if not years:
        return {}
    calendar = holidays.China(years=years)
    rules = {}
    for day, name in calendar.items():
        if day.year in years:
            rules[day] = DayRule(day, False, str(name), PACKAGE_SOURCE)
    for day in calendar.weekend_workdays:
        if day.year in years:
            rules[day] = DayRule(day, True, "调休上班", PACKAGE_SOURCE)
    return rules


def _entry_days(entry: dict, year: int, shown: Path, line: int) -> list[date]:
    try:
        if "date" in entry:
            days = [date.fromisoformat(entry["date"])]
        else:
            first, last = date.fromisoformat(entry["from"]), date.fromisoformat(entry["to"])
            if last < first or (last - first).days > 60:
                raise ConfigError(
                    _("range {first}..{last} is reversed or longer than 60 days").format(
                        first=entry["from"], last=entry["to"]), path=shown, line=line,
                    hint=_("give the first and last day of one holiday"))
            days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    except ValueError:
        raise ConfigError(_("{entry} is not a real date").format(entry=entry), path=shown,
                          line=line, hint=_("write dates as YYYY-MM-DD")) from None
    for day in days:
        if day.year != year:
            raise ConfigError(_("{day} is listed under year {year}").format(day=day, year=year),
                              path=shown, line=line,
                              hint=_("move it to the entry for its own year"))
    return days


def hand_entries(data: dict, shown: Path, parsed: YamlResult | None = None
                 ) -> tuple[dict[date, DayRule], set[int]]:
    """Day rules and fully covered years from the parsed ``calendar.yml``
    (``parsed``: its lines, for errors)."""
    parsed = parsed or YamlResult()
    rules: dict[date, DayRule] = {}
    complete: set[int] = set()
    seen_years: set[int] = set()
    for index, year_entry in enumerate(data.get("years") or []):
        year = year_entry["year"]
        if year in seen_years:
            raise ConfigError(_("year {year} is listed twice").format(year=year), path=shown,
                              line=parsed.line_of(("years", index, "year")),
                              hint=_("merge the two entries"))
        seen_years.add(year)
        notice = year_entry["notice"]
        if year_entry.get("complete", True):
            complete.add(year)
        for key, working in (("holidays", False), ("workdays", True)):
            for number, entry in enumerate(year_entry.get(key) or []):
                line = parsed.line_of(("years", index, key, number))
                for day in _entry_days(entry, year, shown, line):
                    if day in rules and rules[day].working != working:
                        raise ConfigError(_("{day} is listed both as a holiday and as a "
                                            "working day").format(day=day), path=shown,
                                          line=line)
                    rules[day] = DayRule(day, working, entry.get("name", key), notice)
    return rules, complete


def load_calendar(root: Path, tz: ZoneInfo) -> WorkCalendar:
    """The site's working-day calendar: the package, corrected by ``calendar.yml``."""
    path = Path(root) / CONFIG_DIR / "calendar.yml"
    data, parsed = load_config_file(path, "calendar", required=False, default={},
                                    root=Path(root), with_lines=True)
    hand, hand_complete = hand_entries(data, Path(CONFIG_DIR) / "calendar.yml", parsed)
    years, package = package_calendar()
    covered = years | hand_complete
    rules = dict(package)
    # a complete hand-entered year replaces whatever the package guessed for it
    for year in hand_complete - years:
        rules = {d: r for d, r in rules.items() if d.year != year}
    rules.update(hand)
    return WorkCalendar(tz=tz, rules=rules, covered_years=frozenset(covered))
