"""The built demo site in headless Chromium: home page, a service item, Chinese search.

Builds a copy of this repository's demo (content/, review/, site_config/,
mkdocs.yml) with `govpub build`, serves it on 127.0.0.1 and drives Debian's
Chromium through Playwright. It must run in CI: a missing browser is a failure.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import jieba
import pytest
from build_fixtures import REPO
from patience import patient_page

from govpub.build import BuildOptions, run_build
from govpub.build.serve import make_server

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing — install Debian's Chromium: apt-get install -y chromium")
    root = tmp_path_factory.mktemp("demo") / "repo"
    for name in ("content", "review", "site_config"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    state = run_build(BuildOptions(root=root, echo=lambda _line: None))
    assert not state.quarantined, f"the demo must pass every rule: {sorted(state.quarantined)}"
    server = make_server(state.site_dir, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state.model, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def test_home_page_shows_the_latest_notices(demo, browser):
    model, address = demo
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
    model, address = demo
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


def _distinctive_word(model):
    """A Chinese word of a service item's title that few pages contain, and that item."""
    texts = [p.title + p.doc.body for p in model.pages]
    best = None
    for item in model.of_type("service-item"):
        for word in jieba.cut(item.title):
            if len(word) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in word):
                continue
            count = sum(word in text for text in texts)
            if best is None or count < best[0]:
                best = (count, word, item)
    assert best is not None, "no service item with a Chinese title in the demo"
    return best[1], best[2]


def test_chinese_search_finds_the_page(demo, browser):
    model, address = demo
    word, item = _distinctive_word(model)
    page = patient_page(browser, viewport={"width": 1280, "height": 800})
    page.goto(address)
    page.wait_for_function("() => typeof window.document$ !== 'undefined'")
    # Material sends the query as soon as its search worker is ready, whether the words
    # came before or after that; it reads the field on keyup, which fill() does not fire
    # (nor does typing Chinese), so fill, then press a key that changes nothing
    page.fill("input.md-search__input", word)
    page.press("input.md-search__input", "End")
    page.wait_for_selector(".md-search-result__link", state="attached")
    links = [a.get_attribute("href") for a in page.query_selector_all(".md-search-result__link")]
    assert any(f"/{item.url}" in (href or "") for href in links), (word, links)
    page.close()
