"""Text as a terminal shows it: a Chinese character takes two columns.

Python's ``str.ljust`` and ``f"{text:<10}"`` count characters, so a column of
Chinese words printed with them runs out of line with the next one. Every
table or caret a person reads in a terminal pads with :func:`pad`.
"""

from __future__ import annotations

import unicodedata


def char_width(char: str) -> int:
    """Columns one character takes: 2 for wide and full-width (East Asian W, F), else 1."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal."""
    return sum(char_width(char) for char in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` columns (never cut: a longer text stays)."""
    return text + " " * max(0, width - display_width(text))
