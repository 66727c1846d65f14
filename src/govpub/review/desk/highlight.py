"""Marking the changes in the rendered page the desk shows.

The change is known as a difference between two reader texts (the approved
version's and the current one's: title and body, as ``review diff``
compares them). The rendered page holds the current text too, amid the
theme's own (navigation, dates, footer). The two are aligned character by
character, ignoring white space; every character of the page's main content
that aligns with added text is wrapped in ``<ins>``, and removed text is put
back in ``<del>`` where it stood. Nothing else in the page is touched: the
marks go between text and markup, never inside a tag, and removed text is
escaped.
"""

from __future__ import annotations

import html
from difflib import SequenceMatcher
from html.parser import HTMLParser

from .. import textdiff

#: the element whose text is the page's content (Material's <article>; else <main>, <body>)
CONTENT_TAGS = ("article", "main", "body")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_SKIP = frozenset({"script", "style", "template", "noscript", "title"})

INS_CLASS = "govpub-desk-ins"
DEL_CLASS = "govpub-desk-del"
STYLE = (f"<style>.{INS_CLASS}{{background:#d7f5dd;color:#0a3d14;text-decoration:underline;}}"
         f".{DEL_CLASS}{{background:#fde2e1;color:#5c0b08;text-decoration:line-through;}}"
         "</style>")


class _Atoms(HTMLParser):
    """The page's text as atoms: (text, start, end) in the raw HTML, for one content
    element. Entities stay whole atoms, so a mark never splits ``&amp;``."""

    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.line_starts = [0]
        for index, char in enumerate(raw):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.atoms: list[tuple[str, int, int]] = []
        self.stack: list[str] = []
        self.content_depth: int | None = None
        self.content_tag: str | None = None
        self.skipping = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def inside(self) -> bool:
        return self.content_depth is not None and not self.skipping

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        self.stack.append(tag)
        if self.content_depth is None and tag == self.content_tag:
            self.content_depth = len(self.stack)
        if tag in _SKIP:
            self.skipping += 1

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            if top in _SKIP:
                self.skipping = max(0, self.skipping - 1)
            if self.content_depth is not None and len(self.stack) < self.content_depth:
                self.content_depth = -1  # closed: nothing after counts
            if top == tag:
                break

    def handle_data(self, data):
        if self.inside() and self.content_depth != -1:
            start = self._offset()
            for index, char in enumerate(data):
                self.atoms.append((char, start + index, start + index + 1))

    def _entity(self, text: str, raw_length: int) -> None:
        if self.inside() and self.content_depth != -1:
            start = self._offset()
            self.atoms.append((text, start, start + raw_length))

    def handle_entityref(self, name):
        self._entity(html.unescape(f"&{name};"), len(name) + 2)

    def handle_charref(self, name):
        self._entity(html.unescape(f"&#{name};"), len(name) + 3)


def page_atoms(page_html: str) -> list[tuple[str, int, int]]:
    """Text atoms of the page's content element (the first of CONTENT_TAGS it has)."""
    for tag in CONTENT_TAGS:
        if f"<{tag}" not in page_html:
            continue
        parser = _Atoms(page_html)
        parser.content_tag = tag
        parser.feed(page_html)
        parser.close()
        if parser.atoms:
            return parser.atoms
    return []


def _changes(old: str, new: str) -> tuple[set[int], dict[int, str]]:
    """(indexes of added characters in ``new``, removed text by the index in ``new`` it
    stood before)."""
    added: set[int] = set()
    removed: dict[int, str] = {}
    lines = new.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for hunk in textdiff.diff_text(old, new):
        position = starts[min(hunk.new_start - 1, len(lines))]
        for piece in hunk.pieces:
            if piece.kind == textdiff.DELETE:
                removed[position] = removed.get(position, "") + piece.text
            else:
                if piece.kind == textdiff.INSERT:
                    added.update(range(position, position + len(piece.text)))
                position += len(piece.text)
    return added, removed


def _visible(text: str) -> tuple[str, list[int]]:
    """``text`` without white space, and each kept character's index in ``text``."""
    kept = [(i, c) for i, c in enumerate(text) if not c.isspace()]
    return "".join(c for _, c in kept), [i for i, _ in kept]


def highlight(page_html: str, old_text: str | None, new_text: str) -> str:
    """``page_html`` with the change from ``old_text`` to ``new_text`` marked (a page
    without an approved version — ``old_text`` None — is new as a whole: no marks)."""
    if old_text is None or old_text == new_text:
        return page_html
    added, removed = _changes(old_text, new_text)
    atoms = page_atoms(page_html)
    page_text = "".join(a[0] for a in atoms)
    page_chars, page_index = _visible(page_text)
    new_chars, new_index = _visible(new_text)
    # atom of each character of page_text
    atom_of: list[int] = []
    for number, (text, _start, _end) in enumerate(atoms):
        atom_of.extend([number] * len(text))
    marked_atoms: set[int] = set()
    dels_before_atom: dict[int, str] = {}
    matcher = SequenceMatcher(None, new_chars, page_chars, autojunk=False)
    new_to_page: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            new_to_page[new_index[block.a + k]] = page_index[block.b + k]
    for char_index in added:
        if char_index in new_to_page:
            marked_atoms.add(atom_of[new_to_page[char_index]])
    for position, text in removed.items():
        # the removed text goes before the first aligned character at or after it
        target = next((new_to_page[i] for i in range(position, len(new_text) + 1)
                       if i in new_to_page), None)
        if target is not None:
            atom = atom_of[target]
            dels_before_atom[atom] = dels_before_atom.get(atom, "") + text
    return _rewrite(page_html, atoms, marked_atoms, dels_before_atom)


def _rewrite(page_html: str, atoms, marked: set[int], dels: dict[int, str]) -> str:
    out: list[str] = []
    pos = 0
    open_mark = False
    for number, (_text, start, end) in enumerate(atoms):
        contiguous = start == pos
        if open_mark and (not contiguous or number not in marked or number in dels):
            out.append("</ins>")
            open_mark = False
        out.append(page_html[pos:start])
        if number in dels:
            out.append(f'<del class="{DEL_CLASS}">{html.escape(dels[number])}</del>')
        if number in marked and not open_mark:
            out.append(f'<ins class="{INS_CLASS}">')
            open_mark = True
        out.append(page_html[start:end])
        pos = end
    if open_mark:
        out.append("</ins>")
    out.append(page_html[pos:])
    result = "".join(out)
    head = result.find("</head>")
    return result[:head] + STYLE + result[head:] if head >= 0 else STYLE + result


__all__ = ["DEL_CLASS", "INS_CLASS", "highlight", "page_atoms"]
