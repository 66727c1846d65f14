"""Front-matter values reach the HTML as text, never as markup."""

from __future__ import annotations

import json

import pytest
from build_fixtures import build, make_site, notice, page_html, service_item
from search_fixtures import records

pytestmark = pytest.mark.slow

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = {
        "notices/2026-11-20-x.md": notice(
            title=json.dumps(f"{SCRIPT} 标题 [a](javascript:alert(2))", ensure_ascii=False),
            source=json.dumps('办公室"><img src=x onerror=alert(3)>', ensure_ascii=False),
            doc_number=json.dumps("<b>国知发〔2026〕1号</b>", ensure_ascii=False),
            status="withdrawn",
            status_note=json.dumps("<iframe src=//evil></iframe>已撤回", ensure_ascii=False),
            body="正文。"),
        "catalog/113500100001.md": service_item(
            conditions=json.dumps([f"条件 {SCRIPT}", "*强调* [链接](http://evil.example)"],
                                  ensure_ascii=False),
            category=json.dumps("<i>专利</i>", ensure_ascii=False)),
    }
    root = make_site(tmp_path_factory.mktemp("escape"), files)
    assert build(root) == 0
    return root / "site"


def test_title_and_metadata_show_as_text(site):
    page = page_html(site, "notices/2026-11-20-x")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 标题" in page
    assert "<img src=x" not in page and "onerror=alert(3)&gt;" in page
    assert "<b>国知发" not in page and "&lt;b&gt;国知发〔2026〕1号&lt;/b&gt;" in page
    assert "<iframe" not in page and "&lt;iframe src=//evil&gt;&lt;/iframe&gt;已撤回" in page
    assert 'href="javascript:' not in page


def test_status_banner_is_shown(site):
    page = page_html(site, "notices/2026-11-20-x")
    assert "govpub-status--withdrawn" in page and "本文件已撤回" in page


def test_generated_pages_escape_titles(site):
    for url in ("", "notices"):
        page = page_html(site, url)
        assert "<script>alert(1)" not in page
        assert "&#60;script&#62;alert&#40;1&#41;&#60;/script&#62;" in page or \
            "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert 'href="javascript:' not in page


def test_service_item_guide_escapes_its_fields(site):
    page = page_html(site, "catalog/113500100001")
    assert "<script>alert(1)" not in page
    assert 'href="http://evil.example"' not in page
    assert "<em>强调</em>" not in page and "<i>专利</i>" not in page


def test_search_index_holds_titles_as_text(site):
    """The index carries the title as the reader sees it (text, which the search page
    inserts as text: tests/test_browser_search.py); nothing of it became markup."""
    record = next(r for r in records(site) if r["url"] == "/notices/2026-11-20-x/")
    assert record["meta"]["title"].startswith(SCRIPT)
    assert "[a](javascript:alert(2))" in record["meta"]["title"]
