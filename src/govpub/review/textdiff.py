"""Differences between two texts at the scale a reader notices: characters for
Chinese, words for Latin script.

A line-based diff shows a 100-character paragraph replaced when 1月 became
2月. Here the comparison runs at two levels, as ``difflib.Differ`` does:
first the units (paragraphs, lines, PDF pages) are matched, then inside each
block of changed units the *tokens* — every CJK character on its own, every
run of Latin letters or digits as one word, every other character on its own
— so the result reads ``2026年[-1-]{+2+}月``.

Pure functions over strings; nothing here knows about files or git.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

EQUAL, DELETE, INSERT = "=", "-", "+"

#: one token: a Latin/Greek/Cyrillic word or number, a run of spaces, or one other character
#: (so each Chinese character is a token of its own)
_TOKEN = re.compile(
    r"[0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]+"
    r"(?:['’.\-][0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]+)*"
    r"|[^\S\n]+|.", re.S)

#: above this many token comparisons a changed block is shown as removed and added whole:
#: the token matcher is quadratic, and such a block was rewritten anyway
MAX_TOKEN_WORK = 4_000_000


@dataclass(frozen=True)
class Piece:
    """A run of text that is kept (``=``), removed (``-``) or added (``+``)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Hunk:
    """One block of changed units: where it starts (1-based unit numbers on each side)
    and its pieces, equal text included so it reads as a whole."""

    old_start: int
    new_start: int
    pieces: tuple[Piece, ...]

    @property
    def added(self) -> str:
        return "".join(p.text for p in self.pieces if p.kind == INSERT)

    @property
    def removed(self) -> str:
        return "".join(p.text for p in self.pieces if p.kind == DELETE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _merge(pieces: list[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if out and out[-1].kind == piece.kind:
            out[-1] = Piece(piece.kind, out[-1].text + piece.text)
        else:
            out.append(piece)
    return out


def _order(pieces: list[Piece]) -> list[Piece]:
    """Within each run of changes, removed text before added text."""
    out: list[Piece] = []
    run: list[Piece] = []
    for piece in [*pieces, Piece(EQUAL, "")]:
        if piece.kind == EQUAL:
            removed = "".join(p.text for p in run if p.kind == DELETE)
            added = "".join(p.text for p in run if p.kind == INSERT)
            out += [Piece(DELETE, removed), Piece(INSERT, added), piece]
            run = []
        else:
            run.append(piece)
    return _merge(out)


def _absorb_slivers(pieces: list[Piece]) -> list[Piece]:
    """Fold a kept sliver (one character, or blank) lying between two changes into both
    sides: ``[-ab-]{+cd+}`` reads better than ``[-a-]{+c+}的[-b-]{+d+}`` when almost
    everything changed."""
    out = list(pieces)
    changed = True
    while changed:
        changed = False
        for i in range(1, len(out) - 1):
            piece = out[i]
            if piece.kind != EQUAL or (len(piece.text) > 1 and piece.text.strip()):
                continue
            if out[i - 1].kind == EQUAL or out[i + 1].kind == EQUAL:
                continue
            out[i:i + 1] = [Piece(DELETE, piece.text), Piece(INSERT, piece.text)]
            out = _order(out)
            changed = True
            break
    return out


def diff_tokens(old: str, new: str) -> list[Piece]:
    """Token-level pieces turning ``old`` into ``new``."""
    a, b = tokens(old), tokens(new)
    if len(a) * len(b) > MAX_TOKEN_WORK:
        return _merge([Piece(DELETE, old), Piece(INSERT, new)])
    pieces: list[Piece] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece(EQUAL, "".join(a[i1:i2])))
            continue
        pieces.append(Piece(DELETE, "".join(a[i1:i2])))
        pieces.append(Piece(INSERT, "".join(b[j1:j2])))
    return _absorb_slivers(_order(_merge(pieces)))


#: how alike two units must be to count as one unit edited rather than one removed and
#: another added (difflib's ratio: 2 × matching characters / all characters)
SAME_UNIT_RATIO = 0.5


def pair_similar(olds: list[str], news: list[str]) -> list[tuple[int, int]]:
    """Pairs (old index, new index), in order on both sides, of the units most alike;
    a unit without a counterpart alike enough stays unpaired."""
    pairs = []
    start = 0
    for i, old in enumerate(olds):
        best, best_ratio = None, SAME_UNIT_RATIO
        for j in range(start, len(news)):
            matcher = SequenceMatcher(None, old, news[j], autojunk=False)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = j, ratio
        if best is not None:
            pairs.append((i, best))
            start = best + 1
    return pairs


def _replaced(old: list[str], new: list[str], i1: int, j1: int) -> list[Hunk]:
    """Hunks for a block of units replaced by another: one unit by one is diffed token by
    token; otherwise units alike are paired and the rest shown removed or added whole."""
    if len(old) == 1 and len(new) == 1:
        return [Hunk(i1 + 1, j1 + 1, tuple(diff_tokens(old[0], new[0])))]
    hunks = []
    oi = nj = 0
    for pi, pj in [*pair_similar(old, new), (len(old), len(new))]:
        if oi < pi:
            hunks.append(Hunk(i1 + oi + 1, j1 + nj + 1, (Piece(DELETE, "\n".join(old[oi:pi])),)))
        if nj < pj:
            hunks.append(Hunk(i1 + pi + 1, j1 + nj + 1, (Piece(INSERT, "\n".join(new[nj:pj])),)))
        if pi < len(old) and old[pi] != new[pj]:
            hunks.append(Hunk(i1 + pi + 1, j1 + pj + 1, tuple(diff_tokens(old[pi], new[pj]))))
        oi, nj = pi + 1, pj + 1
    return hunks


def diff_units(old: list[str], new: list[str]) -> list[Hunk]:
    """Hunks between two lists of units (paragraphs, lines): units are matched first, then
    changed units token by token."""
    hunks: list[Hunk] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete":
            hunks.append(Hunk(i1 + 1, j1 + 1, (Piece(DELETE, "\n".join(old[i1:i2])),)))
        elif tag == "insert":
            hunks.append(Hunk(i1 + 1, j1 + 1, (Piece(INSERT, "\n".join(new[j1:j2])),)))
        elif tag == "replace":
            hunks += _replaced(old[i1:i2], new[j1:j2], i1, j1)
    return hunks


def diff_text(old: str, new: str) -> list[Hunk]:
    """Hunks between two texts, matched line by line, then token by token."""
    return diff_units(old.split("\n") if old else [], new.split("\n") if new else [])


# -- showing pieces --------------------------------------------------------------------------

#: kept text longer than this inside a hunk is shortened around the changes
CONTEXT_CHARS = 30


def _trim(text: str, *, first: bool, last: bool) -> str:
    """Shorten kept text, keeping CONTEXT_CHARS next to each change it touches."""
    keep = CONTEXT_CHARS
    if len(text) <= 2 * keep + 1:
        return text
    if first:
        return "…" + text[-keep:]
    if last:
        return text[:keep] + "…"
    return text[:keep] + "…" + text[-keep:]


def plain_pieces(pieces, *, style=None, trim: bool = True) -> str:
    """``kept [-removed-]{+added+} kept``, as ``git diff --word-diff=plain`` writes it.

    ``style(kind, text)`` may colour the marked text (for a terminal).
    """
    pieces = list(pieces)
    out = []
    for index, piece in enumerate(pieces):
        if piece.kind == EQUAL:
            text = piece.text
            if trim:
                text = _trim(text, first=index == 0, last=index == len(pieces) - 1)
            out.append(text)
            continue
        marked = f"[-{piece.text}-]" if piece.kind == DELETE else f"{{+{piece.text}+}}"
        out.append(style(piece.kind, marked) if style else marked)
    return "".join(out)


__all__ = ["DELETE", "EQUAL", "INSERT", "Hunk", "Piece", "diff_text", "diff_tokens",
           "diff_units", "pair_similar", "plain_pieces", "tokens"]
