"""Type schemas prepared for fast validation of thousands of pages.

The General Office writes type schemas the readable way: shared fields in
``common.schema.json`` pulled in with ``allOf``/``$ref``, and the field set
closed with ``unevaluatedProperties: false``. Validated as written, that costs
a reference lookup per field and a second evaluation of every subschema per
page (to learn which keys were "evaluated"). This module inlines the
references once and turns a top-level ``unevaluatedProperties: false`` into a
plain set of known field names, which the schema rule checks itself. The
validation result is the same; where a schema uses a construct this
transformation cannot follow (``patternProperties``, nested dynamic refs), the
schema is used as written.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import fastjsonschema
import jsonschema
import referencing

_COMBINATORS = ("allOf", "anyOf", "oneOf")
_BRANCHES = ("if", "then", "else")
MAX_DEPTH = 32


class _Unsupported(Exception):
    pass


#: keywords whose meaning is the same in draft-07 (fastjsonschema) and 2020-12
_SAME_IN_DRAFT7 = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties",
    "maxProperties", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "description",
    "title", "default", "examples", "$comment", "$schema", "propertyNames", "contains",
})
_SCHEMA_MAPS = ("properties",)
_SCHEMA_VALUES = ("additionalProperties", "items", "not", "if", "then", "else",
                  "propertyNames", "contains")


@dataclass(frozen=True)
class CompiledSchema:
    validator: jsonschema.Draft202012Validator
    #: field names allowed at the top level; None when the schema does not close them
    known_fields: frozenset[str] | None
    #: a compiled yes/no check, used first; None when the schema needs 2020-12 semantics
    quick: object = None

    def iter_errors(self, instance):
        """Every error (jsonschema), but only after the compiled check says there is one."""
        if self.quick is not None:
            try:
                self.quick(instance)
                return iter(())
            except fastjsonschema.JsonSchemaException:
                pass
        return self.validator.iter_errors(instance)


def _draft7_compatible(node) -> bool:
    if isinstance(node, bool):
        return True
    if not isinstance(node, dict) or not set(node) <= _SAME_IN_DRAFT7:
        return False
    if isinstance(node.get("items"), list):
        return False  # tuple form means prefixItems in 2020-12
    for key in _SCHEMA_MAPS:
        if not all(_draft7_compatible(sub) for sub in node.get(key, {}).values()):
            return False
    for key in _SCHEMA_VALUES:
        if key in node and not _draft7_compatible(node[key]):
            return False
    return all(_draft7_compatible(sub) for key in _COMBINATORS for sub in node.get(key, []))


#: keywords that annotate and never decide (draft-07 and 2020-12 alike). Not "default":
#: the compiled check writes a missing field's default into the data it checks (as it
#: always has; what rules read after GP101 must not change)
_ANNOTATIONS = frozenset({"description", "title", "examples", "$comment"})


def _without_annotations(node):
    """A draft-07-compatible schema (see _draft7_compatible) without its annotations.

    The compiled check writes each subschema it checks into its generated code (for its
    error messages, never read here): without the descriptions that code is a quarter
    smaller, and compiling the demo's nine types in each process of a check takes
    0.10 s instead of 0.12 s.
    """
    if not isinstance(node, dict):
        return node
    out = {key: value for key, value in node.items() if key not in _ANNOTATIONS}
    for key in _SCHEMA_MAPS:
        if key in out:
            out[key] = {name: _without_annotations(sub) for name, sub in out[key].items()}
    for key in _SCHEMA_VALUES:
        if key in out:
            out[key] = _without_annotations(out[key])
    for key in _COMBINATORS:
        if key in out:
            out[key] = [_without_annotations(sub) for sub in out[key]]
    return out


def _quick_check(schema: dict):
    if not _draft7_compatible(schema):
        return None
    try:
        return fastjsonschema.compile({**_without_annotations(schema),
                                       "$schema": "http://json-schema.org/draft-07/schema#"},
                                      use_formats=False)
    except (fastjsonschema.JsonSchemaDefinitionException, ValueError, TypeError):
        return None


def _inline(node, resolver: referencing.Resolver, depth: int = 0):
    if depth > MAX_DEPTH:
        raise _Unsupported("references nest too deeply")
    if isinstance(node, dict):
        if "$dynamicRef" in node or "$recursiveRef" in node:
            raise _Unsupported("dynamic references")
        out = {}
        for key, value in node.items():
            if key == "$ref":
                resolved = resolver.lookup(value)
                target = _inline(resolved.contents, resolved.resolver, depth + 1)
                if isinstance(target, dict):
                    out.setdefault("allOf", []).append(
                        {k: v for k, v in target.items() if k not in ("$id", "$schema")})
                elif target is False:
                    out.setdefault("allOf", []).append(False)
            elif key == "$defs":
                continue
            else:
                out[key] = _inline(value, resolver, depth + 1)
        return out
    if isinstance(node, list):
        return [_inline(item, resolver, depth + 1) for item in node]
    return node


def _names(node, into: set[str]) -> None:
    if not isinstance(node, dict):
        return
    if "patternProperties" in node or ("additionalProperties" in node and \
            node["additionalProperties"] is not False):
        raise _Unsupported("open property sets")
    into.update(node.get("properties", {}))
    for key in _COMBINATORS:
        for sub in node.get(key, []):
            _names(sub, into)
    for key in _BRANCHES:
        _names(node.get(key), into)


def compile_schema(schema: dict, registry: referencing.Registry) -> CompiledSchema:
    def as_written() -> CompiledSchema:
        return CompiledSchema(jsonschema.Draft202012Validator(schema, registry=registry), None)

    if schema.get("unevaluatedProperties") is not False:
        return as_written()
    try:
        resolver = registry.resolver(base_uri=schema.get("$id", ""))
        inlined = _inline(copy.deepcopy(schema), resolver)
        names: set[str] = set()
        del inlined["unevaluatedProperties"]
        _names(inlined, names)
    except (_Unsupported, referencing.exceptions.Unresolvable):
        return as_written()
    inlined.pop("$id", None)
    return CompiledSchema(jsonschema.Draft202012Validator(inlined), frozenset(names),
                          _quick_check(inlined))


def plain_schema(schema: dict) -> CompiledSchema:
    """A self-contained schema (no references) with the compiled fast path."""
    return CompiledSchema(jsonschema.Draft202012Validator(schema), None, _quick_check(schema))
