"""Mainland mobile numbers: personal data, unlike the agency's public numbers.

A mobile number is 11 digits starting ``13``–``19``, written plain
(``13812345678``), grouped 3-4-4 with spaces or hyphens, optionally with
``+86``/``0086``. It must stand alone: a digit, letter or ``_`` right before
or after it means it is part of something longer (a 12-digit service item
code, an order number, a URL id) and is not flagged.

Never flagged, by construction: hotlines (``12330``, ``12345``, ``95xxx``
are 5 digits), landlines (``010-62356655``, ``0571-8888 6666`` start with
``0``), dates and document numbers (no 11-digit run starting ``1[3-9]``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from . import Hit

# look-behind after the first digit: tested only where a "1" is (much faster on CJK text)
_MOBILE = re.compile(r"(1(?<![0-9A-Za-z_.+]1)[3-9]\d)([ \-]?)(\d{4})\2(\d{4})(?![0-9A-Za-z_])")
_PREFIXED = re.compile(
    r"(?<![0-9A-Za-z_.])(?:\+|00)86[ \-]?(1[3-9]\d)([ \-]?)(\d{4})\2(\d{4})(?![0-9A-Za-z_])")


def find_mobiles(text: str, lines: Iterable[tuple[int, int]] | None = None) -> Iterator[Hit]:
    """``lines``: (start, end) spans to scan (see :mod:`.numbers`); None: all of ``text``."""
    spans = ((0, len(text)),) if lines is None else tuple(lines)
    seen = set()
    if "86" in text:  # +86 / 0086: the digit before the number is part of the prefix
        for start, end in spans:
            for m in _PREFIXED.finditer(text, start, end):
                seen.add(m.start(1))
                yield Hit(m.start(), m.end(), f"{m.group(1)}****{m.group(4)}")
    for start, end in spans:
        for m in _MOBILE.finditer(text, start, end):
            if m.start() not in seen:
                yield Hit(m.start(), m.end(), f"{m.group(1)}****{m.group(4)}")
