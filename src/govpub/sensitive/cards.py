"""Bank card numbers: 16–19 digits, Luhn-valid, and a card-like prefix or context.

A Luhn check alone passes one random number in ten, and government pages are
full of long numbers (12-digit service item codes, 18-character credit codes,
application numbers). So a number is flagged only when all of these hold:

- 16 to 19 digits, plain or in groups of 4 separated by one space or hyphen,
  standing alone (no digit or letter glued to either end);
- the Luhn checksum is valid;
- it is not a valid resident identity number (that rule reports it);
- *either* it starts with an issuer prefix of a card scheme used in China —
  UnionPay ``62``, Visa ``4``, Mastercard ``51``–``55`` and ``2221``–``2720``,
  JCB ``35``, and the domestic debit ranges ``60``, ``65``, ``9`` —
  *or* the same line names a card (``卡号``, ``银行卡``, ``账号``, ``账户``,
  ``card``).

Documented trade-off: a Luhn-valid 16–19 digit number with a card prefix is
flagged even without context (better a reviewed ``allow`` than a leaked
card); an unrelated long number with another prefix and no context passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from . import Hit, mask_digits
from .ids import is_resident_id18

# look-behind after the first digit: tested only where a digit is (faster on CJK text)
_CARD = re.compile(r"(\d(?<![0-9A-Za-z_\-]\d)(?:\d{3}(?:[ \-]\d{4}){3}(?:[ \-]?\d{1,3})?"
                   r"|\d{15,18}))(?![0-9A-Za-z_])")
_CONTEXT = re.compile(r"卡号|银行卡|储蓄卡|信用卡|借记卡|账号|帐号|账户|帐户|开户|card",
                      re.IGNORECASE)


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        d = int(char)
        if index % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def has_card_prefix(digits: str) -> bool:
    if digits[0] in "49":
        return True
    two, four = int(digits[:2]), int(digits[:4])
    return two in (35, 60, 62, 65) or 51 <= two <= 55 or 2221 <= four <= 2720


def _line_around(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start:] if end < 0 else text[start:end]


def find_cards(text: str, lines: Iterable[tuple[int, int]] | None = None) -> Iterator[Hit]:
    """``lines``: (start, end) spans to scan (see :mod:`.numbers`); None: all of ``text``."""
    for start, end in ((0, len(text)),) if lines is None else lines:
        yield from _cards_in(text, start, end)


def _cards_in(text: str, start: int, end: int) -> Iterator[Hit]:
    for m in _CARD.finditer(text, start, end):
        digits = re.sub(r"\D", "", m.group(1))
        if not 16 <= len(digits) <= 19 or not luhn_ok(digits):
            continue
        if len(digits) == 18 and is_resident_id18(digits):
            continue
        if not has_card_prefix(digits) and not _CONTEXT.search(_line_around(text, m.start())):
            continue
        yield Hit(m.start(1), m.end(1), mask_digits(digits, 4, 4))
