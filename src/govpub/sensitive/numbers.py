"""Which lines of a text may hold a long number: the only lines the number detectors scan.

The identity-number, mobile and bank-card detectors (:mod:`.ids`,
:mod:`.phones`, :mod:`.cards`) each look for 11 or more digits, written
together or in groups split by single spaces or hyphens. Most text is
Chinese prose with none of that, and scanning every character of it with
three patterns cost more than any other check (a regex scan costs some ten
times a plain substring search). So each text segment is looked at once,
with substring searches only, and the lines worth scanning are kept with it
(``Segment.number_lines``):

- with every character that is not ASCII turned into ``?`` (offsets stay),
  digits into ``0`` and spaces and hyphens into ``-``, a number the
  detectors find written in ASCII digits shows as eleven ``0`` in a row or
  as ``0000-0000`` (a mobile written 3-4-4, a card 4-4-4-4): the lines where
  one of those shows are kept;
- the patterns' ``\\d`` also matches digits that are not ASCII (full-width
  ``１２３``, other scripts' digits): a text with any character that could be
  one (full-width digits; in UTF-8, a character from U+0640 to U+1FFF, from
  U+A000 to U+AFFF, or beyond U+FFFF — every decimal digit of Unicode is
  there, ``tests/test_sensitive_detectors.py`` checks all of them) is
  scanned whole, as before.

A detector run on the kept lines finds exactly what it finds in the whole
text: none of its matches crosses a line, and what it looks at around a match
(the character before and after) stays within the line or is the line break.
"""

from __future__ import annotations

#: UTF-8 lead bytes of U+0640..U+07FF, U+0800..U+1FFF, U+A000..U+AFFF and of every
#: character beyond U+FFFF; deleting all other bytes leaves nothing when none is there
_DIGIT_LEADS = frozenset(range(0xD9, 0xE2)) | {0xEA} | frozenset(range(0xF0, 0xF5))
_NOT_DIGIT_LEADS = bytes(b for b in range(256) if b not in _DIGIT_LEADS)
_FULL_WIDTH_DIGITS = "０１２３４５６７８９"

#: ASCII digits -> "0", space and hyphen -> "-", line feed kept, anything else -> "x"
_SHAPES = bytes(ord("0") if chr(b).isdigit() and b < 128 else ord("-") if b in b" -"
                else b if b == ord("\n") else ord("x") for b in range(256))
#: the shapes every number the detectors find has somewhere in it, in ASCII digits
_NUMBER_SHAPES = (b"0" * 11, b"0000-0000")


def may_hold_other_digits(text: str) -> bool:
    """True when ``text`` has a character that could be a decimal digit other than 0-9."""
    if any(digit in text for digit in _FULL_WIDTH_DIGITS):
        return True
    return bool(text.encode("utf-8", "surrogatepass").translate(None, _NOT_DIGIT_LEADS))


def number_lines(text: str) -> tuple[tuple[int, int], ...] | None:
    """(start, end) of every line of ``text`` that may hold a long number, in order;
    None when the whole text must be scanned (it may hold digits other than 0-9).

    ``end`` is the line's line feed (or the end of the text), so a pattern searched
    with ``pattern.finditer(text, start, end)`` sees the line as in ``text``.
    """
    if may_hold_other_digits(text):
        return None
    shapes = text.encode("ascii", "replace").translate(_SHAPES)  # offsets = text's offsets
    nearest = [shapes.find(shape) for shape in _NUMBER_SHAPES]
    spans = []
    while True:
        found = [at for at in nearest if at >= 0]
        if not found:
            return tuple(spans)
        at = min(found)
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        spans.append((start, end))
        nearest = [shapes.find(shape, end) if 0 <= near < end else near
                   for near, shape in zip(nearest, _NUMBER_SHAPES, strict=True)]
