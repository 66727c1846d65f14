"""The demo built with ``--renderer pelican`` in headless Chromium: the chrome works there too.

The parity test (test_build_parity.py) shows that the Pelican site says and
links the same as the MkDocs one; this drives it in a real browser: the skip
link is the first stop and lands on the heading, the care mode changes the
text size and is remembered across pages, the footer shows the site identity,
the catalog filter filters, and axe-core finds no WCAG 2.1 AA violation on each
kind of page at a desktop and a phone width. The checks every site build gets are
tests/browser_fixtures.py's, shared with test_browser_site.py.
"""

from __future__ import annotations

import pytest
from browser_fixtures import (
    WIDTHS,
    assert_skip_link_lands_on_the_heading,
    axe_tab,
    chromium_fixture,
    demo_copy,
    serving,
)
from patience import patient_page

from govpub.build import BuildOptions, run_build

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1200)]

browser = chromium_fixture()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = demo_copy(tmp_path_factory, "pelican-demo")
    state = run_build(BuildOptions(root=root, renderer="pelican", echo=lambda _line: None))
    assert not state.quarantined, sorted(state.quarantined)
    with serving(state.site_dir) as url:
        yield state.model, url


def _kinds_of_page(model) -> list[str]:
    """One page of each kind: home, column index, notice, policy, item guide, catalog,
    disclosure, site map, an English page, both 404 pages."""
    pages = ["", "notices/", model.of_type("notice")[0].url, model.of_type("policy")[0].url,
             model.of_type("service-item")[0].url, "catalog/", "disclosure/", "sitemap/",
             "en/about/", "404.html", "en/404.html"]
    return list(dict.fromkeys(pages))


def test_axe_finds_no_wcag_aa_violation_on_each_kind_of_page(demo, browser):
    model, address = demo
    failures = []
    for width in WIDTHS:
        with axe_tab(browser, width) as tab:
            for path in _kinds_of_page(model):
                response = tab.page.goto(address + path, wait_until="load")
                assert response is not None and response.status in (200, 404), path
                failures += [f"{path} @{width}px: {v['id']} ({v['impact']}): "
                             + ", ".join(v["nodes"]) for v in tab.violations()]
                if width == 390:
                    overflow = tab.page.evaluate("document.documentElement.scrollWidth - "
                                                 "document.documentElement.clientWidth")
                    assert overflow <= 0, (path, overflow)
        assert tab.errors == [] and tab.foreign == []
    assert failures == []


def test_skip_link_is_the_first_stop_and_focuses_the_heading(demo, browser):
    model, address = demo
    assert_skip_link_lands_on_the_heading(
        browser, address, ("", model.of_type("notice")[0].url, "catalog/", "en/about/", "404.html"))


def test_care_mode_changes_the_text_and_is_kept_across_pages(demo, browser):
    model, address = demo
    item = model.of_type("service-item")[0]
    page = patient_page(browser, viewport={"width": 390, "height": 900})
    size = "() => parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)"
    try:
        page.goto(address + item.url)
        normal = page.evaluate(size)
        assert normal >= 16
        page.click("[data-gp-text-size='150']")
        assert page.get_attribute("html", "data-gp-text") == "150"
        assert page.evaluate(size) == pytest.approx(normal * 1.5, rel=0.02)
        assert page.inner_text("[data-gp-care-status]") == "字号：较大"
        page.click("[data-gp-contrast-toggle]")
        page.goto(address + "notices/")
        assert page.get_attribute("html", "data-gp-text") == "150"
        assert page.get_attribute("html", "data-gp-contrast") == "high"
        assert page.get_attribute("[data-gp-text-size='150']", "aria-pressed") == "true"
        page.click("[data-gp-care-reset]")
        assert page.get_attribute("html", "data-gp-text") is None
    finally:
        page.close()


def test_footer_shows_the_site_identity_in_the_page_language(demo, browser):
    model, address = demo
    site = model.policy.site
    page = patient_page(browser)
    try:
        page.goto(address + model.of_type("notice")[0].url)
        footer = page.inner_text("footer.gp-footer")
        for value in (site["organizer"], site["site_code"], site["icp"], "主办单位", "网站标识码"):
            assert value in footer
        page.goto(address + "en/about/")
        footer = page.inner_text("footer.gp-footer")
        assert "Website ID code" in footer and site["site_code"] in footer
        assert page.get_attribute("html", "lang") == "en"
    finally:
        page.close()


def test_the_catalog_filter_filters(demo, browser):
    model, address = demo
    items = model.of_type("service-item")
    category = str(items[0].meta["category"])
    same = [p for p in items if str(p.meta.get("category")) == category]
    page = patient_page(browser)
    try:
        page.goto(address + "catalog/")
        assert page.is_visible(".gp-catalog__filter")
        page.select_option("select[name=category]", category)
        shown = page.locator(".gp-catalog tbody tr:not([hidden])")
        assert shown.count() == len(same) < len(items)
        assert page.inner_text(".gp-catalog__count") == f"{len(same)} / {len(items)}"
    finally:
        page.close()


def test_the_search_finds_a_page_by_its_title_and_from_the_header_box(demo, browser):
    """The search works in the Pelican site as in the MkDocs one: the search page reads
    the index from the head's govpub-search-index (index.json asked for once), and the
    header's box of another page leads to it."""
    model, address = demo
    notice = model.of_type("notice")[0]
    word = str(notice.meta["title"])[:2]
    page = patient_page(browser)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    try:
        page.goto(address + notice.url)
        page.fill("#gp-search-box-q", word)
        page.press("#gp-search-box-q", "Enter")
        page.wait_for_url("**/search/?q=*")
        page.wait_for_selector("[data-gp-search][data-gp-search-state=done]", state="attached")
        titles = page.locator(".gp-search__result a").all_text_contents()
        assert titles and word in titles[0], titles
        assert page.locator('head meta[name="govpub-search-index"]').count() == 1
        assert sum(url.endswith("/search-index/index.json") for url in asked) == 1, asked
    finally:
        page.close()
