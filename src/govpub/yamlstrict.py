"""Strict YAML: one parser for front matter and configuration.

PyYAML's safe loader (the C parser when available) composes the node tree;
we build Python values from the nodes ourselves so that nothing is silently
lost or reinterpreted:

* duplicate keys are reported (PyYAML keeps the last one silently);
* YAML 1.1 surprises are reported: ``no:`` as a key, ``yes/no/on/off`` read as
  booleans, and plain numbers such as ``1.10`` that lose characters when read
  as floats;
* timestamps stay strings: dates are parsed later, with the site's time zone;
* every key's line is recorded, so a finding about ``documents[2].name`` can
  point at the line where that field is written;
* alias expansion is bounded (no "billion laughs").

Lines are the file's lines: the caller says on which line of the file the
text starts (front matter starts on line 2, after ``---``), and only a line
feed starts a line — PyYAML also breaks lines at CR, NEL and the Unicode
line and paragraph separators, which editors and ``grep -n`` do not.

Nothing here raises for bad input: problems come back as data, worded for
the editor; a syntax error is explained by :mod:`govpub.yamlslips`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import ClassVar

import yaml

from .i18n import _
from .yamlsimple import one_line_text as simple_one_line_text
from .yamlsimple import parse_simple

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_YAML11_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n"}
MAX_NODES = 50_000


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that does not turn timestamps into datetime objects."""

    yaml_implicit_resolvers: ClassVar[dict] = {
        first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def resolve(self, kind, value, implicit):
        """PyYAML's resolver without its general path: a plain scalar's tag by first character.

        Called for every scalar; Chinese text (most values here) has no
        candidate tag at all. Same answers as ``Resolver.resolve`` for the
        safe loader, which has no path resolvers and no wildcard resolvers.
        """
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode \
            else self.DEFAULT_MAPPING_TAG


assert None not in _Loader.yaml_implicit_resolvers  # no wildcard resolvers to consult


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """A problem found while reading YAML. ``line`` is 1-based, relative to the text."""

    kind: str  # syntax | duplicate-key | yaml11 | too-complex
    line: int
    column: int
    message: str


@dataclass(slots=True)
class YamlResult:
    data: object = None
    lines: dict[tuple, int] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)

    def line_of(self, path: tuple, default: int = 1) -> int:
        """Line of the deepest recorded prefix of ``path``."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default


class _TooComplex(Exception):
    pass


#: line breaks of PyYAML that are not line breaks for editors (CR is turned into LF first)
_ODD_BREAKS = ("\x85", "\u2028", "\u2029")


class LineMap:
    """File line and column (1-based) of a PyYAML mark in a text starting at ``first_line``."""

    def __init__(self, text: str, first_line: int) -> None:
        self.first_line = first_line
        # only texts with odd line breaks need the slow, exact way
        self.feeds = ([i for i, c in enumerate(text) if c == "\n"]
                      if any(b in text for b in _ODD_BREAKS) else None)

    def __call__(self, mark) -> tuple[int, int]:
        if self.feeds is None:
            return self.first_line + mark.line, mark.column + 1
        row = bisect.bisect_left(self.feeds, mark.index)
        start = self.feeds[row - 1] + 1 if row else 0
        return self.first_line + row, mark.index - start + 1


class _Builder:
    def __init__(self, loader: _Loader, result: YamlResult, where: LineMap) -> None:
        self.loader = loader
        self.result = result
        self.where = where
        self.visited = 0

    def _mark(self, node) -> tuple[int, int]:
        return self.where(node.start_mark)

    def build(self, node, path: tuple):
        self.visited += 1
        if self.visited > MAX_NODES:
            raise _TooComplex
        kind = type(node)
        if kind is yaml.ScalarNode:
            return self._scalar(node, path)
        if kind is yaml.MappingNode:
            return self._mapping(node, path)
        if kind is yaml.SequenceNode:
            out = []
            for index, item in enumerate(node.value):
                self.result.lines.setdefault((*path, index), self._mark(item)[0])
                out.append(self.build(item, (*path, index)))
            return out
        return self._scalar(node, path)

    def _mapping(self, node, path: tuple) -> dict:
        self.loader.flatten_mapping(node)
        out: dict = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node, path, is_key=True) if type(
                key_node) is yaml.ScalarNode else None
            line = self._mark(key_node)[0]
            if key is None or isinstance(key, (list, dict)):
                self._problem("syntax", key_node, _(
                    "a field name must be plain text, not a list or a group of fields"))
                continue
            if not isinstance(key, str):
                self._problem("yaml11", key_node, _(
                    "the field name `{key}` is read as {kind} {value!r}, not as text — quote "
                    "it: \"{key}\":").format(key=key_node.value, kind=type(key).__name__,
                                              value=key))
                key = str(key_node.value)
            if key in out:
                first = self.result.lines.get((*path, key), line)
                self._problem("duplicate-key", key_node, _(
                    "the field `{key}` appears twice (first on line {first}) — keep one; YAML "
                    "readers silently use only the last").format(key=key, first=first))
                continue
            self.result.lines[(*path, key)] = line
            out[key] = self.build(value_node, (*path, key))
        return out

    def _scalar(self, node, path: tuple, *, is_key: bool = False):
        # Text is by far the most common value and needs no conversion; going
        # through the constructor for it doubled the cost of loading a page.
        if node.tag == _STR:
            return node.value
        value = self.loader.construct_object(node, deep=True)
        if not node.style:
            text = node.value
            if isinstance(value, bool) and text.lower() in _YAML11_BOOL_WORDS and not is_key:
                self._problem("yaml11", node, _(
                    "`{text}` is read as the boolean {value} (YAML 1.1) — write true/false, or "
                    "quote it (\"{text}\") if you meant the word").format(
                        text=text, value=str(value).lower()))
            elif isinstance(value, float) and not is_key and _float_loses_text(text, value):
                self._problem("yaml11", node, _(
                    "`{text}` is read as the number {value!r} — quote it (\"{text}\") if you "
                    "meant it as text").format(text=text, value=value))
        return value

    def _problem(self, kind: str, node, message: str) -> None:
        line, column = self._mark(node)
        self.result.problems.append(YamlProblem(kind, line, column, message))


def _float_loses_text(text: str, value: float) -> bool:
    return text.strip().lstrip("+") not in (repr(value), str(value))


def parse_yaml(text: str, *, first_line: int = 1) -> YamlResult:
    """Parse one YAML document; never raises for bad input.

    ``first_line``: the file's line number of the text's first line; every line
    in the result (problems, key lines, messages) is a line of the file.
    Text of the plain shape most documents have is read by the fast reader
    in :mod:`govpub.yamlsimple`; everything else, and every problem, by PyYAML.
    """
    simple = parse_simple(text, _Loader.yaml_implicit_resolvers, MAX_NODES, first_line)
    if simple is not None:
        return YamlResult(data=simple[0], lines=simple[1])
    return parse_yaml_fully(text, first_line=first_line)


def one_line_text(text: str, checked: bool = False) -> str | None:
    """What ``key: <text>`` gives as a value when it is surely a text, else None (see
    :func:`govpub.yamlsimple.one_line_text`; the same reading as :func:`parse_yaml`)."""
    return simple_one_line_text(text, _Loader.yaml_implicit_resolvers, checked)


def parse_yaml_fully(text: str, *, first_line: int = 1) -> YamlResult:
    """:func:`parse_yaml` through PyYAML always (the fast reader's reference)."""
    result = YamlResult()
    where = LineMap(text, first_line)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            result.data = _Builder(loader, result, where).build(node, ())
    except yaml.MarkedYAMLError as exc:
        from .yamlslips import explain  # only when parsing failed: it costs nothing otherwise

        result.problems.append(YamlProblem("syntax", *explain(text, exc, where)))
    except yaml.YAMLError as exc:
        result.problems.append(YamlProblem("syntax", first_line, 1, _(
            "the YAML cannot be read: {problem}").format(problem=exc)))
    except _TooComplex:
        result.problems.append(YamlProblem("too-complex", first_line, 1, _(
            "the YAML expands to more than {count} values (aliases?) — simplify it").format(
                count=MAX_NODES)))
    except RecursionError:
        result.problems.append(YamlProblem("too-complex", first_line, 1, _(
            "the YAML is nested too deeply — simplify it")))
    finally:
        loader.dispose()
    return result
