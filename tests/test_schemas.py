"""The content model: the type schemas in site_config/types and the demo content that uses them.

The schemas are data the General Office edits by hand, so these tests guard
what editors rely on: every schema is valid JSON Schema 2020-12, every field
has a description (editors' tools show it), misspelled fields are rejected,
and realistic front matter of every type passes while typical mistakes fail.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from govpub.config import SHARED_SCHEMA_NAMES, load_policy, schema_registry
from govpub.content import load_corpus

ROOT = Path(__file__).resolve().parent.parent
TYPES_DIR = ROOT / "site_config" / "types"
SCHEMA_FILES = sorted(TYPES_DIR.glob("*.schema.json"))
ALL_SCHEMAS = {p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
               for p in SCHEMA_FILES}
TYPE_NAMES = sorted(set(ALL_SCHEMAS) - SHARED_SCHEMA_NAMES)
REGISTRY = schema_registry(ALL_SCHEMAS)
EXPECTED_TYPES = {"service-item", "guide", "notice", "policy", "reproduction", "faq", "page",
                  "report", "comment"}
COMMON_REQUIRED = {"title", "source", "published", "disclosure"}


def errors(type_name: str, data: dict) -> list[jsonschema.ValidationError]:
    validator = jsonschema.Draft202012Validator(ALL_SCHEMAS[type_name], registry=REGISTRY)
    return list(validator.iter_errors(data))


def messages(type_name: str, data: dict) -> list[str]:
    return [e.message for e in errors(type_name, data)]


# ---------------------------------------------------------------- the schemas as schemas

def test_every_expected_type_has_a_schema():
    assert set(TYPE_NAMES) == EXPECTED_TYPES
    assert "common" in ALL_SCHEMAS


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_2020_12_with_id_equal_to_file_name(path):
    schema = ALL_SCHEMAS[path.name.removesuffix(".schema.json")]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == path.name


@pytest.mark.parametrize("name", TYPE_NAMES)
def test_type_schema_builds_on_common_and_is_closed(name):
    schema = ALL_SCHEMAS[name]
    refs = [entry.get("$ref") for entry in schema["allOf"]]
    assert "common.schema.json" in refs
    assert "common.schema.json#/$defs/names" in refs
    assert schema["unevaluatedProperties"] is False
    assert schema["properties"]["type"] == {"const": name, "description": schema["properties"][
        "type"]["description"]}


def _field_schemas(schema, where="$"):
    """Yield (location, subschema) for every field definition, recursively.

    Field definitions are the values of ``properties``, ``items`` and ``$defs``;
    the small schemas inside if/then only restate constraints and are skipped.
    """
    if not isinstance(schema, dict):
        return
    for key, sub in schema.get("properties", {}).items():
        if sub is True:  # $defs/names only marks names as known
            continue
        yield f"{where}.properties.{key}", sub
        yield from _field_schemas(sub, f"{where}.properties.{key}")
    if isinstance(schema.get("items"), dict):
        yield f"{where}.items", schema["items"]
        yield from _field_schemas(schema["items"], f"{where}.items")
    for key, sub in schema.get("$defs", {}).items():
        yield f"{where}.$defs.{key}", sub
        yield from _field_schemas(sub, f"{where}.$defs.{key}")


@pytest.mark.parametrize("name", sorted(ALL_SCHEMAS))
def test_every_field_has_a_description(name):
    missing = [where for where, sub in _field_schemas(ALL_SCHEMAS[name])
               if not (isinstance(sub, dict) and str(sub.get("description", "")).strip())]
    assert missing == []


def test_description_walker_sees_nested_fields():
    """Guard the guard: the walker must reach nested items and $defs, or the test above is void."""
    places = [where for where, _ in _field_schemas(ALL_SCHEMAS["service-item"])]
    assert "$.properties.documents.items.properties.template" in places
    assert "$.properties.time_limit.properties.promised_days" in places
    assert any(p.startswith("$.$defs") for p, _ in _field_schemas(ALL_SCHEMAS["common"]))
    broken = {"properties": {"a": {"type": "array", "items": {"type": "object", "properties": {
        "b": {"type": "string"}}, "description": "x"}, "description": "y"}}}
    assert [w for w, s in _field_schemas(broken) if "description" not in s] == [
        "$.properties.a.items.properties.b"]


def test_common_names_list_matches_common_properties():
    common = ALL_SCHEMAS["common"]
    assert set(common["$defs"]["names"]["properties"]) == set(common["properties"])


def test_required_fields_per_type():
    assert set(ALL_SCHEMAS["common"]["required"]) == COMMON_REQUIRED
    required = {name: set(ALL_SCHEMAS[name].get("required", [])) for name in TYPE_NAMES}
    assert required == {
        "service-item": {"code", "item_type", "category", "legal_basis", "conditions",
                         "documents", "process", "time_limit", "online_depth", "visits",
                         "channels", "contact"},
        "guide": {"items"},
        "notice": {"category"},
        "policy": {"policy_kind", "status"},
        "reproduction": {"reproduces"},
        "faq": set(),
        "page": set(),
        "report": {"year", "report_kind"},
        "comment": {"received", "channel", "subject", "message"},
    }


# ---------------------------------------------------------------- sample front matter

BASE = {"title": "关于2026年春节期间工作安排的通知", "source": "国家知识产权局办公室",
        "published": "2026-01-09T10:00:00+08:00", "disclosure": "proactive"}

SERVICE_ITEM = {
    **BASE, "code": "000173001001", "item_type": "administrative-confirmation",
    "category": "专利申请", "legal_basis": ["《中华人民共和国专利法》第二十六条"],
    "conditions": ["申请文件齐备"],
    "documents": [{"name": "发明专利请求书", "form": "electronic", "copies": 1, "required": True,
                   "template": "../attachments/forms/000173001001-invention-request.docx"}],
    "process": [{"step": "申请", "description": "在线提交"},
                {"step": "受理", "description": "确定申请日", "days": 5}],
    "time_limit": {"statutory_days": 20, "promised_days": 5},
    "fees": [{"name": "发明专利申请费", "amount": 900, "unit": "件"}],
    "fee_basis": "发改价格〔2017〕270号", "online_depth": 4, "visits": 0,
    "channels": ["online", "hall"], "online_url": "https://cponline.cnipa.gov.cn/",
    "halls": [{"name": "业务受理大厅", "address": "北京市海淀区西土城路6号"}],
    "contact": {"enquiry": "12330", "complaint": "010-62083114"},
}

VALID = {
    "page": [BASE, {**BASE, "lang": "en", "updated": "2026-02-01", "tags": ["about"],
                    "summary": "x", "expires": "2026-12-31 18:00"}],
    "notice": [{**BASE, "category": "通知", "doc_number": "国知办发〔2026〕9号"},
               {**BASE, "category": "公告", "type": "notice",
                "allow": [{"rule": "GP501", "reason": "热线号码，非个人信息"}]}],
    "service-item": [SERVICE_ITEM,
                     {**{k: v for k, v in SERVICE_ITEM.items() if k not in ("fees", "fee_basis")},
                      "free": True}],
    "guide": [{**BASE, "items": ["000173001001", "000173001002"]}],
    "policy": [{**BASE, "policy_kind": "law", "status": "in-force", "effective": "2021-06-01"},
               {**BASE, "policy_kind": "interpretation", "status": "in-force",
                "interprets": "policies/2017-09-24-internet-plus-work-plan.md"},
               {**BASE, "policy_kind": "rule", "status": "withdrawn", "status_note": "已撤回"}],
    "reproduction": [{**BASE, "reproduces": {
        "url": "https://www.gov.cn/zhengce/content/2016-09/29/content_5113369.htm",
        "title": "国务院关于加快推进“互联网+政务服务”工作的指导意见", "publisher": "国务院",
        "published": "2016-09-29T17:00:00+08:00"}}],
    "faq": [BASE],
    "report": [{**BASE, "year": 2025, "report_kind": "annual"}],
    "comment": [
        {**BASE, "received": "2026-11-27T14:05:00+08:00", "channel": "website",
         "subject": "s", "message": "m"},
        {**BASE, "received": "2026-11-16 10:20", "channel": "mail", "subject": "s",
         "message": "m", "replied": "2026-11-18T15:00:00+08:00", "handled_by": "办公室",
         "outcome": "answered", "reply": "r"},
        {**BASE, "received": "2026-10-09", "channel": "phone", "subject": "s", "message": "m",
         "replied": "2026-10-12", "handled_by": "办公室", "outcome": "withheld",
         "withheld_reason": "反映情况不实"},
    ],
}


@pytest.mark.parametrize("type_name,data", [(t, d) for t, ds in VALID.items() for d in ds])
def test_valid_front_matter_passes(type_name, data):
    assert messages(type_name, data) == []


def _without(data, key):
    return {k: v for k, v in data.items() if k != key}


# (type, front matter, a fragment the first error message must contain)
INVALID = [
    ("page", _without(BASE, "source"), "'source' is a required property"),
    ("page", {**BASE, "titel": "x"}, "'titel' was unexpected"),
    ("page", {**BASE, "title": "第一行\n第二行"}, "does not match"),
    ("page", {**BASE, "title": "字" * 201}, "is too long"),
    ("page", {**BASE, "published": "2026/01/09"}, "does not match"),
    ("page", {**BASE, "published": "yesterday"}, "does not match"),
    ("page", {**BASE, "disclosure": "public"}, "is not one of"),
    ("page", {**BASE, "lang": "fr"}, "is not one of"),
    ("page", {**BASE, "type": "notice"}, "'page' was expected"),
    ("page", {**BASE, "status": "withdrawn"}, "'status_note' is a required property"),
    ("page", {**BASE, "allow": [{"rule": "501", "reason": "x"}]}, "does not match"),
    ("page", {**BASE, "allow": [{"rule": "GP501"}]}, "'reason' is a required property"),
    ("notice", BASE, "'category' is a required property"),
    ("service-item", {**SERVICE_ITEM, "code": "12345"}, "does not match"),
    ("service-item", {**SERVICE_ITEM, "online_depth": 5}, "is greater than the maximum"),
    ("service-item", {**SERVICE_ITEM, "visits": -1}, "is less than the minimum"),
    ("service-item", {**SERVICE_ITEM, "channels": ["fax"]}, "is not one of"),
    ("service-item", {**SERVICE_ITEM, "online_url": "http://example.org/"}, "does not match"),
    ("service-item", {**SERVICE_ITEM, "time_limit": {"statutory_days": 20}},
     "'promised_days' is a required property"),
    ("service-item", {**SERVICE_ITEM, "documents": [{"name": "x", "form": "scan", "copies": 1,
                                                      "required": True}]}, "is not one of"),
    ("service-item", {**SERVICE_ITEM, "documents": [{"name": "x", "form": "copy", "copies": 1,
                                                      "required": True,
                                                      "template": "/etc/passwd"}]},
     "does not match"),
    ("service-item", {**SERVICE_ITEM, "documents": [{"name": "x", "form": "copy", "copies": 1,
                                                      "required": True,
                                                      "template": "https://x.example/f.doc"}]},
     "does not match"),
    ("service-item", {**SERVICE_ITEM, "contact": {"enquiry": "12330"}},
     "'complaint' is a required property"),
    ("service-item", {**SERVICE_ITEM, "fees": [{"name": "x", "amount": -5}]},
     "is less than the minimum"),
    ("guide", {**BASE, "items": []}, "should be non-empty"),
    ("guide", {**BASE, "items": ["12345678901"]}, "does not match"),
    ("policy", {**BASE, "policy_kind": "interpretation", "status": "in-force"},
     "'interprets' is a required property"),
    ("policy", {**BASE, "policy_kind": "decree", "status": "in-force"}, "is not one of"),
    ("policy", {**BASE, "policy_kind": "law"}, "'status' is a required property"),
    ("reproduction", {**BASE, "reproduces": {"url": "https://www.gov.cn/x", "title": "t",
                                             "publisher": "国务院"}},
     "'published' is a required property"),
    ("report", {**BASE, "year": "2025", "report_kind": "annual"}, "is not of type 'integer'"),
    ("comment", {**BASE, "received": "2026-10-09", "channel": "website", "subject": "s",
                 "message": "m", "replied": "2026-10-12", "handled_by": "办公室",
                 "outcome": "withheld"}, "'withheld_reason' is a required property"),
    ("comment", {**BASE, "received": "2026-10-09", "channel": "website", "subject": "s",
                 "message": "m", "replied": "2026-10-12", "handled_by": "办公室",
                 "outcome": "answered"}, "'reply' is a required property"),
    ("comment", {**BASE, "received": "2026-10-09", "channel": "website", "subject": "s",
                 "message": "m", "outcome": "answered", "reply": "r"},
     "'replied' is a required property"),
]


@pytest.mark.parametrize("type_name,data,expected", INVALID,
                         ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(INVALID)])
def test_invalid_front_matter_fails_with_a_clear_message(type_name, data, expected):
    found = messages(type_name, data)
    assert any(expected in m for m in found), found
    # a bad value in a common field must not also drown in "unexpected property" noise
    assert not any("were unexpected" in m for m in found), found


@pytest.mark.parametrize("name", TYPE_NAMES)
def test_misspelled_field_is_rejected_in_every_type(name):
    found = messages(name, {**BASE, "sorce": "x"})
    assert any("'sorce' was unexpected" in m for m in found)


# ---------------------------------------------------------------- the demo site

@pytest.fixture(scope="module")
def demo():
    policy = load_policy(ROOT)
    return policy, load_corpus(policy.content_dir)


def test_every_column_has_a_type_schema(demo):
    policy, _ = demo
    assert {c.type for c in policy.columns.values()} <= set(TYPE_NAMES)
    assert policy.column_levels.get("policies") == 2
    assert len(policy.reviewers) >= 3


def test_every_demo_page_is_valid_for_its_column(demo):
    policy, corpus = demo
    problems = []
    for doc in corpus.pages():
        column = policy.column_for(doc.path)
        assert column is not None, doc.path
        assert doc.problems == [], doc.path
        validator = jsonschema.Draft202012Validator(policy.type_schemas[column.type],
                                                    registry=policy.schemas)
        problems += [(doc.path, e.message) for e in validator.iter_errors(doc.meta)]
    assert problems == []


def test_demo_catalog_is_complete_and_consistent(demo):
    policy, corpus = demo
    items = {d.path: d.meta for d in corpus.pages() if d.path.startswith("catalog/")}
    assert len(items) >= 10
    for path, meta in items.items():
        assert path == f"catalog/{meta['code']}.md"
        limit = meta["time_limit"]
        assert limit["promised_days"] <= limit["statutory_days"], path
        if meta["online_depth"] == 4:
            assert meta["visits"] == 0, path
        if meta["online_depth"] >= 3:
            assert meta["online_url"].startswith("https://"), path
        assert meta.get("free") or (meta.get("fees") and meta.get("fee_basis")), path
        for document in meta["documents"]:
            for key in ("template", "example"):
                if key in document:
                    target = (policy.content_dir / "catalog" / document[key]).resolve()
                    assert target.is_file(), (path, document[key])
    assert {m["online_depth"] for m in items.values()} == {1, 2, 3, 4}
    guided = {code for d in corpus.pages() if d.path.startswith("guides/")
              for code in d.meta["items"]}
    assert guided == {m["code"] for m in items.values()}


def test_demo_dates_and_disclosure(demo):
    _, corpus = demo
    pages = list(corpus.pages())
    assert all(d.meta["disclosure"] == "proactive" for d in pages)
    future = [d.path for d in pages if d.meta["published"] > "2026-11-28"]
    assert future == ["notices/2027-01-05-q1-system-maintenance.md"]
    notices = [d for d in pages if d.path.startswith("notices/")]
    assert len(notices) >= 12
    assert len({d.meta["published"][:7] for d in notices}) >= 6  # several months


def test_demo_comments_cover_every_state(demo):
    _, corpus = demo
    comments = [d.meta for d in corpus.pages() if d.path.startswith("comments/")]
    assert {m.get("outcome") for m in comments} == {None, "answered", "withheld"}


def test_demo_has_no_mobile_numbers_or_markings():
    mobile = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
    marking = re.compile(r"绝密|机密|秘密|内部资料|内部使用|注意保存|confidential|internal use only",
                         re.IGNORECASE)
    for path in (ROOT / "content").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert not mobile.search(text), path
        assert not marking.search(text), path


def test_demo_attachments_have_real_text():
    docx = pytest.importorskip("docx")
    pypdf = pytest.importorskip("pypdf")
    forms = ROOT / "content" / "attachments" / "forms"
    templates = sorted(forms.glob("*.docx"))
    assert len(templates) >= 2
    for path in templates:
        text = "\n".join(p.text for p in docx.Document(path).paragraphs)
        assert "请求书" in text, path
    examples = sorted(forms.glob("*-example.pdf"))
    assert examples
    text = pypdf.PdfReader(examples[0]).pages[0].extract_text()
    assert "发明专利请求书" in text and "填写示例" in text


def test_the_compiled_quick_check_decides_as_before_without_the_annotations():
    """The compiled pre-check is made without descriptions and titles (smaller generated
    code), but never without what decides: properties named like annotation keywords
    (every page has a `title` field) are still checked, and a missing field's default is
    still written into the data, as it always was."""
    from govpub.typeschema import _without_annotations, plain_schema

    schema = {"type": "object", "title": "T", "description": "D", "required": ["title"],
              "properties": {"title": {"type": "string", "description": "the title",
                                       "maxLength": 3},
                             "description": {"type": "integer", "title": "x"},
                             "lang": {"enum": ["zh", "en"], "default": "zh"}},
              "allOf": [{"$comment": "c", "if": {"required": ["description"]},
                         "then": {"required": ["lang"], "examples": [1]}}]}
    stripped = _without_annotations(schema)
    assert "description" not in stripped and "title" not in stripped
    assert set(stripped["properties"]) == {"title", "description", "lang"}
    assert stripped["properties"]["title"] == {"type": "string", "maxLength": 3}
    assert stripped["allOf"] == [{"if": {"required": ["description"]},
                                  "then": {"required": ["lang"]}}]
    compiled = plain_schema(schema)
    assert compiled.quick is not None
    for data, valid in (({"title": "abc"}, True), ({"title": "abcd"}, False), ({}, False),
                        ({"title": "a", "description": "x"}, False),
                        ({"title": "a", "description": 1}, False),
                        ({"title": "a", "description": 1, "lang": "en"}, True)):
        assert (not list(compiled.iter_errors(dict(data)))) is valid, data
    data = {"title": "a"}
    assert not list(compiled.iter_errors(data)) and data == {"title": "a", "lang": "zh"}
