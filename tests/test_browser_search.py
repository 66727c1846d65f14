"""The site search in headless Chromium: Chinese ranking, the page's language, the keyboard,
axe, nothing from another host, index text shown as text.

Builds a small site whose titles and texts are chosen for search
(tests/search_fixtures.py), serves it on 127.0.0.1 and drives Debian's Chromium
through Playwright. A missing browser is a failure, not a skip.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
from browser_fixtures import axe_tab, chromium_fixture, isolated_context, require_chromium, serving
from patience import patient_page
from search_fixtures import (
    HOSTILE_TITLE,
    LEAK,
    MANY_WORD,
    MORE_PAGES,
    TITLE_WORDS,
    search_site,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RESULT_LINKS = ".gp-search__result a"
#: govpub-search.js: how long typing must pause before the words typed are searched
TYPING_PAUSE_MS = 150


@pytest.fixture(scope="module")
def address(tmp_path_factory):
    """The site served (govpub's own index in its search-index/ folder)."""
    require_chromium()
    root = search_site(tmp_path_factory, "search-browser")
    with serving(root / "site") as url:
        yield url


browser = chromium_fixture()


def _isolated(browser, width: int = 1366):
    return isolated_context(browser, width)


def _results(page) -> list[tuple[str, str]]:
    """(title, path) of every result shown, in order, once the search has answered."""
    page.wait_for_selector("[data-gp-search][data-gp-search-state=done]", state="attached")
    return [(a.text_content(), urlsplit(a.get_attribute("href") or "").path)
            for a in page.query_selector_all(RESULT_LINKS)]


def _asked(page, suffix: str) -> list[str]:
    """The URLs ending in ``suffix`` that ``page`` asks for from now on, as they are asked."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url)
            if request.url.endswith(suffix) else None)
    return urls


def _search(page, address: str, query: str, prefix: str = "") -> list[tuple[str, str]]:
    page.goto(f"{address}{prefix}search/?q={quote(query)}")
    return _results(page)


@pytest.mark.parametrize("word", TITLE_WORDS)
def test_a_chinese_query_ranks_pages_with_the_word_in_their_title_first(address, browser, word):
    page = patient_page(browser)
    results = _search(page, address, word)
    titles = [title for title, _path in results]
    assert titles, f"no result for {word}"
    assert word in titles[0], titles
    in_title = [word in title for title in titles]
    # every page with the word in its title comes before every page that only mentions it
    assert in_title == sorted(in_title, reverse=True), titles
    assert not all(in_title), f"the test needs pages that only mention {word}: {titles}"
    page.close()


def test_results_come_five_at_a_time_and_only_the_shown_ones_are_downloaded(address, browser):
    """Each result's fragment (its excerpt) is fetched when the result is shown: five first,
    five more with the "more" button, which moves the focus to the first new result."""
    context, _foreign = _isolated(browser)
    page = context.new_page()
    fragments = _asked(page, ".gpf")
    try:
        first = _search(page, address, MANY_WORD)
        assert len(first) == 5 and all(MANY_WORD in title for title, _path in first), first
        # asked for once each: the early start's requests are the ones the page shows
        assert len(fragments) == len(set(fragments)) == 5, fragments
        status = page.text_content("[data-gp-search-status]")
        count = int(re.search(r"共 (\d+) 个", status).group(1))  # "showing 5 of {count}"
        assert f"当前显示 5 个，共 {count} 个" in status and MORE_PAGES <= count <= 10, status
        more = page.locator("[data-gp-search-more]")
        assert more.is_visible()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll({RESULT_LINKS!r}).length"
                               f" === {count}")
        every = _results(page)
        assert every[:5] == first and len(set(every)) == count
        assert len(fragments) == len(set(fragments)) == count, fragments
        assert urlsplit(page.evaluate("document.activeElement.getAttribute('href') || ''")) \
            .path == every[5][1]
        assert more.is_hidden()
    finally:
        context.close()


def test_the_search_page_fetches_the_index_file_while_it_loads(address, browser):
    """index.json is asked for by the page itself (a preload link), before its scripts run,
    and fetched once: the search uses that very response; then one term file per term."""
    context, _foreign = _isolated(browser)
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    try:
        assert _search(page, address, "复审")
        timing = page.evaluate("""() => Object.fromEntries(performance
            .getEntriesByType('resource').map(e => [new URL(e.name).pathname,
                                                    [e.initiatorType, e.startTime, e.responseEnd]]))""")
        assert asked.count("/search-index/index.json") == 1, asked
        assert timing["/search-index/index.json"][0] == "link", timing
        terms = [path for path in asked if path.endswith(".gpi")]
        assert len(terms) == 1 and terms[0].startswith("/search-index/zh-cn/t/"), asked
        assert not any("pagefind" in path for path in asked)
    finally:
        context.close()


def test_the_term_file_is_asked_for_beside_index_json_not_after_it(address, browser):
    """The search page says how many term files the build expects (data-buckets, from its
    count of the pages to index): the query's term file is asked for at once, while
    index.json is still on its way (held back here), and it is the index's own."""
    context, _foreign = _isolated(browser)
    page = context.new_page()
    held = []
    page.route("**/search-index/index.json", lambda route: held.append(route))
    terms = _asked(page, ".gpi")
    try:
        page.goto(f"{address}search/?q={quote('复审')}", wait_until="commit")
        page.wait_for_function("() => performance.getEntriesByType('resource')"
                               ".some(e => e.name.endsWith('.gpi'))", timeout=20_000)
        assert held and len(terms) == 1, terms
        for route in held:
            route.continue_()
        page.unroute("**/search-index/index.json")
        assert _results(page)
        hint = page.get_attribute('meta[name="govpub-search-index"]', "data-buckets")
        index = page.evaluate("fetch('/search-index/index.json').then(r => r.json())")
        assert int(hint) == index["languages"]["zh-cn"]["buckets"]
        assert len(terms) == 1, terms  # the file asked for early is the one searched
    finally:
        context.close()


def test_a_wrong_count_of_term_files_costs_a_request_not_a_result(address, browser):
    """Should the index have another number of term files than the page expects (a page
    kept out by the gate at a power of two), the search asks for the right file once
    index.json says so: the same results."""
    context, _foreign = _isolated(browser)
    page = context.new_page()
    try:
        right = _search(page, address, MANY_WORD)

        def wrong_count(route):
            html = route.fetch().text()
            assert 'data-buckets="' in html
            route.fulfill(body=re.sub(r'data-buckets="\d+"', 'data-buckets="1024"', html),
                          content_type="text/html; charset=utf-8")

        page.route(f"{address}search/?q=*", wrong_count)
        terms = _asked(page, ".gpi")
        assert _search(page, address, MANY_WORD) == right and right
        assert len(terms) == 2 and len(set(terms)) == 2, terms
    finally:
        context.close()


def test_results_show_while_the_page_s_deferred_scripts_are_still_loading(address, browser):
    """The search of the address starts while the page is parsed and shows its results as
    soon as the page's elements are there, not once its deferred scripts have run: here
    govpub.js (deferred) is held back until the results show."""
    context, _foreign = _isolated(browser)
    page = context.new_page()
    held = []
    page.route("**/javascripts/govpub.js", lambda route: held.append(route))
    try:
        page.goto(f"{address}search/?q={quote('复审')}", wait_until="commit")
        page.wait_for_selector(RESULT_LINKS, state="attached")
        assert held, "the page never asked for govpub.js"
        assert page.evaluate("document.readyState") == "interactive"
        assert page.text_content("[data-gp-search-status]") != ""
        for route in held:
            route.continue_()
        page.wait_for_load_state("load")
        assert _results(page)
    finally:
        context.close()


def test_results_show_once_the_search_section_is_parsed(address, browser):
    """On the search page the results are shown as soon as the parser has passed the search
    section, while it still waits for a script further down (catalog-filter.js, a classic
    script at the end of the body, held back here): the search waits neither for the page's
    scripts nor for the page to be parsed."""
    context, _foreign = _isolated(browser)
    page = context.new_page()
    held, asked = [], []
    page.route("**/javascripts/catalog-filter.js", lambda route: held.append(route))
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    try:
        page.goto(f"{address}search/?q={quote(MANY_WORD)}", wait_until="commit")
        page.wait_for_function(f"() => document.querySelectorAll({RESULT_LINKS!r}).length === 5",
                               polling=50)
        assert held and page.evaluate("document.readyState") == "loading"
        assert [path for path in asked if path.endswith(".gpi")], asked
        for route in held:
            route.continue_()
        assert len(_results(page)) == 5
    finally:
        context.close()


def test_the_search_page_carries_its_script_and_material_s_bundle_waits(address, browser):
    """The search page's script is in the page (no request for govpub-search.js); Material's
    bundle is deferred there: the first results are drawn while it is held back, and once
    it comes it still starts Material's components (its document$ fires, which it takes
    from DOMContentLoaded)."""
    context, _foreign = _isolated(browser)
    page = context.new_page()
    held, asked = [], []
    page.route("**/assets/javascripts/bundle.*.js", lambda route: held.append(route))
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    try:
        page.goto(f"{address}search/?q={quote(MANY_WORD)}", wait_until="commit")
        first = page.locator(RESULT_LINKS).first
        first.wait_for(state="visible")
        assert held and page.evaluate("typeof window.document$") == "undefined"
        assert not [path for path in asked if path.endswith("govpub-search.js")], asked
        for route in held:
            route.continue_()
        page.wait_for_load_state("load")
        assert page.evaluate("new Promise(done => window.document$.subscribe(() => done(true)))")
        assert len(_results(page)) == 5
    finally:
        context.close()


def test_the_query_of_the_address_finds_what_the_typed_query_finds(address, browser):
    """The search started from the address while the page loads gives what the page's own
    search gives for the same words typed into its field."""
    context, _foreign = _isolated(browser)
    page = context.new_page()
    try:
        for word in ("复审", MANY_WORD, "annual"):
            early = _search(page, address, word)
            page.goto(address + "search/")
            page.wait_for_selector("[data-gp-search][data-gp-search-state=done]",
                                   state="attached")
            page.fill("#gp-search-q", word)
            page.press("#gp-search-q", "Enter")
            page.wait_for_function(f"() => document.querySelectorAll({RESULT_LINKS!r}).length"
                                   f" === {len(early)} && document.querySelector("
                                   "'[data-gp-search]').dataset.gpSearchState === 'done'")
            assert _results(page) == early and (early or word == "annual"), (word, early)
    finally:
        context.close()


def test_the_query_of_the_address_is_searched_without_writing_the_address_again(address,
                                                                             browser):
    """The address already says the words of its query: the page's first search does not
    write a history entry for it (the address is rewritten only for words typed)."""
    context, _foreign = _isolated(browser)
    context.add_init_script("""window.gpWrites = [];
      const replace = history.replaceState.bind(history);
      history.replaceState = (...args) => { window.gpWrites.push(String(args[2])); replace(...args); };""")
    page = context.new_page()
    try:
        assert _search(page, address, "复审")
        assert page.evaluate("window.gpWrites") == []
        page.fill("#gp-search-q", MANY_WORD)
        page.press("#gp-search-q", "Enter")
        page.wait_for_function("() => window.gpWrites.length === 1")
        assert quote(MANY_WORD) in page.evaluate("window.gpWrites[0]")
    finally:
        context.close()


@pytest.mark.parametrize("failing", ["**/search-index/*/p/*.gpf", "**/search-index/*/t/*.gpi"])
def test_an_index_file_that_fails_makes_the_search_say_it_is_unavailable(address, browser,
                                                                         failing):
    """A term file or fragment the server fails to send: the status line says the search is
    unavailable (the page's own words), no result is drawn."""
    context, _foreign = _isolated(browser)
    page = context.new_page()
    page.route(failing, lambda route: route.fulfill(status=500, body="no"))
    try:
        page.goto(f"{address}search/?q={quote('复审')}")
        page.wait_for_selector("[data-gp-search][data-gp-search-state=failed]", state="attached")
        words = page.get_attribute("[data-gp-search]", "data-gp-search-unavailable")
        assert words and page.text_content("[data-gp-search-status]") == words
        assert page.query_selector_all(RESULT_LINKS) == []
    finally:
        context.close()


def test_the_footer_images_wait_for_the_page_s_layout(address, browser):
    """The footer's images (the identity marks, below the fold) are lazy: not loaded, and
    an SVG not laid out on the page's main thread, before the page's own content; they
    are there once the page is laid out."""
    context, _foreign = _isolated(browser)
    page = context.new_page()
    try:
        assert _search(page, address, "复审")
        images = page.locator("footer img")
        assert images.count() >= 2
        assert images.evaluate_all("all => all.map(image => image.loading)") == \
            ["lazy"] * images.count()
        page.wait_for_function("() => [...document.querySelectorAll('footer img')]"
                               ".every(image => image.complete && image.naturalWidth > 0)")
    finally:
        context.close()


HOSTILE_QUERIES = ('"></script><img src=x onerror="window.gpXss=1">',
                   "</script><script>window.gpXss=2</script>复审",
                   "{{7*7}}{% raw %}<svg onload=window.gpXss=3>")


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_a_hostile_query_in_the_address_is_only_text(address, browser, query):
    """The query of the address is read by the script in the page's head: it is searched
    for and shown as text, never as markup."""
    page = patient_page(browser)
    try:
        _search(page, address, query)
        assert page.evaluate("window.gpXss") is None
        assert page.query_selector("main img, main svg[onload], .gp-search script") is None
        assert page.input_value("#gp-search-q") == query
        status = page.text_content("[data-gp-search-status]")
        assert query.strip() in status or "复审" in query, status
    finally:
        page.close()


def test_no_search_runs_while_an_input_method_composes(address, browser):
    """Pinyin being composed is not what the reader searches for: only the committed
    words are (compositionend), after the pause that follows typing."""
    context, _foreign = _isolated(browser)
    page = context.new_page()
    terms = _asked(page, ".gpi")
    try:
        page.goto(address + "search/")
        page.wait_for_selector("[data-gp-search][data-gp-search-state=done]", state="attached")
        page.focus("#gp-search-q")
        ime = context.new_cdp_session(page)
        for typed in ("f", "fu", "fus", "fush", "fushe", "fushen"):
            ime.send("Input.imeSetComposition",
                     {"text": typed, "selectionStart": len(typed), "selectionEnd": len(typed)})
        assert page.input_value("#gp-search-q") == "fushen"
        # a timer set now fires after the pause that follows typing (set earlier, shorter),
        # which would have started a search: the address would hold the query
        page.evaluate(f"new Promise(done => setTimeout(done, {3 * TYPING_PAUSE_MS}))")
        assert "q=" not in page.url and not terms, (page.url, terms)
        ime.send("Input.insertText", {"text": "复审"})
        page.wait_for_selector(RESULT_LINKS, state="attached")
        assert page.input_value("#gp-search-q") == "复审"
        assert all("/zh-cn/t/" in url for url in terms) and len(terms) == 1, terms
        assert "q=%E5%A4%8D%E5%AE%A1" in page.url
    finally:
        context.close()


def test_quarantined_and_held_back_pages_are_never_found(address, browser):
    page = patient_page(browser)
    assert _search(page, address, LEAK) == []
    assert LEAK not in page.text_content("[data-gp-search-status]") or \
        "没有" in page.text_content("[data-gp-search-status]")
    paths = [path for _title, path in _search(page, address, "年费")]
    assert paths and not any("later" in p or LEAK.lower() in p for p in paths)
    page.close()


def test_the_search_speaks_the_page_language(address, browser):
    page = patient_page(browser)
    page.goto(address + "en/annual-fees/")
    box = page.locator("form.gp-search-box")
    assert box.get_attribute("aria-label") == "Search this site"
    assert box.locator("button").inner_text().strip() == "Search"
    page.fill("#gp-search-box-q", "annual fees")
    page.press("#gp-search-box-q", "Enter")
    page.wait_for_url("**/en/search/?q=annual+fees")
    results = _results(page)
    assert ("Paying annual fees", "/en/annual-fees/") in results
    assert page.text_content("h1").strip() == "Site search"
    assert page.text_content("[data-gp-search-status]").startswith(("1 page matches",
                                                                    f"{len(results)} pages"))
    # a Chinese page: Chinese words, and its form opens the Chinese search page
    page.goto(address + "notices/2026-11-02-hall/")
    box = page.locator("form.gp-search-box")
    assert box.get_attribute("aria-label") == "搜索本站"
    assert box.locator("button").inner_text().strip() == "搜索"
    assert urlsplit(page.evaluate("document.querySelector('form.gp-search-box').action")) \
        .path == "/search/"
    page.close()


def test_search_by_keyboard_alone(address, browser):
    context, _foreign = _isolated(browser)
    page = context.new_page()
    try:
        page.goto(address + "notices/2026-11-02-hall/")
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "gp-search-box-q"
        page.keyboard.type("复审")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*")
        results = _results(page)
        assert results
        # the search page keeps the focus in its field: Tab, Tab reaches the first result
        assert page.evaluate("document.activeElement.id") == "gp-search-q"
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        assert urlsplit(href).path == results[0][1]
        assert page.evaluate("document.activeElement.matches(':focus-visible')")
        page.keyboard.press("Enter")
        page.wait_for_url("**" + results[0][1])
    finally:
        context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_axe_finds_nothing_on_the_search_page_and_the_search_box(address, browser, width):
    with axe_tab(browser, width) as tab:
        failures = []
        for url in ("search/?q=" + quote("复审"), "en/search/?q=annual", "search/",
                    "notices/2026-11-02-hall/"):
            tab.page.goto(address + url)
            if "?q=" in url:
                assert _results(tab.page)
            failures += [f"{url}: {v['id']} {', '.join(v['nodes'])}" for v in tab.violations()]
        assert not failures, "\n".join(failures)
        assert not [url for url in tab.foreign if "pagefind" in url or "search" in url]


def test_a_search_asks_no_other_host(address, browser):
    context, foreign = _isolated(browser)
    page = context.new_page()
    try:
        page.goto(address + "search/")
        page.wait_for_load_state("load")
        before = list(foreign)
        page.fill("#gp-search-q", "专利")
        page.press("#gp-search-q", "Enter")
        assert _results(page)
        assert foreign == before  # the search itself: its script and index, all local
    finally:
        context.close()


def test_index_text_is_shown_as_text(address, browser):
    page = patient_page(browser)
    results = _search(page, address, "商标")
    assert (HOSTILE_TITLE, "/notices/2026-11-04-mark/") in results
    assert page.evaluate("window.gpXss") is None
    assert page.query_selector(".gp-search__results img") is None
    page.close()
