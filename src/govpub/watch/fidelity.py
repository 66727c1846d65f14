"""Is a reproduction the original, word for word? Pure comparisons, no I/O.

Texts are compared without whitespace (a re-wrapped line, an indent, a
full-width space or a blank line between paragraphs changes nothing in a
Chinese text) and after Unicode NFC normalization; everything else counts —
a changed word, a dropped paragraph, a changed figure. The page may open
with the site's own header note, a block quote (``> 本文转载自…``) that is
not part of the original.

When texts differ, :func:`differing_passages` says where: paragraph by
paragraph, narrowed to the characters that differ, with a little context.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
CONTEXT = 8
MAX_SHOWN = 40
MAX_CHAR_DIFF = 4_000_000  # characters² aligned one by one before falling back
#: the original's text of ``content/<path>`` is kept at ``review/<path>.original.md``
ORIGINAL_SUFFIX = ".original.md"


def original_copy_path(review_dir: Path, content_path: str) -> Path:
    """Where the original's text of a reproduction page is kept (beside its sign-off record)."""
    return Path(review_dir) / (content_path + ORIGINAL_SUFFIX)


def comparable(text: str) -> str:
    """The text as compared: NFC, no whitespace, no invisible characters."""
    return "".join(unicodedata.normalize("NFC", text).translate(_INVISIBLE).split())


def text_digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(comparable(text).encode("utf-8")).hexdigest()


def split_header_note(body: str) -> tuple[int, str]:
    """(lines taken by the leading header note, the text after it)."""
    lines = body.split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index < len(lines) and lines[index].lstrip().startswith(">"):
        while index < len(lines) and lines[index].lstrip().startswith(">"):
            index += 1
    return index, "\n".join(lines[index:])


@dataclass(frozen=True)
class Passage:
    kind: str  # "changed", "missing" (in the copy) or "added" (in the copy)
    original: str
    copy: str
    line: int  # line of the copy's text (1-based, within the compared text)


def _blocks(text: str) -> list[tuple[int, str]]:
    """(first line, comparable text) of each paragraph (blocks between blank lines)."""
    blocks, start, current = [], 0, []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, comparable("\n".join(current))))
            current = []
    if current:
        blocks.append((start, comparable("\n".join(current))))
    return [(line, block) for line, block in blocks if block]


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def _excerpt(text: str, start: int, end: int) -> str:
    """text[start:end] with CONTEXT characters either side, shortened."""
    left = max(0, start - CONTEXT)
    shown = text[left:end + CONTEXT]
    return (("…" if left else "") + _shorten(shown)
            + ("…" if end + CONTEXT < len(text) else ""))


def _char_passages(was: str, now: str, lines: list[tuple[int, int]]) -> list[Passage]:
    """Character-level passages of one differing stretch; ``lines``: (offset, line) in now."""
    def line_at(offset: int) -> int:
        return max((line for start, line in lines if start <= offset), default=lines[0][1])

    if len(was) * len(now) > MAX_CHAR_DIFF:  # too big to align by character: one passage
        return [Passage("changed", _shorten(was), _shorten(now), lines[0][1])]
    found = []
    matcher = difflib.SequenceMatcher(None, was, now, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "delete":
            found.append(Passage("missing", _excerpt(was, i1, i2), "", line_at(j1)))
        elif op == "insert":
            found.append(Passage("added", "", _excerpt(now, j1, j2), line_at(j1)))
        else:
            found.append(Passage("changed", _excerpt(was, i1, i2), _excerpt(now, j1, j2),
                                 line_at(j1)))
    return found


def differing_passages(original: str, copy: str) -> list[Passage]:
    """Where ``copy`` departs from ``original`` (both Markdown or plain text)."""
    ours, theirs = _blocks(original), _blocks(copy)
    matcher = difflib.SequenceMatcher(None, [b for _, b in ours], [b for _, b in theirs],
                                      autojunk=False)
    found = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        was = "".join(b for _, b in ours[i1:i2])
        now = "".join(b for _, b in theirs[j1:j2])
        if was == now:
            continue  # only the paragraph breaks moved
        offsets, position = [], 0
        for line, block in theirs[j1:j2]:
            offsets.append((position, line))
            position += len(block)
        if not offsets:  # nothing left in the copy here: where the next text starts
            after = theirs[j1][0] if j1 < len(theirs) else (theirs[-1][0] if theirs else 1)
            offsets = [(0, after)]
        found.extend(_char_passages(was, now, offsets))
    return found


_NOT_TEXT = re.compile(r"headerlink|footnote-backref|md-clipboard")


def page_text(html: str) -> str:
    """The comparable text of a web page's body (for "does the live page carry it?")."""
    from .listpage import soup

    document = soup(html)
    for element in document.find_all(["script", "style", "noscript", "template"]):
        element.decompose()
    for element in document.find_all(class_=_NOT_TEXT):
        element.decompose()
    body = document.body or document
    return comparable(body.get_text())
