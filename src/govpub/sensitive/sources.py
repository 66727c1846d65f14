"""The text a document shows the public, in a few segments with their positions.

Pages give two segments: the whole body (a hit's line = ``doc.body_line`` +
the newlines before it) and every string (and integer) of the front matter,
found recursively and joined by newlines (a hit's line = the line of its
key). Attachments give one segment of all their extracted text (see
:mod:`.extract`), located by page or paragraph. Scanning a few large texts
in one regex pass each, instead of line by line, keeps the scan cheap; no
detector matches across a newline, so joining never creates a false hit.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..content import Document
from ..i18n import _
from .extract import Extracted, extract_file, is_document
from .numbers import number_lines


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    #: (offset in ``text`` where a part starts, its line in the file, where it is), sorted;
    #: where is a description, or the key path of a front-matter value (described on a hit:
    #: most documents have none, and describing every value up front cost more than the scan)
    parts: tuple[tuple[int, int, str | tuple], ...]
    counts_lines: bool = False  # a hit's line = the part's line + newlines before it
    #: (start, end) of the lines that may hold a long number (see .numbers); None: all
    number_lines: tuple[tuple[int, int], ...] | None = None

    def locate(self, offset: int) -> tuple[int, int, str]:
        """(line, column, where) of an offset into ``text``; 1-based."""
        index = bisect.bisect_right([p[0] for p in self.parts], offset) - 1
        start, line, where = self.parts[max(index, 0)]
        if isinstance(where, tuple):
            where = _("front matter `{field}`").format(field=".".join(str(p) for p in where))
        if not self.counts_lines:
            return line, 1, where
        line_start = self.text.rfind("\n", start, offset) + 1 if offset > start else start
        return line + self.text.count("\n", start, offset), offset - max(line_start, start) + 1, \
            where


def _meta_strings(value, path: tuple, out: list) -> list[tuple[tuple, str]]:
    """(key path, text) of every string and integer of the front matter, in order, into out.

    A list, not a generator: a generator per nested value cost more than the scan.
    """
    if isinstance(value, str):
        out.append((path, value))
    elif isinstance(value, int) and not isinstance(value, bool):
        out.append((path, str(value)))  # `phone: 13812345678` is an int to YAML, a phone to readers
    elif isinstance(value, dict):
        for key, item in value.items():
            _meta_strings(item, (*path, key), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _meta_strings(item, (*path, index), out)
    return out


def _joined(pieces: list[tuple[str, int, str | tuple]],
            counts_lines: bool = False) -> Segment | None:
    """One segment of (text, line, where) pieces separated by newlines."""
    texts, parts, offset = [], [], 0
    for text, line, where in pieces:
        if not text.strip():
            continue
        parts.append((offset, line, where))
        texts.append(text)
        offset += len(text) + 1
    if not texts:
        return None
    text = "\n".join(texts)
    return Segment(text, tuple(parts), counts_lines, number_lines(text))


def page_segments(doc: Document) -> list[Segment]:
    key_lines = doc.key_lines
    front = _joined([(text, key_lines.get(path) or doc.line_of(*path), path)
                     for path, text in _meta_strings(doc.meta, (), [])])
    body = _joined([(doc.body, doc.body_line, "")], counts_lines=True)
    return [s for s in (front, body) if s is not None]


def attachment_text(doc: Document) -> Extracted | None:
    """Extracted text of a document-like attachment; None for media files."""
    if doc.is_page or not doc.readable or not is_document(doc.path):
        return None
    return extract_file(doc.file, doc.digest, doc.size)


def attachment_segments(doc: Document) -> list[Segment]:
    extracted = attachment_text(doc)
    if extracted is None:
        return []
    joined = _joined([(text, 1, _("attachment {where}").format(where=where))
                      for where, text in extracted.chunks])
    return [joined] if joined is not None else []


def _compute_segments(doc: Document) -> tuple[Segment, ...]:
    if doc.is_page:
        return tuple(page_segments(doc)) if doc.has_meta else ()
    return tuple(attachment_segments(doc))


def segments(doc: Document) -> tuple[Segment, ...]:
    """The document's segments, computed once for the GP5xx rules that ask in turn."""
    return doc.derive("sensitive-segments", _compute_segments)
