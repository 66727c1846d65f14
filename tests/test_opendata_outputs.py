"""Open data: schemas, agreement with the item pages, the gate, determinism, CSV."""

from __future__ import annotations

import csv
import io
import json
import shutil

import jsonschema
import pytest
from opendata_fixtures import BLOCKED_CODE, BLOCKED_TITLES, model_of, site_model, write_repo

from govpub.feeds import feed_files
from govpub.opendata import open_data_files, safe_code, write_open_data
from govpub.opendata.records import item_code, service_items
from govpub.opendata.schemas import CSV_COLUMNS


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return site_model(tmp_path_factory.mktemp("od"))


@pytest.fixture(scope="module")
def files(model):
    return open_data_files(model)


def _json(files, path):
    return json.loads(files[path].decode("utf-8"))


def _validate(files, data_path, schema_name):
    schema = _json(files, f"api/schema/{schema_name}.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = [e.message for e in validator.iter_errors(_json(files, data_path))]
    assert errors == [], (data_path, errors)


def test_every_json_file_validates_against_its_published_schema(files):
    _validate(files, "api/catalog.json", "catalog")
    _validate(files, "api/reproductions.json", "reproductions")
    _validate(files, "api/notices.json", "notices")
    _validate(files, "api/policies.json", "policies")
    item_files = [p for p in files if p.startswith("api/items/")]
    assert len(item_files) == 2
    for path in item_files:
        _validate(files, path, "item")


def test_schema_rejects_a_malformed_catalog(files):
    schema = _json(files, "api/schema/catalog.schema.json")
    broken = _json(files, "api/catalog.json")
    broken["items"][0]["published"] = "2026-11-01 09:00"  # no T, no offset
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_catalog_matches_the_approved_item_pages(model, files):
    catalog = _json(files, "api/catalog.json")
    pages = {item_code(p): p for p in service_items(model)}
    assert [i["code"] for i in catalog["items"]] == sorted(pages)
    assert catalog["count"] == len(pages) == 2
    for item in catalog["items"]:
        page = pages[item["code"]]
        assert item["name"] == page.meta["title"]
        assert item["url"] == "https://www.example.gov.cn/" + page.url
        assert item["url"].endswith(f"/catalog/{item['code']}/")
        assert item["promised_days"] == page.meta["time_limit"]["promised_days"]
        assert item["online_depth"] == page.meta["online_depth"]
        detail = _json(files, f"api/items/{item['code']}.json")
        assert {k: detail[k] for k in item} == item
    assert catalog["modified"] == "2026-11-10T15:30:00+08:00"  # the newest update of an item


def test_item_links_back_to_its_guides_and_published_attachments(files):
    item = _json(files, "api/items/000100000001.json")
    assert item["guides"] == [{"title": "专利权评价报告办事指南",
                               "url": "https://www.example.gov.cn/guides/patent-evaluation/"}]
    assert item["documents"][0]["template"] == "https://www.example.gov.cn/attachments/forms/a.pdf"
    assert item["online_depth_label"] == "IV"
    assert item["contact"] == {"complaint": "010-62083114", "enquiry": "010-62356655"}


def test_a_blocked_page_appears_in_no_output(model, files):
    assert BLOCKED_CODE not in {item_code(p) for p in model.pages if p.type == "service-item"}
    everything = {**files, **feed_files(model)}
    for path, data in everything.items():
        text = data.decode("utf-8")
        assert BLOCKED_CODE not in text and BLOCKED_CODE not in path, path
        for title in BLOCKED_TITLES:
            assert title not in text, (path, title)
        assert "2026-11-26-blocked" not in text


def test_outputs_are_byte_identical_across_two_builds_of_two_checkouts(tmp_path, files):
    first = write_repo(tmp_path / "a")
    second = tmp_path / "elsewhere" / "b"
    shutil.copytree(first, second)
    again = {**open_data_files(model_of(second)), **feed_files(model_of(second))}
    original = {**open_data_files(model_of(first)), **feed_files(model_of(first))}
    assert again == original
    assert {k: v for k, v in again.items() if k in files} == files


def test_csv_opens_with_the_right_columns(files):
    raw = files["api/catalog.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows and tuple(rows[0]) == CSV_COLUMNS
    by_code = {r["code"]: r for r in rows}
    assert by_code["000200000002"]["name"] == "商标注册申请 <A&B>"
    assert by_code["000200000002"]["channels"] == "online;mail"
    assert by_code["000100000001"]["promised_days"] == "20"
    assert by_code["000100000001"]["updated"] == ""


def test_csv_defuses_spreadsheet_formulas(tmp_path):
    from opendata_fixtures import CONTENT

    content = dict(CONTENT)
    content["catalog/000100000001.md"] = content["catalog/000100000001.md"].replace(
        "title: 专利权评价报告请求", "title: '=HYPERLINK(\"http://evil\")'")
    files = open_data_files(model_of(write_repo(tmp_path / "r", content)))
    rows = list(csv.DictReader(io.StringIO(files["api/catalog.csv"].decode("utf-8-sig"))))
    assert rows[0]["name"] == "'=HYPERLINK(\"http://evil\")"
    assert _json(files, "api/catalog.json")["items"][0]["name"] == "=HYPERLINK(\"http://evil\")"


def test_reproductions_follow_the_watcher_contract(files):
    data = _json(files, "api/reproductions.json")
    assert data["generated"] == "2026-11-25T08:00:00+08:00"
    assert data["items"] == [{
        "title": "国务院关于进一步优化政务服务的意见",
        "url": "https://www.example.gov.cn/reproduced/2026-11-25-state-council/",
        "published": "2026-11-25T08:00:00+08:00",
        "source_url": "https://www.gov.cn/zhengce/content/2026-11/24/content_1.htm",
        "source_title": "国务院关于进一步优化政务服务的意见",
        "publisher": "国务院办公厅",
        "source_published": "2026-11-24T20:00:00+08:00",  # naive source time: site zone
        "deadline": "2026-11-25T08:00:00+08:00",   # 12 hours after the original
        "late": False,                               # published at the deadline: on time
    }]


def test_notices_and_policies_carry_number_and_status(files):
    notice = _json(files, "api/notices.json")["items"][0]
    assert (notice["doc_number"], notice["status"], notice["category"]) == \
        ("第123号", "in-force", "公告")
    policy = _json(files, "api/policies.json")["items"][0]
    assert policy["policy_kind"] == "law" and policy["updated"] == "2026-06-01T00:00:00+08:00"


def test_data_json_lists_every_dataset_with_distributions_that_exist(files):
    catalog = _json(files, "data.json")
    assert catalog["@type"] == "dcat:Catalog" and catalog["conformsTo"].endswith("v1.1/schema")
    assert {d["title"].split(" ")[0] for d in catalog["dataset"]} == \
        {"政务服务事项目录", "通知公告", "政策文件", "转载"}
    feeds = {"feeds/notices.xml", "feeds/policies.xml", "feeds/reproduced.xml"}
    for dataset in catalog["dataset"]:
        assert dataset["accessLevel"] == "public"
        assert dataset["publisher"]["name"] == "国家知识产权局"
        assert dataset["modified"].endswith("+08:00")
        for dist in dataset["distribution"]:
            path = dist["downloadURL"].removeprefix("https://www.example.gov.cn/")
            assert path in files or path in feeds, path
            assert dist["mediaType"] in ("application/json", "text/csv", "application/atom+xml")
            if "describedBy" in dist:
                assert dist["describedBy"].removeprefix("https://www.example.gov.cn/") in files


def test_openapi_describes_paths_that_exist(files):
    api = _json(files, "api/openapi.json")
    assert api["openapi"] == "3.1.0"
    assert api["servers"] == [{"url": "https://www.example.gov.cn"}]
    feeds = {"feeds/all.xml", "feeds/notices.xml", "feeds/policies.xml", "feeds/reproduced.xml"}
    for path, ops in api["paths"].items():
        concrete = path.lstrip("/").replace("{code}", "000100000001")
        assert concrete in files or concrete in feeds, path
        content = ops["get"]["responses"]["200"]["content"]
        for media in content.values():
            ref = media["schema"].get("$ref")
            if ref:
                name = ref.rsplit("/", 1)[-1]
                schema = api["components"]["schemas"][name]
                jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("code", ["../etc", "a/b", "..", "", "x" * 65, "代码"])
def test_codes_that_cannot_be_file_names_are_refused(code):
    assert not safe_code(code)


def test_write_open_data_writes_into_the_site_folder(model, files, tmp_path):
    write_open_data(model, tmp_path)
    written = {p.relative_to(tmp_path).as_posix(): p.read_bytes()
               for p in tmp_path.rglob("*") if p.is_file()}
    assert written == files


def test_catalog_page_lists_approved_items_by_category_escaped(model):
    from govpub.opendata.pages import CATALOG_PAGE, catalog_page, open_data_page

    page = catalog_page(model)[CATALOG_PAGE]
    assert page.startswith('---\ntitle: "政务服务事项目录 Service catalog"\n---\n')
    assert "商标注册申请 &lt;A&amp;B&gt;" in page and "<A&B>" not in page
    assert '<a href="000100000001/">' in page and '<a href="000200000002/">' in page
    assert page.index('data-category="专利"') < page.index("000100000001")
    assert "行政许可" in page and "180 个工作日（法定 270）" in page
    assert BLOCKED_CODE not in page and "机密事项不得公开" not in page
    assert "\n\n" not in page.split("<div class=\"gp-catalog\"", 1)[1]  # one raw HTML block
    about = open_data_page(model)["open-data.md"]
    assert "https://www.example.gov.cn/api/items/000100000001.json" in about


def test_print_block_carries_code_url_and_times(model):
    from govpub.opendata.pages import print_meta_html

    page = next(p for p in model.pages if p.path == "catalog/000200000002.md")
    block = print_meta_html(page, model)
    for text in ("000200000002", "https://www.example.gov.cn/catalog/000200000002/",
                 "2026-11-02T09:00:00+08:00", "2026-11-10T15:30:00+08:00"):
        assert text in block


def test_an_item_record_made_from_its_summary_is_the_same_and_leaves_the_summary_alone(model):
    from govpub.opendata.records import guides_by_item, item_detail, item_summary

    guides = guides_by_item(model)
    for page in service_items(model):
        summary = item_summary(page, model)
        before = dict(summary)
        code = item_code(page)
        assert item_detail(page, model, guides.get(code, []), summary) == \
            item_detail(page, model, guides.get(code, []))
        assert summary == before  # the catalog row stays a catalog row
