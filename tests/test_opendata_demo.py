"""The demo site's open data and feeds, through the real rules."""

from __future__ import annotations

import json

import feedparser
import jsonschema
import pytest
from feeds_validation import assert_valid_atom
from opendata_demo import demo_model

from govpub.feeds import feed_files
from govpub.opendata import open_data_files
from govpub.opendata.records import item_code


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    model, blocked, _root = demo_model(tmp_path_factory.mktemp("demo"))
    return model, blocked, {**open_data_files(model), **feed_files(model)}


def test_demo_catalog_validates_and_matches_the_item_pages(demo):
    model, _, files = demo
    catalog = json.loads(files["api/catalog.json"])
    schema = json.loads(files["api/schema/catalog.schema.json"])
    jsonschema.Draft202012Validator(schema).validate(catalog)
    item_schema = json.loads(files["api/schema/item.schema.json"])
    pages = {item_code(p): p for p in model.pages if p.type == "service-item"}
    assert pages, "the demo publishes no service item: check its sign-offs and rules"
    assert [i["code"] for i in catalog["items"]] == sorted(pages)
    for item in catalog["items"]:
        page = pages[item["code"]]
        assert page.path == f"catalog/{item['code']}.md"
        assert item["url"] == model.absolute(f"catalog/{item['code']}/")
        assert item["name"] == page.meta["title"]
        assert item["promised_days"] == page.meta["time_limit"]["promised_days"]
        assert item["statutory_days"] == page.meta["time_limit"]["statutory_days"]
        detail = json.loads(files[f"api/items/{item['code']}.json"])
        jsonschema.Draft202012Validator(item_schema).validate(detail)
    for name in ("reproductions", "notices", "policies"):
        jsonschema.Draft202012Validator(json.loads(files[f"api/schema/{name}.schema.json"])) \
            .validate(json.loads(files[f"api/{name}.json"]))


def test_demo_pages_blocked_by_the_real_rules_leave_no_trace(demo):
    _model, blocked, files = demo
    blocked_pages = sorted(p for p in blocked if p.endswith(".md"))
    for path in blocked_pages:
        url = path.removesuffix(".md") + "/"
        for name, data in files.items():
            assert url.encode() not in data, (path, name)


def test_demo_feeds_are_valid(demo):
    _, _, files = demo
    for name in ("feeds/all.xml", "feeds/notices.xml", "feeds/policies.xml",
                 "feeds/reproduced.xml"):
        assert not feedparser.parse(files[name]).bozo
        assert_valid_atom(files[name])
