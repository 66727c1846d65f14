"""Feed dates parsed by rules we can defend, not by feedparser's guesses.

feedparser reads ``CST`` as US Central time, treats a time without a zone as
UTC, misreads ``2026/11/20 10:00`` and ``2026年11月20日 10:00`` and returns
nothing for ``GMT+8``. Central Government feeds use all of these. So the raw
string is re-parsed here:

* ``CST`` and ``BJT`` are China Standard Time (+08:00) — on a Chinese
  government feed that is what they mean;
* a time without a zone is in the feed's configured zone (default
  Asia/Shanghai), never UTC;
* a date without a time is midnight in that zone;
* ``GMT+8``, ``UTC+08:00``, ``+0800``, ``+08`` and ``Z`` are offsets;
* RFC 822 (``Fri, 20 Nov 2026 10:00:00 +0800``), ISO 8601, ``2026/11/20
  10:00``, ``2026.11.20``, ``2026年11月20日 10时00分``, full-width digits and
  www.gov.cn's page metadata form ``2026-11-20-10:00:00``.

Anything else is ``None``: the caller counts the deadline from first-seen
and says so. Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone, tzinfo

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}

#: named zones; CST is China Standard Time on purpose (see module docstring)
_NAMED_ZONES = {
    "z": 0, "ut": 0, "utc": 0, "gmt": 0,
    "cst": 8 * 60, "bjt": 8 * 60, "hkt": 8 * 60,
    "jst": 9 * 60, "kst": 9 * 60,
    "est": -5 * 60, "edt": -4 * 60, "cdt": -5 * 60,
    "mst": -7 * 60, "mdt": -6 * 60, "pst": -8 * 60, "pdt": -7 * 60,
}

_ZONE = r"(?P<zone>[a-z]{1,5}(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{1,2}(?::?\d{2})?)"
_TIME = r"(?P<h>\d{1,2})[:时](?P<mi>\d{2})(?:[:分](?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?秒?分?"

_NUMERIC = re.compile(
    r"^(?P<y>\d{4})[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
    r"(?:(?:t|\s+|-|\s*)" + _TIME + r")?\s*" + _ZONE + r"?$")
_RFC822 = re.compile(
    r"^(?:[a-z]{3,9},?\s*)?(?P<d>\d{1,2})\s+(?P<mon>[a-z]{3})[a-z]*\.?\s+(?P<y>\d{2,4})"
    r"(?:\s+" + _TIME + r")?\s*" + _ZONE + r"?$")


def _offset_minutes(zone: str) -> int | None:
    zone = zone.replace(" ", "")
    match = re.fullmatch(r"([a-z]*)(?:([+-])(\d{1,2})(?::?(\d{2}))?)?", zone)
    if not match:
        return None
    name, sign, hours, minutes = match.groups()
    base = 0
    if name:
        if name not in _NAMED_ZONES:
            return None
        base = _NAMED_ZONES[name]
        if sign and name not in ("gmt", "utc", "ut"):
            return None  # "CST+8" is nonsense: refuse rather than guess
    if sign:
        offset = int(hours) * 60 + int(minutes or 0)
        if int(hours) > 14 or int(minutes or 0) > 59:
            return None
        base += offset if sign == "+" else -offset
    return base


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"\s+", " ", text)
    # weekday names in Chinese ("星期五", "周五") and parenthesised notes carry nothing
    text = re.sub(r"[(（]?(星期|周)[一二三四五六日天][)）]?", " ", text).strip()
    return text


def parse_feed_date(raw: object, default_tz: tzinfo) -> datetime | None:
    """An aware datetime for a raw feed date string, or None when it can't be trusted."""
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 200:
        return None
    text = _normalize(raw)
    match = _NUMERIC.match(text) or _RFC822.match(text)
    if not match:
        return None
    parts = match.groupdict()
    try:
        year = int(parts["y"])
        if year < 100:
            year += 2000
        month = int(parts["mo"]) if parts.get("mo") else _MONTHS.get(parts["mon"])
        if month is None:
            return None
        fraction = parts.get("frac") or "0"
        micro = int((fraction + "000000")[:6])
        hour = int(parts["h"] or 0)
        minute = int(parts["mi"] or 0)
        second = int(parts["s"] or 0)
        extra_day = hour == 24 and minute == 0 and second == 0
        parsed = datetime(year, month, int(parts["d"]), 0 if extra_day else hour, minute,
                          second, micro)
        if extra_day:
            parsed += timedelta(days=1)
    except (ValueError, TypeError):
        return None
    if parts.get("zone"):
        offset = _offset_minutes(parts["zone"])
        if offset is None:
            return None
        return parsed.replace(tzinfo=timezone(timedelta(minutes=offset)))
    return parsed.replace(tzinfo=default_tz)


def entry_date(entry: dict, default_tz: tzinfo) -> tuple[datetime | None, str | None]:
    """The item's own time from a feedparser entry: (parsed, raw string)."""
    for key in ("published", "pubdate", "dc_date", "date", "created", "issued", "updated"):
        raw = entry.get(key)
        if isinstance(raw, str) and raw.strip():
            return parse_feed_date(raw, default_tz), raw.strip()[:200]
    return None, None
