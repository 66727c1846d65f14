"""`govpub serve` publishes an edit first and indexes the search right after, in its own folder.

A rebuild under serve carries the search index of the site it replaces (and
the state of it kept in govpub's cache), publishes the pages, then updates the
index in place (only what changed). The folder is serve's own and
marked: `site/` is written by `govpub build` only, and nothing deploys the copy.
"""

from __future__ import annotations

import shutil

import pytest
from build_fixtures import NOW_TEXT, add_file, build, make_site, notice, site_files
from search_fixtures import bundle_contains, indexed_urls

from govpub.build import BuildOptions, refuse_unpublishable_copy, run_build
from govpub.build.publish import SERVE_MARKER
from govpub.build.serve import rebuild_once
from govpub.errors import UsageError
from govpub.search import refresh_search_index

pytestmark = pytest.mark.slow

FIRST = "notices/2026-11-20-a.md"
FIRST_URL = "/notices/2026-11-20-a/"


def serve_options(root, said: list[str]) -> BuildOptions:
    return BuildOptions(root=root, now_text=NOW_TEXT, echo=said.append, serve=True,
                        defer_search=True)


@pytest.fixture
def served_copy(tmp_path):
    """A site as serve first builds it: into .govpub/serve/, the search indexed."""
    root = make_site(tmp_path, {FIRST: notice(title="第一条通知", body="旧的办理地点是东楼。")})
    said: list[str] = []
    options = serve_options(root, said)
    assert rebuild_once(options), said
    assert said[-1] == "rebuilt", said  # no index before it to carry: indexed before publishing
    return root, options, said


def test_serve_builds_into_its_own_marked_folder_and_never_into_site(served_copy):
    root, options, _said = served_copy
    copy = root / ".govpub" / "serve"
    assert options.target == copy.resolve()
    said = (copy / SERVE_MARKER).read_text(encoding="utf-8").splitlines()
    assert "切勿发布" in said[0] and "Never deploy" in said[1]  # Chinese first
    assert FIRST_URL in indexed_urls(copy)
    assert not (root / "site").exists()
    with pytest.raises(UsageError, match="serve's local copy"):
        refuse_unpublishable_copy(copy)


def test_the_copy_is_refused_as_a_build_target_and_for_deploying(served_copy, tmp_path):
    root, _options, _said = served_copy
    elsewhere = tmp_path / "copied"
    shutil.copytree(root / ".govpub" / "serve", elsewhere)
    assert build(root, "--site-dir", str(elsewhere)) == 2
    assert (elsewhere / SERVE_MARKER).is_file()  # refused before anything was replaced


def test_an_edit_is_published_with_the_old_index_then_indexed_again(served_copy):
    root, options, _said = served_copy
    copy = options.target
    add_file(root, FIRST, notice(title="第一条通知", body="新的办理地点是西楼。"))
    state = run_build(options)
    # the page is published at once, under the index of the site before it ...
    assert state.search_deferred
    assert "西楼" in (copy / "notices" / "2026-11-20-a" / "index.html").read_text()
    assert bundle_contains(copy, "东楼") and not bundle_contains(copy, "西楼")
    # ... and indexed again in place: the index of a full build of the same pages
    refresh_search_index(copy)
    assert bundle_contains(copy, "西楼") and not bundle_contains(copy, "东楼")
    assert build(root) == 0
    index = {name: data for name, data in site_files(copy).items()
             if name.startswith("search-index/")}
    assert index == {name: data for name, data in site_files(root / "site").items()
                     if name.startswith("search-index/")}
    assert not list(copy.parent.glob(".serve.search-*"))  # nothing left beside it


def test_a_page_taken_back_is_found_by_no_index_served_without_it(served_copy):
    """The index of the site before still holds the page: it is not carried, the rebuild
    indexes before it publishes, so not even for a moment does a search find the page."""
    root, options, said = served_copy
    (root / "review" / f"{FIRST}.yml").unlink()  # its sign-off withdrawn: quarantined
    assert rebuild_once(options), said
    assert said[-1] == "rebuilt", said  # indexed before publishing, nothing to refresh
    assert FIRST_URL not in indexed_urls(options.target)
    assert bundle_contains(options.target, "东楼") == []


def test_an_index_without_its_kept_state_is_not_carried_but_made_again(served_copy):
    """Without the state of the old index (a cache emptied, a folder left by a govpub that
    used Pagefind) it cannot be updated: serve indexes before publishing instead."""
    from govpub.search import index as search_index

    root, options, said = served_copy
    search_index.state_path(options.target).unlink()
    add_file(root, FIRST, notice(title="第一条通知", body="新的办理地点是西楼。"))
    assert rebuild_once(options), said
    assert said[-1] == "rebuilt", said  # indexed before publishing, nothing to refresh
    assert bundle_contains(options.target, "西楼") and not bundle_contains(options.target, "东楼")
    assert search_index.state_path(options.target).is_file()  # kept again for the next edit


def test_a_link_planted_in_the_old_index_is_not_carried(served_copy, tmp_path):
    root, options, _said = served_copy
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the browser", encoding="utf-8")
    bundle = options.target / "search-index"
    (bundle / "planted.txt").symlink_to(secret)
    (bundle / "planted-folder").symlink_to(tmp_path, target_is_directory=True)
    add_file(root, FIRST, notice(title="第一条通知", body="新的办理地点是西楼。"))
    state = run_build(options)
    assert state.search_deferred
    carried = options.target / "search-index"
    assert bundle_contains(options.target, "东楼")  # the old index came along ...
    assert not (carried / "planted.txt").exists() and not (carried / "planted-folder").exists()


def test_a_disk_error_while_indexing_is_reported_and_serve_goes_on(served_copy, monkeypatch):
    from govpub.search import index as search_index

    root, options, said = served_copy

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    add_file(root, FIRST, notice(title="第一条通知", body="新的办理地点是西楼。"))
    monkeypatch.setattr(search_index.own_build, "update_index", disk_full)
    assert rebuild_once(options), said  # no exception: the watcher thread lives on
    assert said[-1] == ("govpub: error: the search index was not updated (No space left on "
                        "device); the previous index is still served")
    copy = options.target
    assert "西楼" in (copy / "notices" / "2026-11-20-a" / "index.html").read_text()
    assert bundle_contains(copy, "东楼")  # search still works, on the index before
    assert not list(copy.parent.glob(".serve.search-*"))  # nothing left beside it


def test_a_refresh_reads_again_only_the_page_edited(tmp_path):
    from search_fixtures import records

    files = {f"notices/2026-11-{day:02d}-n.md": notice(title=f"第{day}条通知",
                                                     body=f"第{day}条通知的正文。")
             for day in range(1, 9)}
    root = make_site(tmp_path, files)
    said: list[str] = []
    options = serve_options(root, said)
    assert rebuild_once(options), said
    copy = options.target
    add_file(root, "notices/2026-11-03-n.md", notice(title="第3条通知", body="改过的正文。"))
    state = run_build(options)
    assert state.search_deferred
    outcome = refresh_search_index(copy)
    assert outcome.pages_read == 1 and outcome.updated and outcome.full == []
    edited = next(r for r in records(copy) if r["url"] == "/notices/2026-11-03-n/")
    assert "改过" in edited["content"] and "正文" in edited["content"]
    assert "第3条通知的正文" not in edited["content"].replace("\u200b", "")
    assert build(root) == 0  # the index of a full build of the same pages
    assert {n: d for n, d in site_files(copy).items() if n.startswith("search-index/")} == \
        {n: d for n, d in site_files(root / "site").items() if n.startswith("search-index/")}
