"""``site_config/feeds.yml`` and ``site_config/duty.yml``: loaded, validated, typed.

Both files go through :func:`govpub.config.load_config_file` (JSON Schema,
strict YAML), then through the checks a schema cannot express (unique feed
ids, known people, real time zones, shifts that end after they start). Every
problem is a :class:`~govpub.errors.ConfigError` with file and key line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..config import CONFIG_DIR, load_config_file
from ..errors import ConfigError
from ..i18n import _
from .dates import parse_feed_date
from .identity import normalize_url
from .listpage import PageSpec
from .presets import PAGE_DEFAULTS, PRESETS, with_preset
from .validate import target_problem, url_problem

DEFAULT_TZ = "Asia/Shanghai"
STATE_VARIABLE = "GOVPUB_WATCH_STATE"  # wins over state: (a password stays out of git)
PG_SCHEMES = ("postgresql://", "postgres://")
DEFAULT_STATE = ".govpub/watch.sqlite3"
DEFAULT_USER_AGENT = "govpub-watch/0.1 (+reproduction duty watcher)"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_MAX_ITEMS = 1000


@dataclass(frozen=True)
class SiteSource:
    """Where published reproductions are listed: a local built site or a deployed one."""

    path: Path | None = None
    url: str | None = None

    def describe(self) -> str:
        return self.url or str(self.path)


@dataclass(frozen=True)
class Feed:
    """One watched source: an RSS/Atom feed (``kind: feed``) or an HTML list page."""

    id: str
    url: str
    publisher: str
    timezone: ZoneInfo
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    deadline_hours: float
    poll_minutes: float
    site: SiteSource
    enabled: bool = True
    kind: str = "feed"
    links: str | None = None  # list pages: CSS selector of the item links
    link_pattern: re.Pattern | None = None
    page: PageSpec = field(default_factory=PageSpec)
    max_items: int = DEFAULT_MAX_ITEMS


@dataclass(frozen=True)
class FeedsConfig:
    root: Path
    timezone: ZoneInfo
    state_path: Path | None  # SQLite (one machine); None when the state is in PostgreSQL
    user_agent: str
    timeout_seconds: float
    max_bytes: int
    max_redirects: int
    max_failures: int
    blind_after_minutes: float
    feeds: tuple[Feed, ...]
    state_url: str | None = None  # postgresql://… (two machines under a lease)
    lease_seconds: float = 30.0
    lease_check_seconds: float = 5.0

    def feed(self, feed_id: str) -> Feed | None:
        return next((f for f in self.feeds if f.id == feed_id), None)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Shift:
    person: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class RotationSlot:
    person: str
    days: frozenset[int]  # 0 = Monday
    start: time
    end: time | None  # None = end of day (24:00)


@dataclass(frozen=True)
class DutyConfig:
    timezone: ZoneInfo
    people: dict[str, Person]
    shifts: tuple[Shift, ...] = ()
    rotation: tuple[RotationSlot, ...] = ()
    fallback: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    reminders_hours: tuple[float, ...] = (6.0, 2.0)
    overdue_every_minutes: float = 60.0
    max_attempts: int = 50
    retry_minutes: float = 5.0
    extra: dict = field(default_factory=dict)


def _zone(name: str, shown: Path, line: int) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(_("unknown time zone {name!r}").format(name=name), path=shown,
                          line=line, hint=_("use an IANA name such as Asia/Shanghai")) from None


def _site_source(spec: dict | None, root: Path) -> SiteSource:
    if not spec:
        return SiteSource(path=root / "site")
    if "url" in spec:
        return SiteSource(url=spec["url"])
    path = Path(spec["path"])
    return SiteSource(path=path if path.is_absolute() else root / path)


class _Where:
    """File and line lookups for the problems found after the schema check."""

    def __init__(self, shown: Path, lines) -> None:
        self.shown = shown
        self.lines = lines

    def error(self, message: str, key: tuple, hint: str | None = None) -> ConfigError:
        return ConfigError(message, path=self.shown, line=self.lines.line_of(key), hint=hint)


def _selector(value: str | None, where: _Where, key: tuple) -> str | None:
    if value is None:
        return None
    import soupsieve

    try:
        soupsieve.compile(value)
    except (soupsieve.SelectorSyntaxError, ValueError) as exc:
        raise where.error(_("{key}: {value!r} is not a CSS selector ({error})").format(
            key=".".join(map(str, key)), value=value, error=str(exc).splitlines()[0]), key,
            hint=_("write e.g. h4 a or div.list li > a")) from None
    return value


def _pattern(value: str | None, where: _Where, key: tuple) -> re.Pattern | None:
    if value is None:
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        raise where.error(_("{key}: {value!r} is not a regular expression ({error})").format(
            key=".".join(map(str, key)), value=value, error=exc), key) from None


def _page_spec(spec: dict, where: _Where, base: tuple) -> PageSpec:
    page = {**PAGE_DEFAULTS, **spec.get("page", {})}

    def names(key: str) -> tuple[str, ...]:
        value = page.get(key) or ()
        return (value,) if isinstance(value, str) else tuple(value)

    return PageSpec(
        time_meta=names("time_meta"),
        time_selector=_selector(page.get("time_selector"), where, (*base, "page", "time_selector")),
        time_pattern=_pattern(page.get("time_pattern"), where, (*base, "page", "time_pattern")),
        id_meta=names("id_meta"), column_meta=names("column_meta"),
        title_selector=_selector(page.get("title_selector"), where,
                                 (*base, "page", "title_selector")),
        title_meta=names("title_meta"),
        text_selector=_selector(page["text_selector"], where, (*base, "page", "text_selector")),
        doc_number_labels=names("doc_number_labels"), issuer_labels=names("issuer_labels"))


def default_page() -> PageSpec:
    """The page rules of a source that names none (e.g. a feed item from outside the config)."""
    return _page_spec({}, None, ())


def _source(raw: dict, index: int, data: dict, tz: ZoneInfo, root: Path, where: _Where) -> Feed:
    base = ("feeds", index)
    if "preset" in raw and raw["preset"] not in PRESETS:
        raise where.error(_("unknown preset {name!r}").format(name=raw["preset"]),
                          (*base, "preset"),
                          hint=_("known presets: {names}").format(names=", ".join(PRESETS)))
    spec = with_preset(raw)
    for key in ("url", "publisher"):
        if not spec.get(key):
            raise where.error(_("feeds.{index}: {key} is missing").format(index=index, key=key),
                              base, hint=_("add {key}: or name a preset").format(key=key))
    kind = spec.get("kind", "feed")
    if kind == "html" and not spec.get("links"):
        raise where.error(_("feeds.{index}: an html source needs links: (the CSS selector of "
                            "the item links on the list page)").format(index=index), base)
    problem = url_problem(spec["url"], local_allowed=kind != "html")
    if problem:
        raise where.error(_("feeds.{index}.url: {problem}").format(index=index, problem=problem),
                          (*base, "url"), hint=_("write e.g. https://www.gov.cn/zhengce/zuixin.htm"))
    site = spec.get("site", data.get("site"))
    if site and "url" in site and normalize_url(site["url"]) is None:
        raise where.error(_("site.url {url!r} is not a usable web address").format(
            url=site["url"]), (*base, "site", "url") if "site" in spec else ("site", "url"))
    feed_tz = (_zone(spec["timezone"], where.shown, where.lines.line_of((*base, "timezone")))
               if "timezone" in spec else tz)
    return Feed(
        id=spec["id"], url=spec["url"], publisher=spec["publisher"], timezone=feed_tz,
        include=tuple(spec.get("include", ())), exclude=tuple(spec.get("exclude", ())),
        deadline_hours=float(spec.get("deadline_hours", data.get("deadline_hours", 12))),
        poll_minutes=float(spec.get("poll_minutes", data.get("poll_minutes", 10))),
        site=_site_source(spec.get("site", data.get("site")), root),
        enabled=spec.get("enabled", True), kind=kind,
        links=_selector(spec.get("links"), where, (*base, "links")),
        link_pattern=_pattern(spec.get("link_pattern"), where, (*base, "link_pattern")),
        page=_page_spec(spec, where, base),
        max_items=int(spec.get("max_items", data.get("max_items", DEFAULT_MAX_ITEMS))))


def load_feeds(root: Path) -> FeedsConfig:
    """Read ``site_config/feeds.yml`` under ``root``."""
    root = Path(root).resolve()
    path = root / CONFIG_DIR / "feeds.yml"
    shown = Path(CONFIG_DIR) / "feeds.yml"
    data, lines = load_config_file(path, "feeds", root=root, with_lines=True)
    where = _Where(shown, lines)
    tz = _zone(data.get("timezone", DEFAULT_TZ), shown, lines.line_of(("timezone",)))
    health = data.get("health", {})
    seen: dict[str, int] = {}
    feeds = []
    for index, spec in enumerate(data["feeds"]):
        if spec["id"] in seen:
            raise where.error(
                _("feed id {id!r} is used twice (first at item {first})").format(
                    id=spec["id"], first=seen[spec["id"]]),
                ("feeds", index, "id"), hint=_("give every feed its own id"))
        seen[spec["id"]] = index
        feeds.append(_source(spec, index, data, tz, root, where))
    state = os.environ.get(STATE_VARIABLE) or data.get("state", DEFAULT_STATE)
    state_url = state if state.startswith(PG_SCHEMES) else None
    state_path = None if state_url else Path(state)
    if state_path is not None and not state_path.is_absolute():
        state_path = root / state_path
    lease = data.get("lease", {})
    return FeedsConfig(
        root=root, timezone=tz, state_path=state_path, state_url=state_url,
        lease_seconds=float(lease.get("seconds", 30)),
        lease_check_seconds=float(lease.get("check_seconds", 5)),
        user_agent=data.get("user_agent", DEFAULT_USER_AGENT),
        timeout_seconds=float(data.get("timeout_seconds", 20)),
        max_bytes=int(data.get("max_bytes", 10 * 1024 * 1024)),
        max_redirects=int(data.get("max_redirects", 5)),
        max_failures=int(health.get("max_failures", 3)),
        blind_after_minutes=float(health.get("blind_after_minutes", 60)),
        feeds=tuple(feeds))


def _clock(text: str) -> time | None:
    hours, minutes = map(int, text.split(":"))
    return None if hours == 24 else time(hours, minutes)


def load_duty(root: Path) -> DutyConfig:
    """Read ``site_config/duty.yml`` under ``root``."""
    root = Path(root).resolve()
    path = root / CONFIG_DIR / "duty.yml"
    shown = Path(CONFIG_DIR) / "duty.yml"
    data, lines = load_config_file(path, "duty", root=root, with_lines=True)
    tz = _zone(data.get("timezone", DEFAULT_TZ), shown, lines.line_of(("timezone",)))
    where = _Where(shown, lines)
    people = {pid: Person(pid, spec["name"], tuple(spec["targets"]))
              for pid, spec in data["people"].items()}
    targets = [(("people", pid, "targets", i), target) for pid, spec in data["people"].items()
               for i, target in enumerate(spec["targets"])]
    targets += [(("fallback", i), target) for i, target in enumerate(data["fallback"])]
    for key, target in targets:
        problem = target_problem(target)
        if problem:
            raise where.error(_("alert target {key}: {problem}").format(
                key=".".join(map(str, key)), problem=problem), key,
                hint=_("see docs/watcher.md for the forms of mail, bot and webhook targets"))

    def known(person: str, key: tuple) -> str:
        if person not in people:
            raise where.error(_("{person!r} is not one of the people in this file").format(
                person=person), key, hint=_("use one of {ids} or add them under people:").format(
                ids=", ".join(sorted(people))))
        return person

    shifts = []
    for index, spec in enumerate(data.get("shifts", [])):
        known(spec["person"], ("shifts", index, "person"))
        bounds = []
        for key in ("from", "to"):
            parsed = parse_feed_date(spec[key], tz)
            if parsed is None:
                raise where.error(_("shifts.{index}.{key}: {value!r} is not a date-time").format(
                    index=index, key=key, value=spec[key]), ("shifts", index, key),
                    hint=_("write e.g. 2026-11-20T08:00 (site time zone)"))
            bounds.append(parsed)
        if bounds[1] <= bounds[0]:
            raise where.error(_("shifts.{index}: ends ({end}) before it starts ({start})").format(
                index=index, end=spec["to"], start=spec["from"]), ("shifts", index, "to"))
        shifts.append(Shift(spec["person"], bounds[0], bounds[1]))
    rotation = []
    for index, spec in enumerate(data.get("rotation", [])):
        known(spec["person"], ("rotation", index, "person"))
        start = _clock(spec.get("from", "00:00")) or time(0, 0)
        rotation.append(RotationSlot(spec["person"],
                                     frozenset(WEEKDAYS.index(d) for d in spec["days"]),
                                     start, _clock(spec.get("to", "24:00"))))
    leaders = tuple(known(p, ("leaders", i)) for i, p in enumerate(data.get("leaders", [])))
    return DutyConfig(
        timezone=tz, people=people, shifts=tuple(shifts), rotation=tuple(rotation),
        fallback=tuple(data["fallback"]), leaders=leaders,
        reminders_hours=tuple(sorted(data.get("reminders_hours", [6, 2]), reverse=True)),
        overdue_every_minutes=float(data.get("overdue_every_minutes", 60)),
        max_attempts=int(data.get("max_attempts", 50)),
        retry_minutes=float(data.get("retry_minutes", 5)))
