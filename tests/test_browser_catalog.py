"""The catalog page in a real browser: a real MkDocs-Material build, served locally, filtered in headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser_fixtures import chromium_fixture, require_chromium, serving
from opendata_fixtures import site_model
from patience import patient_page

from govpub.opendata.pages import CATALOG_PAGE, catalog_page, print_meta_html

pytestmark = pytest.mark.browser

THEME = Path(__file__).resolve().parent.parent / "src" / "govpub" / "theme"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_chromium()
    tmp = tmp_path_factory.mktemp("browser")
    model = site_model(tmp)
    docs = tmp / "docs"
    (docs / "catalog").mkdir(parents=True)
    (docs / CATALOG_PAGE).write_text(catalog_page(model)[CATALOG_PAGE], encoding="utf-8")
    for page in model.pages:
        if page.type == "service-item":
            (docs / page.path).write_text(
                f"# {page.title}\n\n{print_meta_html(page, model)}\n\nGuide text.\n",
                encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    for sub, name in (("javascripts", "catalog-filter.js"), ("stylesheets", "print.css")):
        (docs / sub).mkdir(exist_ok=True)
        shutil.copy(THEME / sub / name, docs / sub / name)
    (tmp / "mkdocs.yml").write_text(
        "site_name: test\nsite_url: http://127.0.0.1/\ntheme:\n  name: material\n"
        "  features: [navigation.instant]\n"
        "extra_javascript: [javascripts/catalog-filter.js]\n"
        "extra_css: [stylesheets/print.css]\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp / "mkdocs.yml"),
                    "-d", str(tmp / "site")], check=True)
    with serving(tmp / "site") as url:
        yield url


browser = chromium_fixture()


def _visible_codes(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-gp-catalog] tbody tr",
        "rows => rows.filter(r => r.offsetParent !== null).map(r => r.querySelector('code').textContent)")


def test_catalog_filters_by_category(site, browser):
    page = patient_page(browser)
    try:
        page.goto(site + "catalog/")
        page.wait_for_selector(".gp-catalog__filter:not([hidden])")
        assert _visible_codes(page) == ["000100000001", "000200000002"]
        assert page.text_content(".gp-catalog__count") == "2 / 2"

        page.select_option("select[name=category]", "商标")
        assert _visible_codes(page) == ["000200000002"]
        assert page.is_hidden("section[data-category='专利']")
        assert page.text_content(".gp-catalog__count") == "1 / 2"
        assert "category=" in page.url  # a filtered view can be linked

        page.select_option("select[name=category]", "")
        page.fill("input[name=q]", "评价报告")
        assert _visible_codes(page) == ["000100000001"]
        page.fill("input[name=q]", "no such item")
        assert _visible_codes(page) == []
        assert page.is_visible(".gp-catalog__empty")
    finally:
        page.close()


def test_a_linked_filter_is_restored_and_item_links_work(site, browser):
    page = patient_page(browser)
    try:
        page.goto(site + "catalog/#category=%E4%B8%93%E5%88%A9")  # 专利
        page.wait_for_selector(".gp-catalog__filter:not([hidden])")
        assert _visible_codes(page) == ["000100000001"]
        page.click("text=专利权评价报告请求")
        page.wait_for_url("**/catalog/000100000001/")
        assert page.is_visible("h1")
    finally:
        page.close()


def test_print_view_hides_navigation_and_shows_the_check_block(site, browser):
    page = patient_page(browser)
    try:
        page.goto(site + "catalog/000200000002/")
        assert page.is_visible(".md-header") and page.is_hidden(".gp-print-meta")
        page.emulate_media(media="print")
        assert page.is_hidden(".md-header") and page.is_hidden(".md-sidebar--primary")
        assert page.is_hidden(".md-footer")
        meta = page.inner_text(".gp-print-meta")
        assert "000200000002" in meta
        assert "https://www.example.gov.cn/catalog/000200000002/" in meta
        assert "2026-11-02T09:00:00+08:00" in meta and "2026-11-10T15:30:00+08:00" in meta
        assert page.is_visible("text=Guide text.")
    finally:
        page.close()
