"""`govpub serve`: builds, serves on 127.0.0.1, rebuilds when content changes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from build_fixtures import NOW_TEXT, add_file, make_site, notice
from patience import PATIENT_SECONDS
from search_fixtures import indexed_urls

pytestmark = pytest.mark.slow

GOVPUB = str(Path(sys.executable).with_name("govpub"))


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=PATIENT_SECONDS) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def rebuilt_until(process, done) -> bool:
    """Read serve's output rebuild by rebuild until ``done()`` holds after one.

    An edit takes several writes (the page, then its review record), and serve
    may rebuild between them; every write is followed by a rebuild that sees it,
    so the last one shows the whole edit. Reading blocks until serve speaks
    (pytest-timeout guards against a hang): no deadline races the machine's speed.
    """
    for line in process.stdout:
        if line.startswith("govpub: error"):
            return False
        if line.strip() == "rebuilt" and done():
            return True
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
        yield root, address, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=PATIENT_SECONDS)


def test_serves_the_site_on_localhost_and_rebuilds_on_change(served):
    root, address, process = served
    status, home = fetch(address)
    assert status == 200 and "第一条通知" in home
    assert fetch(address + "notices/2026-11-21-b/")[0] == 404
    add_file(root, "notices/2026-11-21-b.md",
             notice(title="第二条通知", published="'2026-11-21T10:00:00+08:00'"))
    assert rebuilt_until(process, lambda: fetch(address + "notices/2026-11-21-b/")[0] == 200)
    assert "第二条通知" in fetch(address)[1]
    # the search follows the pages: indexed again once they are served
    assert next(line for line in process.stdout
                if line.strip() == "search index updated" or line.startswith("govpub: error")
                ).strip() == "search index updated"
    assert "/notices/2026-11-21-b/" in indexed_urls(root / ".govpub" / "serve")
    assert not (root / "site").exists()  # site/ is govpub build's alone


def test_an_edit_made_before_the_watcher_looks_is_rebuilt(tmp_path):
    # serve takes its snapshot before the first build: a change made while that
    # build runs, or before the watcher thread first runs, must not be missed
    from govpub.build import BuildOptions
    from govpub.build.serve import snapshot, watch_and_rebuild

    root = make_site(tmp_path).resolve()
    before = snapshot(root)
    add_file(root, "notices/2026-11-21-b.md",
             notice(title="第二条通知", published="'2026-11-21T10:00:00+08:00'"))
    stop = threading.Event()
    said = []

    def echo(line: str) -> None:
        said.append(line)
        if line == "rebuilt" or line.startswith("govpub: error"):
            stop.set()

    options = BuildOptions(root=root, now_text=NOW_TEXT, echo=echo)
    watch_and_rebuild(options, stop, before)  # returns once the rebuild has finished
    assert said[0] == "change detected, rebuilding…" and said[-1] == "rebuilt", said
    assert (options.target / "notices" / "2026-11-21-b" / "index.html").is_file()


def test_server_listens_on_loopback_only(tmp_path):
    from govpub.build.serve import make_server

    server = make_server(tmp_path, 0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_the_server_never_serves_a_file_through_a_link(tmp_path):
    """Serve writes its folder's manifest (which refuses links) after the pages are
    served: meanwhile the server itself refuses to follow a link, to a file or a
    folder, inside the folder or out of it."""
    from govpub.build.serve import make_server

    site = tmp_path / "site"
    (site / "notices").mkdir(parents=True)
    (site / "index.html").write_text("首页", encoding="utf-8")
    (site / "notices/index.html").write_text("通知", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("not approved", encoding="utf-8")
    (site / "leak.txt").symlink_to(secret)
    (site / "inside.html").symlink_to(site / "index.html")
    (site / "folder").symlink_to(site / "notices", target_is_directory=True)
    (site / "news").mkdir()  # a real folder whose index page is a link
    (site / "news/index.html").symlink_to(secret)
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        assert fetch(base) == (200, "首页")
        assert fetch(base + "notices/") == (200, "通知")
        for linked in ("leak.txt", "inside.html", "folder/", "folder/index.html", "news/",
                       "news/index.html"):
            assert fetch(base + linked) == (404, ""), linked
    finally:
        server.shutdown()
        server.server_close()


def test_a_browser_hanging_up_prints_no_traceback(tmp_path, capsys):
    from govpub.build.serve import make_server

    server = make_server(tmp_path, 0)
    try:
        for hang_up in (BrokenPipeError, ConnectionResetError):
            try:
                raise hang_up(32, "the browser went away mid-file")
            except hang_up:
                server.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a real fault")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))
        assert "ValueError: a real fault" in capsys.readouterr().err
    finally:
        server.server_close()


def test_an_edit_and_its_sign_off_written_together_make_one_rebuild(monkeypatch):
    """The watcher waits for the tree to be quiet, then rebuilds once, with the last state."""
    import threading

    from govpub.build import serve
    from govpub.build.pipeline import BuildOptions

    states = iter([{"a": 2}, {"a": 2, "r": 1}])  # the edit, its sign-off
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

    monkeypatch.setattr(serve, "rebuild_once", build)
    serve.watch_and_rebuild(BuildOptions(root=Path("."), echo=lambda message: None), stop,
                          {"a": 1})
    assert builds == ["nothing left to change"]


@pytest.mark.parametrize("where", ["content/notices/2026-11-21-b.md", "mkdocs.yml"])
def test_an_edit_wakes_the_watcher_at_once(tmp_path, monkeypatch, where):
    """With events from the operating system the watcher does not wait for a look of its
    own: here it would look only after an hour, so only the event can wake it."""
    from govpub.build import serve
    from govpub.build.treewatch import TreeEvents

    root = make_site(tmp_path).resolve()
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    monkeypatch.setattr(serve, "SAFETY_POLL_SECONDS", 3600.0)
    monkeypatch.setattr(serve, "SETTLE_POLL_SECONDS", 0.01)
    before = serve.snapshot(root)
    events = TreeEvents(root, serve.WATCHED)
    assert events.live, "watchdog's observer runs here"
    rebuilt = []
    watcher, stop = _watcher_until_a_rebuild(
        monkeypatch, root, before, events, lambda options: rebuilt.append(
            serve.snapshot(options.root)))
    watcher.start()
    try:
        target = root / where
        target.write_text(target.read_text(encoding="utf-8") if target.exists() else "x\n",
                          encoding="utf-8")
        watcher.join(timeout=120)  # a real bound: the hour-long poll would never end it
    finally:
        stop.set()
        events.wake()
        events.stop()
    assert rebuilt, "the event woke the watcher, which saw the change and rebuilt"


def _watcher_until_a_rebuild(monkeypatch, root, before, events, note):
    """serve's watch loop in a thread (not started), whose first rebuild calls ``note``
    and stops it; (thread, stop event)."""
    from govpub.build import serve
    from govpub.build.pipeline import BuildOptions

    stop = threading.Event()

    def rebuild(options):
        note(options)
        stop.set()
        return True

    monkeypatch.setattr(serve, "rebuild_once", rebuild)
    watcher = threading.Thread(target=serve.watch_and_rebuild, daemon=True,
                               args=(BuildOptions(root=root, echo=lambda line: None), stop,
                                     before, events))
    return watcher, stop


def test_without_events_the_watcher_still_looks_by_itself(tmp_path, monkeypatch):
    """No observer could start (here: a tree that is not there): the loop polls."""
    from govpub.build import serve
    from govpub.build.pipeline import BuildOptions
    from govpub.build.treewatch import TreeEvents

    events = TreeEvents(tmp_path / "no such tree", ("mkdocs.yml",))
    assert not events.live
    root = make_site(tmp_path).resolve()
    monkeypatch.setattr(serve, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(serve, "SETTLE_POLL_SECONDS", 0.01)
    before = serve.snapshot(root)
    add_file(root, "notices/2026-11-21-b.md", notice(title="第二条通知"))
    stop = threading.Event()
    rebuilt = []

    def rebuild(options):
        rebuilt.append(True)
        stop.set()
        return True

    monkeypatch.setattr(serve, "rebuild_once", rebuild)
    serve.watch_and_rebuild(BuildOptions(root=root, echo=lambda line: None), stop, before,
                            events)
    assert rebuilt


def test_with_events_an_edit_and_its_sign_off_are_one_rebuild_stating_only_them(
        tmp_path, monkeypatch):
    """Told of the changes, the watcher waits until the events stop, then states the files
    they named (not every input: 20,000 files at 10,000 pages) and rebuilds once, with both
    the edit and its sign-off; what it states is what a whole look would say."""
    from govpub.build import serve
    from govpub.build.treewatch import TreeEvents

    root = make_site(tmp_path).resolve()
    monkeypatch.setattr(serve, "SAFETY_POLL_SECONDS", 3600.0)  # only an event wakes it
    before = serve.snapshot(root)
    events = TreeEvents(root, serve.WATCHED)
    assert events.live, "watchdog's observer runs here"
    looks, stated = [], []
    real_snapshot, real_updated = serve.snapshot, serve.updated
    monkeypatch.setattr(serve, "snapshot", lambda where: looks.append(1) or real_snapshot(where))
    monkeypatch.setattr(serve, "updated", lambda *args: stated.append(real_updated(*args))
                        or stated[-1])
    rebuilt = []
    watcher, stop = _watcher_until_a_rebuild(monkeypatch, root, before, events,
                                             lambda options: rebuilt.append(len(looks)))
    try:
        events.wake()  # as serve starts it: one whole look, which finds nothing new
        watcher.start()
        deadline = time.monotonic() + PATIENT_SECONDS
        while not looks and time.monotonic() < deadline:
            time.sleep(0.01)
        assert looks == [1]
        add_file(root, "notices/2026-11-21-b.md", notice(title="第二条通知"))  # page + sign-off
        watcher.join(timeout=120)  # a real bound: the hour-long poll would never end it
    finally:
        stop.set()
        events.wake()
        events.stop()
    assert rebuilt == [1], "no whole look for the edit, then one rebuild"
    assert len(stated) == 1 and stated[0] == real_snapshot(root)
    assert stated[0] != before


def test_stating_the_files_named_says_what_a_whole_look_says(tmp_path):
    """An edit, a removal, an addition, a save by rename and the configuration file: the
    files named, stated again over the last look, give the look the tree gives now; a
    watched folder or a folder named asks for a whole look."""
    from govpub.build import serve

    root = make_site(tmp_path).resolve()
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    before = serve.snapshot(root)
    page = next((root / "content").rglob("*.md"))
    gone = next(p for p in (root / "review").rglob("*.yml"))
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    gone.unlink()
    added = root / "content/notices/new.md"
    added.write_text("x", encoding="utf-8")
    saved = root / "site_config/site.yml"
    temporary = saved.with_name("site.yml.tmp")
    temporary.write_bytes(saved.read_bytes() + b"\n")
    os.replace(temporary, saved)
    (root / "mkdocs.yml").write_text("site_name: y\n", encoding="utf-8")
    named = {os.fspath(p) for p in (page, gone, added, saved, temporary, root / "mkdocs.yml")}
    assert serve.updated(root, before, named) == serve.snapshot(root)
    assert serve.updated(root, before, {os.fspath(root / "content")}) is None
    assert serve.updated(root, before, {os.fspath(root / "content/notices")}) is None


def test_reading_the_watched_files_sends_the_watcher_nothing(tmp_path):
    """A rebuild reads every page and sign-off record; the observer asks the kernel for
    changes only, so those reads reach no Python code at all (they used to come as
    "opened" and "closed" events, ignored one by one while the rebuild ran)."""
    from govpub.build import serve
    from govpub.build.treewatch import TreeEvents

    root = make_site(tmp_path).resolve()
    events = TreeEvents(root, serve.WATCHED)
    assert events.live, "watchdog's observer runs here"
    try:
        files = [p for name in ("content", "review") for p in (root / name).rglob("*")
                 if p.is_file()]
        assert files
        for _ in range(3):
            for path in files:
                path.read_bytes()
        page = next(p for p in files if p.suffix == ".md")
        page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert events.wait(120), "a write still wakes the watcher"  # (the write's event)
        assert 0 < events.delivered <= 4, events.delivered  # the write's, not the reads'
    finally:
        events.stop()
