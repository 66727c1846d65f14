"""The built demo site in headless Chromium: home page, a service item, Chinese search.

Builds a copy of this repository's demo (content/, review/, site_config/,
mkdocs.yml) with `govpub build`, serves it on 127.0.0.1 and drives Debian's
Chromium through Playwright. It must run in CI: a missing browser is a failure.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_fixtures import (
    AXE,
    WIDTHS,
    assert_skip_link_lands_on_the_heading,
    axe_tab,
    chromium_fixture,
    demo_copy,
    isolated_context,
    serving,
)
from patience import PATIENT_SECONDS, patient_page

from govpub.build import BuildOptions, run_build

# one build and one sweep of every page serve the whole module: allow for a busy machine
pytestmark = [pytest.mark.browser, pytest.mark.timeout(1200)]



@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = demo_copy(tmp_path_factory, "demo")
    state = run_build(BuildOptions(root=root, echo=lambda _line: None))
    assert not state.quarantined, f"the demo must pass every rule: {sorted(state.quarantined)}"
    with serving(state.site_dir) as url:
        yield state.model, url, state.site_dir


browser = chromium_fixture()


def test_home_page_shows_the_latest_notices(demo, browser):
    model, address, _site = demo
    notices = model.of_type("notice")
    assert notices, "the demo has no published notice"
    page = patient_page(browser)
    page.goto(address)
    text = page.inner_text("article")
    assert "最新通知" in text
    assert notices[0].title in text
    assert text.index(notices[0].title) < text.index(notices[1].title) if len(notices) > 1 \
        else True
    page.close()


def test_service_item_page_shows_time_limits_and_online_depth(demo, browser):
    model, address, _site = demo
    item = model.of_type("service-item")[0]
    page = patient_page(browser)
    page.goto(address + item.url)
    text = page.inner_text("article")
    limit = item.meta["time_limit"]
    assert "法定办结时限" in text and f"{limit['statutory_days']} 个工作日" in text
    assert "承诺办结时限" in text and f"{limit['promised_days']} 个工作日" in text
    numeral = "ⅠⅡⅢⅣ"[item.meta["online_depth"] - 1]
    assert "网上办理深度" in text and f"{numeral} 级" in text
    page.close()


def test_chinese_search_finds_the_page(demo, browser):
    """A service item's name typed in the header's search box: the search page lists it,
    among the pages whose title carries the words (govpub.search)."""
    model, address, _site = demo
    item = model.of_type("service-item")[0]
    page = patient_page(browser, viewport={"width": 1280, "height": 800})
    page.goto(address)
    page.fill("#gp-search-box-q", item.title)
    page.press("#gp-search-box-q", "Enter")
    page.wait_for_selector("[data-gp-search][data-gp-search-state=done]", state="attached")
    links = [a.get_attribute("href") for a in page.query_selector_all(".gp-search__result a")]
    assert any(href and href.endswith("/" + item.url) for href in links), (item.title, links)
    titles = [a.text_content() for a in page.query_selector_all(".gp-search__result a")]
    assert titles and item.title in titles[0], titles
    page.close()


# ---------------------------------------------------------------------------------------
# A Chinese government website everyone can use (issue 14): every page of the sitemap,
# at a desktop and a phone width, in one pass (one browser, one build): axe-core, no
# request to another host, the footer identity, the page metadata, lang, skip link,
# text size. Then focused tests: care mode, keyboard paths, tables, 404, layout shift.
# ---------------------------------------------------------------------------------------

METADATA = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType", "ArticleTitle",
            "PubDate", "ContentSource", "Keywords", "Author", "Description", "Url",
            "description", "og:title", "og:url", "og:type", "og:site_name", "og:locale")

PAGE_FACTS = """() => {
  const metas = {};
  for (const m of document.querySelectorAll('meta[name], meta[property]')) {
    metas[m.getAttribute('name') || m.getAttribute('property')] = m.getAttribute('content');
  }
  const canonical = document.querySelector('link[rel=canonical]');
  const footer = document.querySelector('footer.gp-footer');
  const skip = document.querySelector('a.md-skip');
  const h1s = [...document.querySelectorAll('h1')].filter(h => h.getClientRects().length);
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const element = node.parentElement;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden'
        || element.closest('[hidden], .md-skip, .md-search__output, .md-dialog')) continue;
    const size = parseFloat(style.fontSize);
    if (size < 15.9) small.push(`${element.tagName}.${element.className}: ${size}px "${node.textContent.trim().slice(0, 20)}"`);
  }
  return {
    lang: document.documentElement.lang,
    metas,
    canonical: canonical ? canonical.href : null,
    footer: footer ? footer.innerText : '',
    footerLinks: footer ? [...footer.querySelectorAll('a')].map(a => a.href) : [],
    skip: skip ? skip.getAttribute('href') : null,
    headings: h1s.map(h => h.id),
    small: small.slice(0, 5),
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    styled: getComputedStyle(document.querySelector('.md-header')).backgroundColor,
  };
}"""


def sitemap_paths(site_dir: Path, model) -> list[str]:
    """Site-relative paths of every page in sitemap.xml, plus the two 404 pages."""
    xml = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    base = model.policy.base_url
    paths = [loc.removeprefix(base) for loc in re.findall(r"<loc>(.*?)</loc>", xml)]
    assert len(paths) > 50, paths
    return [*paths, "404.html", "en/404.html"]


@pytest.fixture(scope="module")
def sweep(demo, browser):
    """Every page at both widths, once: axe violations and the page facts, by (path, width)."""
    model, address, site_dir = demo
    results: dict[tuple[str, int], dict] = {}
    foreign_all: list[str] = []
    for width in WIDTHS:
        with axe_tab(browser, width) as tab:
            for path in sitemap_paths(site_dir, model):
                tab.errors.clear()
                response = tab.page.goto(address + path, wait_until="load")
                violations = tab.violations()
                facts = tab.page.evaluate(PAGE_FACTS)
                facts.update(status=response.status if response else None,
                             violations=violations, errors=list(tab.errors))
                results[(path, width)] = facts
        foreign_all += tab.foreign
    return results, foreign_all


def test_axe_finds_no_wcag_aa_violation_on_any_page_at_either_width(sweep):
    results, _foreign = sweep
    failures = [f"{path} @{width}px: {v['id']} {v['nodes']}"
                for (path, width), facts in results.items() for v in facts["violations"]]
    assert not failures, "\n".join(failures)


def test_every_page_is_complete_with_no_request_to_another_host(sweep):
    results, foreign = sweep
    assert foreign == []
    for (path, width), facts in results.items():
        assert facts["status"] == 200, (path, facts["status"])
        assert facts["errors"] == [], (path, width, facts["errors"])
        # the site's own stylesheets applied: the header has the government red
        assert facts["styled"] == "rgb(179, 27, 27)", (path, width, facts["styled"])


def test_no_theme_or_page_refers_to_another_host(demo):
    """No stylesheet, script, font, image or frame comes from elsewhere, in any built file
    (links to other sites are fine: a reader chooses to follow them)."""
    _model, _address, site_dir = demo
    resource = re.compile(r'<(?:script|img|source|iframe|video|audio|embed)\b[^>]*?\s(?:src|srcset)='
                          r'"(?:https?:)?//|@import\s+(?:url\()?\s*["\']?(?:https?:)?//'
                          r'|url\(\s*["\']?(?:https?:)?//')
    link_tag = re.compile(r"<link\b[^>]*>")
    offenders = []
    for path in site_dir.rglob("*"):
        if path.suffix not in (".html", ".css"):
            continue
        text = path.read_text("utf-8")
        external_links = [tag for tag in link_tag.findall(text)
                          if re.search(r'href="(?:https?:)?//', tag)
                          and not re.search(r'rel="(?:canonical|alternate)"', tag)]
        if resource.search(text) or external_links:
            offenders.append(str(path.relative_to(site_dir)))
    assert offenders == []


def test_every_page_shows_the_site_identity_in_its_language(sweep, demo):
    model, _address, _site = demo
    site = model.policy.site
    results, _foreign = sweep
    for (path, width), facts in results.items():
        footer = facts["footer"]
        english = facts["lang"] == "en"
        organizer = site["organizer_en"] if english else site["organizer"]
        for value in (organizer, site["site_code"], site["icp"], site["public_security_record"],
                      site["contact"]["postcode"], site["contact"]["phone"],
                      site["contact"]["email"]):
            assert value in footer, (path, width, value)
        for label in (("Site map", "About this site", "Contact us", "Privacy and copyright")
                      if english else ("网站地图", "关于本站", "联系我们", "主办单位", "网站标识码")):
            assert label in footer, (path, width, label)
        assert "Material" not in footer and "Made with" not in footer
        links = facts["footerLinks"]
        assert any(link.startswith("https://beian.miit.gov.cn/") for link in links)
        assert any("recordcode=11010802025209" in link for link in links)
        assert any(link.startswith(site["government_mark"]["url"]) for link in links)


def test_every_page_carries_the_page_metadata(sweep, demo):
    model, _address, _site = demo
    results, _foreign = sweep
    for (path, _width), facts in results.items():
        if path.endswith("404.html"):
            continue
        metas = facts["metas"]
        missing = [name for name in METADATA if not metas.get(name)]
        assert not missing, (path, missing)
        assert metas["SiteIDCode"] == model.policy.site["site_code"]
        assert metas["SiteDomain"] == model.policy.site["domain"]
        assert metas["Url"] == facts["canonical"] == model.policy.base_url + path
        assert "generator" not in metas


def test_lang_follows_each_page_and_the_skip_link_lands_on_its_heading(sweep, demo):
    model, _address, _site = demo
    english = {p.url for p in model.pages if p.path.startswith("en/")}
    assert english, "the demo has English pages"
    results, _foreign = sweep
    for (path, width), facts in results.items():
        expected = "en" if path in english or path.startswith("en/") else "zh-CN"
        assert facts["lang"] == expected, (path, facts["lang"])
        assert len(facts["headings"]) == 1, (path, width, facts["headings"])
        assert facts["skip"] == "#" + facts["headings"][0], (path, width, facts["skip"])


def test_all_text_is_at_least_16px_and_nothing_scrolls_sideways_on_a_phone(sweep):
    results, _foreign = sweep
    for (path, width), facts in results.items():
        assert facts["small"] == [], (path, width, facts["small"])
        if width == 390:
            assert facts["overflow"] <= 0, (path, facts["overflow"])


def test_skip_link_is_the_first_stop_and_focuses_the_heading(demo, browser):
    model, address, _site = demo
    assert_skip_link_lands_on_the_heading(
        browser, address, (model.of_type("notice")[0].url, "", "catalog/", "en/about/", "404.html"))


def _care_state(page) -> dict:
    return page.evaluate("""() => ({
        size: document.documentElement.getAttribute('data-gp-text'),
        contrast: document.documentElement.getAttribute('data-gp-contrast'),
        pressed: [...document.querySelectorAll('[data-gp-care] [aria-pressed=true]')]
                   .map(b => b.textContent.trim()),
        status: document.querySelector('[data-gp-care-status]').textContent,
        fontSize: parseFloat(getComputedStyle(document.querySelector('article p, article li')).fontSize)})""")


def test_care_mode_by_keyboard_is_kept_across_pages(demo, browser):
    model, address, _site = demo
    item = model.of_type("service-item")[0]
    context, foreign = isolated_context(browser, 390)
    page = context.new_page()
    try:
        page.goto(address)
        normal = _care_state(page)["fontSize"]
        assert normal >= 16
        # keyboard only: Tab from the top reaches the text-size buttons before anything else
        page.keyboard.press("Tab")  # skip link
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.dataset.gpTextSize") == "100"
        for _ in range(2):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.dataset.gpTextSize") == "150"
        page.keyboard.press("Enter")
        state = _care_state(page)
        assert state["size"] == "150" and state["pressed"] == ["较大"]
        assert state["status"] == "字号：较大"  # announced to screen readers
        assert state["fontSize"] == pytest.approx(normal * 1.5, rel=0.02)
        page.keyboard.press("Tab")  # 175 %
        page.keyboard.press("Tab")  # high contrast
        assert page.evaluate("'gpContrastToggle' in document.activeElement.dataset")
        page.keyboard.press("Space")
        assert _care_state(page)["contrast"] == "high"
        # another page remembers both, and the text reflows without sideways scrolling
        page.goto(address + item.url)
        state = _care_state(page)
        assert state["size"] == "150" and state["contrast"] == "high"
        assert sorted(state["pressed"]) == sorted(["较大", "高对比度"])
        page.click("[data-gp-text-size='175']")
        for url in ("", item.url, "catalog/", model.of_type("notice")[0].url, "sitemap/"):
            page.goto(address + url)
            assert _care_state(page)["size"] == "175"
            overflow = page.evaluate("document.documentElement.scrollWidth - "
                                     "document.documentElement.clientWidth")
            assert overflow <= 0, (url, overflow)
        page.click("[data-gp-care-reset]")
        page.goto(address)
        state = _care_state(page)
        assert state["size"] is None and state["contrast"] is None
        assert foreign == []
    finally:
        context.close()


def test_high_contrast_reaches_7_to_1_for_all_text(demo, browser):
    """axe's enhanced contrast rule (WCAG AAA, 7:1) on each kind of page in high contrast."""
    model, address, _site = demo
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(PATIENT_SECONDS * 1000)
    context.add_init_script("localStorage.setItem('gp-contrast', 'high')")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    try:
        urls = ["", "catalog/", model.of_type("service-item")[0].url,
                model.of_type("notice")[0].url, model.of_type("policy")[0].url, "sitemap/",
                "disclosure/catalog/", "404.html"]
        failures = []
        for url in urls:
            page.goto(address + url)
            found = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'rule',
                values: ['color-contrast-enhanced']}, resultTypes: ['violations']})).violations
                .flatMap(v => v.nodes.map(n => n.target.join(' ')))""")
            failures += [f"{url}: {target}" for target in found]
        assert not failures, "\n".join(failures)
    finally:
        context.close()


def test_keyboard_only_through_the_catalog_filter_and_the_site_search(demo, browser):
    model, address, _site = demo
    context, foreign = isolated_context(browser, 1366)
    page = context.new_page()
    try:
        page.goto(address + "catalog/")
        total = len(model.of_type("service-item"))
        assert page.text_content(".gp-catalog__count") == f"{total} / {total}"
        # Tab until the category filter has the focus (a bounded walk, never a click)
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.name") == "category":
                break
        else:
            pytest.fail("the category filter is not reachable by Tab")
        page.keyboard.press("ArrowDown")  # the first category
        shown = page.text_content(".gp-catalog__count")
        assert shown != f"{total} / {total}" and shown.endswith(f"/ {total}")
        assert page.is_visible(".gp-catalog__filter select[name=category]:focus-visible")
        for _ in range(3):  # item type, depth, free text
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.name") == "q"
        # the site search from the keyboard: "/" focuses the header's search box, Enter
        # opens the search page, Tab reaches the results (links), Enter follows one
        item = model.of_type("service-item")[0]
        page.keyboard.press("Escape")
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "gp-search-box-q"
        page.keyboard.type(item.title)
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-gp-search][data-gp-search-state=done]", state="attached")
        for _ in range(20):  # Tab down the results to the item's (a bounded walk)
            page.keyboard.press("Tab")
            href = page.evaluate("document.activeElement.getAttribute('href') || ''")
            if urlsplit(href).path.endswith("/" + item.url):
                break
        else:
            pytest.fail(f"no search result for {item.title!r} links to {item.url}")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/{item.url}*")
        assert foreign == []
    finally:
        context.close()


def test_wide_tables_scroll_with_a_visible_cue_on_a_phone(demo, browser):
    _model, address, _site = demo
    page = patient_page(browser, viewport={"width": 390, "height": 800})
    try:
        for url in ("catalog/", "disclosure/catalog/"):
            page.goto(address + url)
            region = page.locator(".gp-table").first
            assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
            assert region.evaluate("r => r.scrollWidth > r.clientWidth")
            assert region.get_attribute("data-overflow") == ""
            cue = region.evaluate("r => getComputedStyle(r, '::before').content")
            assert "左右滑动" in cue
            region.focus()
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            # scrolls from the keyboard (scrolling may be animated: wait for it to move)
            page.wait_for_function("() => document.querySelector('.gp-table').scrollLeft > 0")
    finally:
        page.close()


def test_the_catalog_does_not_shift_on_a_phone(demo, browser):
    _model, address, _site = demo
    page = patient_page(browser, viewport={"width": 390, "height": 800})
    try:
        page.add_init_script("""window.__shift = 0; new PerformanceObserver(list => {
            for (const entry of list.getEntries())
              if (!entry.hadRecentInput) window.__shift += entry.value; })
            .observe({type: 'layout-shift', buffered: true});""")
        page.goto(address + "catalog/", wait_until="load")
        page.wait_for_selector(".gp-catalog__filter:not([hidden])")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert page.evaluate("window.__shift") < 0.1
    finally:
        page.close()


def test_the_404_pages_offer_search_and_the_way_home(demo, browser):
    _model, address, _site = demo
    page = patient_page(browser, viewport={"width": 1366, "height": 900})
    try:
        for url, lang, title, search in (("404.html", "zh-CN", "页面不存在", "搜索本站"),
                                         ("en/404.html", "en", "Page not found",
                                          "Search this site")):
            page.goto(address + url)
            assert page.get_attribute("html", "lang") == lang
            assert page.inner_text("article h1") == title
            assert page.is_visible(f"text={search}")
            hrefs = page.eval_on_selector_all("article a", "as => as.map(a => a.pathname)")
            assert "/catalog/" in hrefs and ("/" in hrefs or "/en/" in hrefs)
        page.goto(address + "404.html")
        page.fill("#gp-not-found-q", "专利")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*")
        assert page.input_value("#gp-search-q") == "专利"
    finally:
        page.close()


def test_nothing_public_is_linked_from_nowhere(demo):
    """Every page of sitemap.xml is reached by following links from the home page."""
    model, _address, site_dir = demo
    wanted = set(sitemap_paths(site_dir, model)) - {"404.html", "en/404.html"}
    seen: set[str] = set()
    pending = [""]
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        html_file = site_dir / url / "index.html"
        if not html_file.is_file():
            continue
        for href in re.findall(r'<a\b[^>]*\bhref="([^"#]*)', html_file.read_text("utf-8")):
            if not href or urlsplit(href).scheme or href.startswith("//"):
                continue
            target = posixpath.normpath(posixpath.join("/" + url, href)).lstrip("/")
            target = "" if target in (".", "") else target.rstrip("/") + "/"
            if (site_dir / target / "index.html").is_file():
                pending.append(target)
    assert wanted - seen == set()


def test_the_html_site_map_lists_what_sitemap_xml_lists(demo):
    model, _address, site_dir = demo
    html_map = (site_dir / "sitemap" / "index.html").read_text("utf-8")
    listed = {posixpath.normpath(posixpath.join("/sitemap/", href)).lstrip("/")
              for href in re.findall(r'<a\b[^>]*\bhref="([^"#]*)"', html_map.split("<article")[1]
                                     .split("</article>")[0])}
    listed = {"" if u in (".", "") else u.rstrip("/") + "/" for u in listed}
    for path in sitemap_paths(site_dir, model):
        if path.endswith("404.html") or "/page/" in path or path == "sitemap/":
            continue
        assert path in listed, path


def test_every_control_shows_where_the_keyboard_is(demo, browser):
    """Each Tab stop (toolbar, header, tabs, content, footer) has a visible focus ring."""
    model, address, _site = demo
    page = patient_page(browser, viewport={"width": 1366, "height": 900})
    try:
        for url in ("", model.of_type("notice")[0].url, "catalog/"):
            page.goto(address + url)
            seen = []
            for _ in range(45):
                page.keyboard.press("Tab")
                ring = page.evaluate("""() => { const e = document.activeElement;
                    const s = getComputedStyle(e);
                    return [e.tagName + '.' + e.className, s.outlineStyle,
                            parseFloat(s.outlineWidth), s.boxShadow]; }""")
                seen.append(ring)
                name, style, width, shadow = ring
                if name.startswith("BODY"):
                    break
                assert (style != "none" and width >= 2) or shadow not in ("none", ""), (url, ring)
            assert len(seen) > 10, seen
    finally:
        page.close()
