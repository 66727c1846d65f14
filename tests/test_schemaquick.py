"""The quick "certainly valid" of type schemas never lets an invalid schema through.

``govpub.schemaquick.certainly_valid`` spares the full meta-schema check
(jsonschema's ``check_schema``) for plain schemas. Whenever it says True,
the full check must agree, on the site's own schemas and on generated ones
mixing every keyword it knows with right and wrong values; and a wrong type
schema still stops the policy with the full check's message.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from integrity_fixtures import make_site

from govpub.config import load_policy
from govpub.errors import ConfigError
from govpub.schemaquick import certainly_valid

REPO = Path(__file__).resolve().parents[1]


def _fully_valid(schema) -> bool:
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError:
        return False
    return True


def test_the_site_s_own_schemas_are_certainly_valid():
    """(else every check would pay for the full check again)"""
    paths = sorted((REPO / "site_config/types").glob("*.schema.json"))
    assert len(paths) >= 9
    for path in paths:
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert certainly_valid(schema) and _fully_valid(schema), path.name


#: values right or wrong for one keyword or another
_ODD = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 5), st.floats(-2, 3), st.just(float("nan")),
    st.just(1.0), st.sampled_from(["string", "strng", "", "a(", "#x", "a#b", "\n", "x\n"]),
    st.lists(st.sampled_from(["string", "integer", "a", 1]), max_size=3),
)
_STRING = st.sampled_from(["string", "a", "", "^[0-9]{12}$", "[0-9", "(?P<x>a)", "a{2,1}",
                           "\\p{L}", "common.schema.json#/$defs/x", "#/$defs/a", "x#y#z",
                           "https://json-schema.org/draft/2020-12/schema", "a b", "\n"])
_TYPES = st.sampled_from(["array", "boolean", "integer", "null", "number", "object",
                          "string"])
_NAMES = st.lists(st.sampled_from(["title", "code", "lang", "a"]), max_size=3)


def _right(keyword: str, inner):
    """Values of the kind the meta-schema asks for ``keyword`` (not always right)."""
    kinds = {
        "schema": inner, "schemas": st.lists(inner, max_size=3),
        "map": st.dictionaries(st.sampled_from(["title", "code", "a"]), inner, max_size=3),
        "string": _STRING, "boolean": st.booleans(), "number": st.one_of(
            st.integers(-2, 5), st.floats(-1, 3)),
        "count": st.integers(-1, 4), "names": _NAMES,
        "type": st.one_of(_TYPES, st.lists(_TYPES, max_size=3)),
        "anything": _ODD, "list": st.lists(_ODD, max_size=2),
        "required-map": st.dictionaries(st.sampled_from(["a", "b"]), _NAMES, max_size=2),
    }
    return kinds[_KIND.get(keyword, "anything")]


_KIND = {
    **dict.fromkeys(["items", "contains", "additionalProperties", "propertyNames", "if",
                     "then", "else", "not", "unevaluatedItems", "unevaluatedProperties",
                     "contentSchema"], "schema"),
    **dict.fromkeys(["allOf", "anyOf", "oneOf", "prefixItems"], "schemas"),
    **dict.fromkeys(["properties", "$defs", "dependentSchemas", "patternProperties",
                     "definitions"], "map"),
    **dict.fromkeys(["title", "description", "$comment", "format", "contentEncoding",
                     "contentMediaType", "pattern", "$ref", "$id", "$schema", "$anchor",
                     "$dynamicRef"], "string"),
    **dict.fromkeys(["uniqueItems", "deprecated", "readOnly", "writeOnly"], "boolean"),
    **dict.fromkeys(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                     "multipleOf"], "number"),
    **dict.fromkeys(["minLength", "maxLength", "minItems", "maxItems", "minProperties",
                     "maxProperties", "minContains", "maxContains"], "count"),
    "required": "names", "type": "type", "enum": "list", "examples": "list",
    "dependentRequired": "required-map",
}
_KEYWORDS = sorted([*_KIND, "const", "default", "dependencies", "x-custom"])


def _schemas():
    def node(inner):
        return st.lists(st.sampled_from(_KEYWORDS), max_size=5, unique=True).flatmap(
            lambda keys: st.fixed_dictionaries(
                {key: st.one_of(*[_right(key, inner)] * 6, _ODD) for key in keys}))

    return st.recursive(st.one_of(st.booleans(), node(st.booleans())),
                        lambda inner: st.one_of(*[node(inner)] * 6, _ODD), max_leaves=16)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_schemas())
def test_certainly_valid_only_when_the_full_check_agrees(schema):
    if certainly_valid(schema):
        assert _fully_valid(schema), schema


def _site_schemas() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((REPO / "site_config/types").glob("*.schema.json"))]


def _places(node, at=()):
    """Every (path) of a value inside ``node``."""
    yield at
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _places(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _places(value, (*at, index))


@st.composite
def _site_schema_changed(draw):
    """One of the site's schemas with one value, anywhere in it, replaced."""
    schema = copy.deepcopy(draw(st.sampled_from(_site_schemas())))
    places = [p for p in _places(schema) if p]
    for _ in range(draw(st.integers(1, 2))):
        *parent, last = draw(st.sampled_from(places))
        node = schema
        try:
            for step in parent:
                node = node[step]
            node[last] = draw(st.one_of(_ODD, _STRING, st.integers(-1, 3),
                                        st.lists(_TYPES, max_size=3)))
        except (KeyError, IndexError, TypeError):  # (a place the first change removed)
            pass
    return schema


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_site_schema_changed())
def test_certainly_valid_only_when_the_full_check_agrees_on_changed_site_schemas(schema):
    if certainly_valid(schema):
        assert _fully_valid(schema), schema


@pytest.mark.parametrize("schema, problem", [
    ({"type": "object", "properties": {"title": {"type": "strng"}}}, "'strng' is not valid"),
    ({"type": "object", "properties": {"code": {"type": "string", "pattern": "[0-9"}}},
     "is not a 'regex'"),
    ({"type": "object", "properties": {"title": {"minLength": -1}}}, "-1 is less than"),
    ({"type": "object", "required": ["title", "title"]}, "non-unique"),
])
def test_a_wrong_type_schema_still_stops_the_policy_with_the_full_check_s_words(
        tmp_path, schema, problem):
    root = make_site(tmp_path, {})
    (root / "site_config/types/notice.schema.json").write_text(json.dumps(schema),
                                                              encoding="utf-8")
    assert not certainly_valid(schema)
    with pytest.raises(ConfigError) as caught:
        load_policy(root)
    assert "not a valid JSON Schema 2020-12" in str(caught.value.message)
    assert problem in str(caught.value.message)
    assert str(caught.value.path) == "site_config/types/notice.schema.json"
