"""What the browser tests share: Debian's Chromium, a built site served on 127.0.0.1,
a copy of the demo repository to build, and the checks every site build gets
(axe-core's WCAG 2.1 AA rules with no request to another host; the skip link).

Each browser test module makes its own module-scoped fixtures from these
(``browser = chromium_fixture()``), so a module runs one Chromium and one server.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from build_fixtures import REPO
from patience import PATIENT_SECONDS, patient_page

from govpub.build.serve import make_server

CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
#: a desktop and a phone width
WIDTHS = (1366, 390)
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing — install Debian's Chromium: apt-get install -y chromium")


def chromium_fixture():
    """A module-scoped ``browser`` fixture: one headless Chromium for the module's tests."""

    @pytest.fixture(scope="module")
    def browser():
        from playwright.sync_api import sync_playwright

        require_chromium()
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            yield chromium
            chromium.close()

    return browser


@contextmanager
def serving(site_dir: Path) -> Iterator[str]:
    """``site_dir`` served on 127.0.0.1 (a free port) while the block runs; yields its URL.
    govpub's own server: quiet when Chromium hangs up mid-file."""
    server = make_server(site_dir, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def demo_copy(tmp_path_factory, name: str) -> Path:
    """A copy of the bundled demo repository (what a build reads), for one module."""
    require_chromium()
    root = tmp_path_factory.mktemp(name) / "repo"
    for folder in ("content", "review", "site_config", "disclosure"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def isolated_context(browser, width: int, **options):
    """A browser context in which every request to another host fails (and is recorded)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    context.set_default_timeout(PATIENT_SECONDS * 1000)
    foreign: list[str] = []

    def route(request_route):
        host = urlsplit(request_route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or request_route.request.url.startswith("data:"):
            request_route.continue_()
        else:
            foreign.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    return context, foreign


@dataclass
class AxeTab:
    """A page with axe-core loaded, in an :func:`isolated_context`."""

    page: object
    #: uncaught script errors of the pages visited
    errors: list[str] = field(default_factory=list)
    #: requests to another host (refused)
    foreign: list[str] = field(default_factory=list)

    def violations(self, tags: list[str] = WCAG_AA) -> list[dict]:
        """axe-core's violations of ``tags`` on the current page: id, impact, the first three
        elements' selectors."""
        return self.page.evaluate(
            """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},
               resultTypes: ['violations']})).violations.map(v => ({id: v.id, impact: v.impact,
               nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""", tags)


@contextmanager
def axe_tab(browser, width: int) -> Iterator[AxeTab]:
    """An :class:`AxeTab` at ``width`` while the block runs (its context closed after)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make setup` (npm ci installs axe-core)")
    context, foreign = isolated_context(browser, width)
    try:
        context.add_init_script(path=str(AXE))
        tab = AxeTab(context.new_page(), foreign=foreign)
        tab.page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
        yield tab
    finally:
        context.close()


def assert_skip_link_lands_on_the_heading(browser, address: str, urls: Iterable[str]) -> None:
    """On each page, Tab's first stop is the visible skip link, and Enter on it moves the
    focus to the page's heading."""
    page = patient_page(browser, viewport={"width": 1366, "height": 900})
    try:
        for url in urls:
            page.goto(address + url)
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.classList.contains('md-skip')"), url
            assert page.is_visible("a.md-skip")
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.tagName") == "H1", url
    finally:
        page.close()
