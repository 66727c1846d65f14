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

Nothing here raises for bad input: problems come back as data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import yaml

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


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, loader: _Loader, result: YamlResult) -> None:
        self.loader = loader
        self.result = result
        self.visited = 0

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
                self.result.lines.setdefault((*path, index), _mark(item)[0])
                out.append(self.build(item, (*path, index)))
            return out
        return self._scalar(node, path)

    def _mapping(self, node, path: tuple) -> dict:
        self.loader.flatten_mapping(node)
        out: dict = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node, path, is_key=True) if type(
                key_node) is yaml.ScalarNode else None
            line, column = _mark(key_node)
            if key is None or isinstance(key, (list, dict)):
                self._problem("syntax", key_node, "a mapping key must be plain text")
                continue
            if not isinstance(key, str):
                self._problem(
                    "yaml11", key_node,
                    f"key `{key_node.value}` is read as {type(key).__name__} {key!r}, "
                    f"not as text — quote it: \"{key_node.value}\":")
                key = str(key_node.value)
            if key in out:
                first = self.result.lines.get((*path, key), line)
                self._problem(
                    "duplicate-key", key_node,
                    f"duplicate key `{key}` (first defined on line {first}) — "
                    "keep one; YAML readers silently use only the last")
                continue
            self.result.lines[(*path, key)] = line
            out[key] = self.build(value_node, (*path, key))
            del column
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
                self._problem(
                    "yaml11", node,
                    f"`{text}` is read as the boolean {str(value).lower()} (YAML 1.1) — "
                    f"write true/false, or quote it (\"{text}\") if you meant the word")
            elif isinstance(value, float) and not is_key and _float_loses_text(text, value):
                self._problem(
                    "yaml11", node,
                    f"`{text}` is read as the number {value!r} — quote it (\"{text}\") "
                    "if you meant it as text")
        return value

    def _problem(self, kind: str, node, message: str) -> None:
        line, column = _mark(node)
        self.result.problems.append(YamlProblem(kind, line, column, message))


def _float_loses_text(text: str, value: float) -> bool:
    return text.strip().lstrip("+") not in (repr(value), str(value))


def parse_yaml(text: str) -> YamlResult:
    """Parse one YAML document; never raises for bad input.

    Text of the plain shape most documents have is read by the fast reader
    in :mod:`govpub.yamlsimple`; everything else, and every problem, by PyYAML.
    """
    simple = parse_simple(text, _Loader.yaml_implicit_resolvers, MAX_NODES)
    if simple is not None:
        return YamlResult(data=simple[0], lines=simple[1])
    return parse_yaml_fully(text)


def parse_yaml_fully(text: str) -> YamlResult:
    """:func:`parse_yaml` through PyYAML always (the fast reader's reference)."""
    result = YamlResult()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            result.data = _Builder(loader, result).build(node, ())
    except yaml.MarkedYAMLError as exc:
        # Point at where the broken construct starts (an unclosed quote, say):
        # that is where the editor must look; the scanner fails further down.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        detail = exc.problem or "invalid YAML"
        if exc.context:
            detail = f"{detail} ({exc.context})"
        result.problems.append(YamlProblem("syntax", line, column, f"invalid YAML: {detail}"))
    except yaml.YAMLError as exc:
        result.problems.append(YamlProblem("syntax", 1, 1, f"invalid YAML: {exc}"))
    except _TooComplex:
        result.problems.append(YamlProblem(
            "too-complex", 1, 1,
            f"YAML expands to more than {MAX_NODES} values (aliases?) — simplify it"))
    except RecursionError:
        result.problems.append(YamlProblem(
            "too-complex", 1, 1, "YAML is nested too deeply — simplify it"))
    finally:
        loader.dispose()
    return result
