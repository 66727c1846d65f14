"""What the browser tests share: Debian's Chromium, a built site served on 127.0.0.1,
and a copy of the demo repository to build.

Each browser test module makes its own module-scoped fixtures from these
(``browser = chromium_fixture()``), so a module runs one Chromium and one server.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from build_fixtures import REPO

from govpub.build.serve import make_server

CHROMIUM = "/usr/bin/chromium"
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
