"""`govpub serve`: builds, serves on 127.0.0.1, rebuilds when content changes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from build_fixtures import NOW_TEXT, add_file, make_site, notice

pytestmark = pytest.mark.slow

GOVPUB = str(Path(sys.executable).with_name("govpub"))


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def wait_for(predicate, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def served(tmp_path):
    root = make_site(tmp_path, {"notices/2026-11-20-a.md": notice(title="第一条通知")})
    process = subprocess.Popen([GOVPUB, "--root", str(root), "serve", "--port", "0",
                                "--now", NOW_TEXT], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        address = None
        for line in process.stdout:
            match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            if match:
                address = match.group(1)
                break
        assert address, "serve did not print its address"
        yield root, address
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_serves_the_site_on_localhost_and_rebuilds_on_change(served):
    root, address = served
    status, home = fetch(address)
    assert status == 200 and "第一条通知" in home
    add_file(root, "notices/2026-11-21-b.md",
             notice(title="第二条通知", published="'2026-11-21T10:00:00+08:00'"))
    assert wait_for(lambda: fetch(address + "notices/2026-11-21-b/")[0] == 200)
    assert "第二条通知" in fetch(address)[1]


def test_server_listens_on_loopback_only(tmp_path):
    from govpub.build.serve import make_server

    server = make_server(tmp_path, 0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_an_edit_and_its_sign_off_written_together_make_one_rebuild(monkeypatch):
    """The watcher waits for the tree to be quiet, then rebuilds once, with the last state."""
    import threading

    from govpub.build import serve
    from govpub.build.pipeline import BuildOptions

    states = iter([{"a": 1}, {"a": 2}, {"a": 2, "r": 1}])  # start, the edit, its sign-off
    last = {"a": 2, "r": 1}
    monkeypatch.setattr(serve, "snapshot", lambda root: next(states, last))
    monkeypatch.setattr(serve, "POLL_SECONDS", 0.01)
    monkeypatch.setattr(serve, "SETTLE_POLL_SECONDS", 0.01)
    stop = threading.Event()
    builds = []

    def build(options):
        builds.append(next(states, "nothing left to change"))  # the sign-off already seen?
        stop.set()
        return True

    monkeypatch.setattr(serve, "_build", build)
    serve.watch_and_rebuild(BuildOptions(root=Path("."), echo=lambda message: None), stop)
    assert builds == ["nothing left to change"]
