"""Turning hostile front-matter values into clean, deterministic output values.

The gate validates front matter against the type schemas, but the open data
must stay well-formed even if a schema is loosened later: every value read
from a page goes through these helpers, which never raise.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, tzinfo

from ..timeparse import DateFormatError, parse_datetime

#: characters XML 1.0 forbids and spreadsheets/terminals misread
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

DEPTH_LABELS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def clean_text(value) -> str:
    """A one-line-safe string: None → "", control characters removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _CONTROL.sub("", str(value)).strip()


def optional_text(value) -> str | None:
    text = clean_text(value)
    return text or None


def as_int(value) -> int | None:
    """An integer or None; bools and floats with a fraction are not integers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", value):
        return int(value)
    return None


def text_list(value) -> list[str]:
    """A list of non-empty strings from a list (or a single scalar)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict | list):
            continue
        text = clean_text(item)
        if text:
            out.append(text)
    return out


def jsonable(value):
    """A JSON-safe deep copy: string keys, cleaned strings, dates as ISO text."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {clean_text(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return clean_text(value)


def iso(moment: datetime | None, tz: tzinfo) -> str | None:
    """RFC 3339 in the site's time zone, whole seconds: 2026-11-20T10:00:00+08:00."""
    if moment is None:
        return None
    return moment.astimezone(tz).isoformat(timespec="seconds")


def iso_from_meta(value, tz: tzinfo) -> str | None:
    """A front-matter date normalised to RFC 3339, or None when absent or unreadable."""
    if value is None or value == "":
        return None
    try:
        return iso(parse_datetime(value, tz), tz)
    except DateFormatError:
        return None


def dump_json(data, memo=None) -> bytes:
    """The one JSON serialisation of the open data: sorted keys, UTF-8, trailing newline.

    ``memo`` (a :class:`~govpub.opendata.jsonmemo.JsonMemo`) gives the very same text
    without encoding again the values it has seen."""
    text = memo.dumps(data) if memo is not None else json.dumps(
        data, ensure_ascii=False, sort_keys=True, indent=2)
    return (text + "\n").encode("utf-8")
