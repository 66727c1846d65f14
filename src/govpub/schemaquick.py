"""A quick "certainly valid" for the site's type schemas, before the full meta-schema check.

Every check validates each ``site_config/types/*.schema.json`` against the
JSON Schema 2020-12 meta-schema (``check_schema``), in the serial start of the
check: about 6 ms a schema (the meta-schema's dynamic references), 0.05 s for
the demo's ten. The schemas the General Office writes use a small, plain part
of the language; for those this module walks the schema once and says
"valid" in well under a millisecond. It answers True only when every keyword
of every subschema is one it knows and each value is what the meta-schema
allows (the same format checks: ``regex`` for ``pattern``, the URI formats
when a package checks them); anything else — an unknown keyword, a float
where an integer goes, a repeated name — is False, and the caller runs the
full check, which names the problem if there is one. So an invalid schema is
never let through: ``tests/test_schemaquick.py`` holds the two to that on
generated schemas.
"""

from __future__ import annotations

import re

import jsonschema

_FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER
_SIMPLE_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
_ID = re.compile(r"^[^#]*#?$")

#: keywords whose value is one subschema
_SUBSCHEMA = frozenset({"items", "contains", "additionalProperties", "propertyNames", "if",
                        "then", "else", "not", "unevaluatedItems", "unevaluatedProperties",
                        "contentSchema"})
#: keywords whose value is a non-empty list of subschemas
_SCHEMA_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
#: keywords whose value is a mapping of names to subschemas
_SCHEMA_MAP = frozenset({"properties", "$defs", "dependentSchemas"})
_STRINGS = frozenset({"title", "description", "$comment", "format", "contentEncoding",
                      "contentMediaType"})
_BOOLEANS = frozenset({"uniqueItems", "deprecated", "readOnly", "writeOnly"})
_NUMBERS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_COUNTS = frozenset({"minLength", "maxLength", "minItems", "maxItems", "minProperties",
                     "maxProperties", "minContains", "maxContains"})
_ANYTHING = frozenset({"default", "const"})


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _string_set(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value) \
        and len(set(value)) == len(value)


def _keyword_ok(key: str, value) -> bool:
    if key in _SUBSCHEMA:
        return certainly_valid(value)
    if key in _SCHEMA_LIST:
        return isinstance(value, list) and bool(value) and all(map(certainly_valid, value))
    if key in _SCHEMA_MAP:
        return isinstance(value, dict) and all(map(certainly_valid, value.values()))
    if key in _STRINGS:
        return isinstance(value, str)
    if key in _BOOLEANS:
        return isinstance(value, bool)
    if key in _NUMBERS:
        return _is_number(value)
    if key in _COUNTS:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if key in _ANYTHING:
        return True
    if key == "type":
        if isinstance(value, str):
            return value in _SIMPLE_TYPES
        return _string_set(value) and bool(value) and set(value) <= _SIMPLE_TYPES
    if key in ("enum", "examples"):
        return isinstance(value, list)
    if key == "required":
        return _string_set(value)
    if key == "pattern":
        return isinstance(value, str) and _FORMATS.conforms(value, "regex")
    if key == "multipleOf":
        return _is_number(value) and value > 0
    if key in ("$ref", "$id"):
        return isinstance(value, str) and _FORMATS.conforms(value, "uri-reference") \
            and (key == "$ref" or _ID.match(value) is not None)
    if key == "$schema":
        return isinstance(value, str) and _FORMATS.conforms(value, "uri")
    if key == "dependentRequired":
        return isinstance(value, dict) and all(map(_string_set, value.values()))
    return False  # a keyword not known here: the full check decides


def certainly_valid(schema) -> bool:
    """True only if ``schema`` is valid against the 2020-12 meta-schema (False: maybe not
    — run ``jsonschema.Draft202012Validator.check_schema``)."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict):
        return False
    return all(_keyword_ok(key, value) for key, value in schema.items())
