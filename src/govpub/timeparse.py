"""Dates in front matter: ISO 8601, local to the site's time zone when no offset is given."""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo

from .i18n import _

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


class DateFormatError(ValueError):
    pass


def parse_datetime(value, tz: tzinfo) -> datetime:
    """Parse a front-matter date or date-time; naive values are in ``tz``.

    Raises DateFormatError with an example of the expected form.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        if _DATE_ONLY.match(text):
            try:
                parsed = datetime.combine(date.fromisoformat(text), time())
            except ValueError as exc:
                raise DateFormatError(_("{value!r} is not a real date ({problem})").format(
                    value=text, problem=exc)) from None
        elif _DATE_TIME.match(text):
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError as exc:
                raise DateFormatError(_("{value!r} is not a real date-time ({problem})").format(
                    value=text, problem=exc)) from None
        else:
            raise DateFormatError(
                _("{value!r} is not an ISO 8601 date-time — write e.g. "
                  "2026-11-20T10:00:00+08:00").format(value=text))
    else:
        raise DateFormatError(
            _("expected an ISO 8601 date-time, got {kind} {value!r}").format(
                kind=type(value).__name__, value=value))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def parse_now(text: str | None, tz: tzinfo) -> datetime:
    """The ``--now`` option: a date-time, default the real current time."""
    if text is None:
        return datetime.now(tz)
    return parse_datetime(text, tz)
