"""PRC resident identity numbers (GB 11643-1999).

18-character form: 6-digit region code (first digit 1–8), birth date
YYYYMMDD, 3-digit sequence, check character (ISO 7064 MOD 11-2, ``0-9`` or
``X``). A number is flagged only when the check character is right *and*
the birth date is a real date between 1900 and today — together these cut
random 18-digit numbers (order numbers, long codes) to well under 1 in 100.

15-character form (issued before 1999, no check digit): region code,
birth date YYMMDD (19YY), 3-digit sequence. Without a check digit it is
flagged only with a real calendar date *and* a region code whose first two
digits are a real province code, which keeps 15-digit serials out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from ..i18n import N_
from . import Hit, mask_digits

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
PROVINCES = frozenset({11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
                       43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
                       83, 91})
# The "not glued to a digit or letter" look-behind sits after the first digit: tested
# only where a digit is, it keeps the scan of CJK text about four times faster.
_ID18 = re.compile(r"([1-9](?<![0-9A-Za-z][1-9])\d{16}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"([1-9](?<![0-9A-Za-z][1-9])\d{14})(?![0-9A-Za-z])")


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def _real_date(year: int, month: int, day: int, today: date) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= today


def is_resident_id18(value: str, today: date | None = None) -> bool:
    if len(value) != 18 or not value[:17].isdigit() or int(value[:2]) not in PROVINCES:
        return False
    today = today or date.today()
    if not _real_date(int(value[6:10]), int(value[10:12]), int(value[12:14]), today):
        return False
    return check_char(value[:17]) == value[17].upper()


def is_resident_id15(value: str, today: date | None = None) -> bool:
    if len(value) != 15 or not value.isdigit() or int(value[:2]) not in PROVINCES:
        return False
    return _real_date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]),
                      today or date.today())


def find_resident_ids(text: str, today: date | None = None,
                      lines: Iterable[tuple[int, int]] | None = None) -> Iterator[Hit]:
    """``lines``: (start, end) spans to scan (see :mod:`.numbers`); None: all of ``text``."""
    spans = ((0, len(text)),) if lines is None else tuple(lines)
    for start, end in spans:
        for m in _ID18.finditer(text, start, end):
            if is_resident_id18(m.group(1), today):
                yield Hit(m.start(1), m.end(1), mask_digits(m.group(1), 4, 2), N_("18-digit"))
    for start, end in spans:
        for m in _ID15.finditer(text, start, end):
            if is_resident_id15(m.group(1), today):
                yield Hit(m.start(1), m.end(1), mask_digits(m.group(1), 4, 2), N_("15-digit"))
