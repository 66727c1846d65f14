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
"""

from __future__ import annotations

import re

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_\-]*):(?: +|$)")
#: characters PyYAML accepts in a document, minus its extra line breaks (NEL,
#: LS, PS) and the BOM: anything outside this set goes to the full parser
_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                     "\U00010000-\U0010ffff]")
#: first characters that make a plain scalar something else (YAML indicators)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_INT_TAG = "tag:yaml.org,2002:int"
_BOOL_TAG = "tag:yaml.org,2002:bool"


class _GiveUp(Exception):
    pass


class _Reader:
    def __init__(self, text: str, resolvers: dict, max_nodes: int, first_line: int) -> None:
        # (indent, content, line in the file) of every non-blank line
        self.lines = []
        for number, line in enumerate(text.split("\n"), start=first_line):
            content = line.lstrip(" ")
            if content:
                self.lines.append((len(line) - len(content), content.rstrip(" "), number))
        self.at = 0
        self.resolvers = resolvers
        self.nodes_left = max_nodes
        self.key_lines: dict[tuple, int] = {}

    def count_node(self) -> None:
        self.nodes_left -= 1
        if self.nodes_left < 0:
            raise _GiveUp

    def block(self, indent: int, path: tuple):
        """The mapping or sequence whose lines start at ``indent``."""
        if self.lines[self.at][1].startswith("- ") or self.lines[self.at][1] == "-":
            return self.sequence(indent, path)
        return self.mapping(indent, path)

    def mapping(self, indent: int, path: tuple, first: str | None = None) -> dict:
        """A mapping at ``indent``; ``first``: its first line's content (after a ``- ``)."""
        out: dict = {}
        self.count_node()
        while self.at < len(self.lines):
            line_indent, content, number = self.lines[self.at]
            if first is not None:
                content, first = first, None
            elif line_indent != indent:
                if line_indent > indent:
                    raise _GiveUp  # a continuation line or a stray indent
                break
            match = _KEY.match(content)
            if not match:
                raise _GiveUp
            key = match.group(1)
            if key in out or self.scalar_kind(key) is not str:
                raise _GiveUp  # duplicate or YAML 1.1 key: the full parser reports it
            self.key_lines[(*path, key)] = number
            rest = content[match.end():]
            self.at += 1
            if rest:
                out[key] = self.scalar(rest)
                continue
            nested = self.lines[self.at] if self.at < len(self.lines) else None
            if nested and (nested[0] > indent or (
                    nested[0] == indent and (nested[1].startswith("- ") or nested[1] == "-"))):
                out[key] = self.block(nested[0], (*path, key))
            else:
                raise _GiveUp  # an empty value: null, which the full parser reads
        return out

    def sequence(self, indent: int, path: tuple) -> list:
        out: list = []
        self.count_node()
        while self.at < len(self.lines):
            line_indent, content, number = self.lines[self.at]
            if line_indent != indent or not content.startswith("- "):
                if line_indent > indent or content == "-":
                    raise _GiveUp
                break
            index = len(out)
            self.key_lines.setdefault((*path, index), number)
            item = content[2:]
            item_indent = indent + 2 + len(item) - len(item.lstrip(" "))
            item = item.lstrip(" ")
            if item.startswith("- ") or item == "-":
                raise _GiveUp  # a sequence in a sequence
            if _KEY.match(item):
                out.append(self.mapping(item_indent, (*path, index), first=item))
            else:
                self.at += 1
                out.append(self.scalar(item))
        return out

    def scalar(self, text: str):
        self.count_node()
        if text[0] == "'":
            if len(text) < 2 or text[-1] != "'" or "'" in text[1:-1].replace("''", ""):
                raise _GiveUp
            return text[1:-1].replace("''", "'")
        kind = self.scalar_kind(text)
        if kind is str:
            return text
        if kind is int:
            return int(text)
        return text == "true"  # kind is bool

    def scalar_kind(self, text: str):
        """str, int or bool for a plain scalar this reader is sure of; gives up otherwise."""
        if text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
            raise _GiveUp
        for tag, regexp in self.resolvers.get(text[:1], ()):
            if regexp.match(text):
                if tag == _INT_TAG and _DECIMAL.fullmatch(text):
                    return int
                if tag == _BOOL_TAG and text in ("true", "false"):
                    return bool
                raise _GiveUp  # null, float, octal, yes/no…: the full parser decides
        return str


def parse_simple(text: str, resolvers: dict, max_nodes: int, first_line: int = 1):
    """(data, key lines) for text of the plain shape, or None to use the full parser.

    ``resolvers``: the full parser's implicit resolvers (first character →
    (tag, regex)), so both agree on what a plain value is. ``first_line``: the
    file's line number of the text's first line (key lines are the file's).
    """
    if "\t" in text or _UNSAFE.search(text):
        return None
    reader = _Reader(text, resolvers, max_nodes, first_line)
    if not reader.lines or reader.lines[0][0] != 0:
        return None
    try:
        data = reader.block(0, ())
    except (_GiveUp, RecursionError):
        return None
    if reader.at != len(reader.lines):
        return None
    return data, reader.key_lines
