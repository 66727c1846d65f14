"""A fast reader for the plain shape most front matter and every sign-off record has.

Block mappings and sequences of plain one-line values, the shape ``govpub
new`` and ``govpub review approve`` write and editors copy::

    title: 关于调整专利收费标准的公告
    published: '2026-03-01T09:00:00+08:00'
    documents:
    - name: 请求书
      copies: 1

:func:`parse_simple` reads exactly that shape and gives up (returns None) at
the first thing it is not sure of — a quote other than a one-line single
quote, a comment, a flow collection, an anchor, a block scalar, a value that
YAML would read as anything but text, a decimal integer or true/false, a
duplicate key, a tab, a continuation line. The caller then reads the text
with the full strict parser, which also reports any problem. So the fast
path never decides anything the full parser would decide differently; the
differential tests in ``tests/test_yaml_fast_path.py`` hold it to that. It exists
because PyYAML builds two position objects per value and a 10,000-page check
reads 20,000 YAML texts.

How it stays fast: one regular expression cuts every line into (indent,
dash, key, value) in a single pass, lines that can never belong to the
plain shape end the attempt right there, and the tree is built from those
rows; what a plain value or a key is read as (text, integer, boolean or "not
sure") is worked out once per distinct text and remembered.
"""

from __future__ import annotations

import re

#: one line, trailing spaces aside: indent, "- " (a sequence item), a key and its colon, the
#: value (rest). Lines are cut by ``$`` in MULTILINE mode: only a line feed ends a line
#: here, and every other line break is refused by _UNSAFE before.
_ROW = re.compile(r"^( *)(- +)?(?:([A-Za-z_][A-Za-z0-9_\-]*):(?: +|$))?(.*)$", re.MULTILINE)
#: the same for texts with trailing spaces on a line (rare; a little slower)
_ROW_SPACED = re.compile(r"^( *)(- +)?(?:([A-Za-z_][A-Za-z0-9_\-]*):(?: +|$))?(.*[^ \n])? *$",
                         re.MULTILINE)
#: characters PyYAML accepts in a document, minus its extra line breaks (NEL,
#: LS, PS) and the BOM: anything outside this set goes to the full parser
_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                     "\U00010000-\U0010ffff]")
#: first characters that make a plain scalar something else (YAML indicators)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_INT_TAG = "tag:yaml.org,2002:int"
_BOOL_TAG = "tag:yaml.org,2002:bool"
#: remembered verdicts are dropped beyond this many distinct texts (a long-running
#: process reads many pages; the common values and keys come back at once)
_MEMO_LIMIT = 4096
_MEMO_LENGTH = 32


class _GiveUp(Exception):
    pass


#: a plain text read as YAML: text, an integer, a boolean, or "not sure" (give up)
_UNSURE, _STR, _INT, _BOOL = range(4)  # _STR is true: ``memo.get(key) or learn(key)``


class _Kinds:
    """What plain scalars are read as by the full parser's implicit resolvers, remembered."""

    def __init__(self, resolvers: dict) -> None:
        self.resolvers = resolvers
        #: plain text -> _STR, _INT, _BOOL or _UNSURE (read with ``memo.get`` in the loops)
        self.memo: dict[str, int] = {}

    def learn(self, text: str) -> int:
        kind = self._kind(text)
        if len(text) <= _MEMO_LENGTH:  # longer texts (titles, digests) hardly come back
            if len(self.memo) >= _MEMO_LIMIT:
                self.memo.clear()
            self.memo[text] = kind
        return kind

    def _kind(self, text: str) -> int:
        if text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
            return _UNSURE
        for tag, regexp in self.resolvers.get(text[:1], ()):
            if regexp.match(text):
                if tag == _INT_TAG and _DECIMAL.fullmatch(text):
                    return _INT
                if tag == _BOOL_TAG and text in ("true", "false"):
                    return _BOOL
                return _UNSURE  # null, float, octal, yes/no…: the full parser decides
        return _STR


_kinds_for: list[_Kinds] = []


def _kinds(resolvers: dict) -> _Kinds:
    for kinds in _kinds_for:
        if kinds.resolvers is resolvers:
            return kinds
    kinds = _Kinds(resolvers)
    _kinds_for[:] = [*_kinds_for[-3:], kinds]
    return kinds


def _scalar(text: str, kinds: _Kinds):
    """The value of a one-line scalar: a single-quoted text, or a plain one."""
    if text[0] == "'":
        if len(text) < 2 or text[-1] != "'" or "'" in text[1:-1].replace("''", ""):
            raise _GiveUp
        return text[1:-1].replace("''", "'")
    kind = kinds.memo.get(text)
    if kind is None:
        kind = kinds.learn(text)
    if kind == _STR:
        return text
    if kind == _INT:
        return int(text)
    if kind == _BOOL:
        return text == "true"
    raise _GiveUp


class _Reader:
    __slots__ = ("at", "containers", "key_lines", "kinds", "rows")

    def __init__(self, rows: list, kinds: _Kinds) -> None:
        #: (indent, the item's indent after "- " or -1, key or "", value or "", line) of
        #: every non-blank line
        self.rows = rows
        self.at = 0
        self.kinds = kinds
        self.containers = 0
        self.key_lines: dict[tuple, int] = {}

    def block(self, indent: int, path: tuple):
        """The mapping or sequence whose lines start at ``indent``."""
        if self.rows[self.at][1] >= 0:
            return self.sequence(indent, path)
        return self.mapping(indent, path)

    def mapping(self, indent: int, path: tuple, first: bool = False) -> dict:
        """A mapping at ``indent``; ``first``: its first key is on the current "- " line."""
        rows, kinds, key_lines = self.rows, self.kinds, self.key_lines
        memo = kinds.memo
        count = len(rows)
        at = self.at
        out: dict = {}
        self.containers += 1
        while at < count:
            row_indent, item_indent, key, rest, number = rows[at]
            if first:
                first = False
            elif row_indent != indent:
                if row_indent > indent:
                    raise _GiveUp  # a continuation line or a stray indent
                break
            elif item_indent >= 0:
                raise _GiveUp  # a "- " line where a key was expected
            if key in out or (memo.get(key) or kinds.learn(key)) != _STR:
                raise _GiveUp  # duplicate or YAML 1.1 key: the full parser reports it
            key_lines[(*path, key)] = number
            at += 1
            if rest:
                if rest[0] != "'":
                    kind = memo.get(rest)
                    if kind == _STR:  # most values: plain text, known
                        out[key] = rest
                        continue
                out[key] = _scalar(rest, kinds)
                continue
            if at < count:
                nested = rows[at]
                if nested[0] > indent or (nested[0] == indent and nested[1] >= 0):
                    self.at = at
                    out[key] = self.block(nested[0], (*path, key))
                    at = self.at
                    continue
            raise _GiveUp  # an empty value: null, which the full parser reads
        self.at = at
        return out

    def sequence(self, indent: int, path: tuple) -> list:
        rows, kinds, key_lines = self.rows, self.kinds, self.key_lines
        count = len(rows)
        at = self.at
        out: list = []
        self.containers += 1
        while at < count:
            row_indent, item_indent, key, rest, number = rows[at]
            if row_indent != indent or item_indent < 0:
                if row_indent > indent:
                    raise _GiveUp
                break
            index = len(out)
            key_lines.setdefault((*path, index), number)
            if key:
                self.at = at
                out.append(self.mapping(item_indent, (*path, index), first=True))
                at = self.at
            else:
                at += 1
                out.append(_scalar(rest, kinds))
        self.at = at
        return out


def _rows(text: str, first_line: int) -> list | None:
    """The non-blank lines as rows (see _Reader), or None when one is not of the shape."""
    found = (_ROW_SPACED if " \n" in text or text.endswith(" ") else _ROW).findall(text)
    if len(found) != text.count("\n") + 1:
        return None  # not one row per line: never expected, but then be sure
    rows = []
    number = first_line - 1
    for indent, dash, key, rest in found:
        number += 1
        if dash:
            if not key and (not rest or rest == "-" or rest.startswith("- ")):
                return None  # an empty item, or a sequence in a sequence
            rows.append((len(indent), len(indent) + len(dash), key, rest, number))
        elif key:
            rows.append((len(indent), -1, key, rest, number))
        elif rest:
            return None  # neither a key nor an item: a continuation, a comment, a marker…
    return rows


def takes_characters(text: str) -> bool:
    """Whether this reader takes every character of ``text`` (no tab, no line break but
    the line feed, nothing PyYAML refuses)."""
    return "\t" not in text and not _UNSAFE.search(text)


def one_line_text(text: str, resolvers: dict, checked: bool = False) -> str | None:
    """The text a one-line scalar (``text``: after ``key: ``, nothing stripped) is read
    as, when :func:`parse_simple` would read it so; None when it is anything else (a
    number, a boolean, null) or not sure. For readers of one fixed shape (sign-off
    records) that match their lines themselves and must read values as this reader does.
    ``checked``: the caller made sure of :func:`takes_characters` for the whole text and
    that ``text`` has no line feed.
    """
    if not text or text[0] == " " or text[-1] == " ":
        return None
    if not checked and not takes_characters(text):
        return None
    if text[0] == "'":
        if len(text) < 2 or text[-1] != "'" or "'" in text[1:-1].replace("''", ""):
            return None
        return text[1:-1].replace("''", "'")
    kinds = _kinds(resolvers)
    kind = kinds.memo.get(text)
    if kind is None:
        kind = kinds.learn(text)
    return text if kind == _STR else None


def parse_simple(text: str, resolvers: dict, max_nodes: int, first_line: int = 1):
    """(data, key lines) for text of the plain shape, or None to use the full parser.

    ``resolvers``: the full parser's implicit resolvers (first character →
    (tag, regex)), so both agree on what a plain value is. ``first_line``: the
    file's line number of the text's first line (key lines are the file's).
    """
    if "\t" in text or _UNSAFE.search(text):
        return None
    rows = _rows(text, first_line)
    if not rows or rows[0][0] != 0:
        return None
    reader = _Reader(rows, _kinds(resolvers))
    try:
        data = reader.block(0, ())
    except (_GiveUp, RecursionError):
        return None
    # every value is one row's rest: the values and the containers are all the nodes
    if reader.at != len(rows) or reader.containers + sum(
            1 for row in rows if row[3]) > max_nodes:
        return None
    return data, reader.key_lines
