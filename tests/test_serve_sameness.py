"""What `govpub serve` shows after a series of edits is what `govpub build` publishes.

Serve rebuilds its own folder again and again, keeping what it can between
rebuilds (the render record in memory, the digests of the search index it
just wrote). After each edit its folder is compared, file for file, with a
full build of the same tree into a fresh folder: pages edited, retitled,
added, removed, quarantined (plain serve) or shown as unreviewed (preview),
pages that no longer load. Only serve's marker and its manifest differ (the
manifest lists the marker and was written with the search index of the site
before, which is indexed again once the pages are served): the manifest is
checked against the files it describes instead.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import shutil

import pytest
from build_fixtures import (
    NOW_TEXT,
    REUSED,
    add_file,
    build,
    linked_notices_files,
    make_site,
    notice,
    site_files,
)
from factory import sign_off
from search_fixtures import bundle_contains

from govpub.build import BuildOptions, incremental, render_mkdocs, run_build
from govpub.build.publish import PREVIEW_MARKER, SERVE_MARKER
from govpub.build.serve import rebuild_once
from govpub.integrity.manifest import MANIFEST, SIGNATURE, parse_manifest
from govpub.search.markers import INDEX_DIR

pytestmark = pytest.mark.slow

_fresh = itertools.count()


def _options(root, said: list[str], preview: bool) -> BuildOptions:
    return BuildOptions(root=root, now_text=NOW_TEXT, echo=said.append, serve=True,
                        defer_search=True, preview=preview)


def _digests(site, under: str = "") -> dict[str, str]:
    return {name: hashlib.sha256((site / name).read_bytes()).hexdigest()
            for name in site_files(site) if name.startswith(under)}


def _rebuild(options, said, *, indexed_first: bool = False) -> None:
    """One rebuild as the watcher runs it; the manifest, written once the pages are served
    and the search indexed again, must describe every file of the folder as served.
    ``indexed_first``: a page served before is not in the new site, or no render record
    can tell (it was dropped), so the search is indexed before the pages are served, and
    serve says only "rebuilt"."""
    site = options.target
    assert rebuild_once(options), said[-3:]
    if indexed_first:
        assert said[-1] == "rebuilt", said[-3:]
    else:
        assert said[-2:] == ["rebuilt", "search index updated"], said[-3:]
    listed = parse_manifest((site / MANIFEST).read_bytes())
    assert listed == {name: digest for name, digest in _digests(site).items()
                      if name not in (MANIFEST, SIGNATURE)}


def _same_as_a_full_build(root, options, tmp_path) -> None:
    full = tmp_path / f"full-{next(_fresh)}"
    if options.preview:  # a preview build (what `govpub serve --preview` shows) in full
        run_build(BuildOptions(root=root, now_text=NOW_TEXT, echo=lambda line: None,
                               preview=True, site_dir=full))
    else:
        assert build(root, "--site-dir", str(full)) == 0
    served, built = site_files(options.target), site_files(full)
    assert served.pop(SERVE_MARKER if not options.preview else PREVIEW_MARKER)
    built.pop(PREVIEW_MARKER, None)
    for name in (MANIFEST, SIGNATURE):  # checked against the files in _rebuild
        served.pop(name, None)
        built.pop(name, None)
    assert sorted(served) == sorted(built)
    assert [name for name in served if served[name] != built[name]] == []
    shutil.rmtree(full)


def _edit(root, rel: str, old: str, new: str, *, sign: bool = True) -> None:
    path = root / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    if sign:
        sign_off(root, [rel])


@pytest.mark.parametrize("preview", [False, True], ids=["serve", "preview"])
def test_a_series_of_served_edits_ends_as_a_full_build_of_the_final_tree(tmp_path, preview):
    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview)
    assert rebuild_once(options), said  # the first build: nothing to carry or reuse
    site = options.target
    _same_as_a_full_build(root, options, tmp_path)

    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    _rebuild(options, said)
    assert any(REUSED.search(line) for line in said), "an edit renders only what it touches"
    assert "修订" in (site / "notices/2026-11-02-b/index.html").read_text(encoding="utf-8")
    _same_as_a_full_build(root, options, tmp_path)

    _edit(root, "notices/2026-11-20-fees.md", "关于调整专利收费的通知", "关于调整专利收费标准的通知")
    _rebuild(options, said)  # a title: the listings and the home page show it
    _same_as_a_full_build(root, options, tmp_path)

    add_file(root, "notices/2026-11-26-new.md",
             notice(title="新增通知", published="'2026-11-26T09:00:00+08:00'", body="新内容。"))
    _rebuild(options, said)
    assert (site / "notices/2026-11-26-new/index.html").is_file()
    _same_as_a_full_build(root, options, tmp_path)

    (root / "content/notices/2026-11-26-new.md").unlink()  # removed: it disappears
    (root / "review/notices/2026-11-26-new.md.yml").unlink()
    _rebuild(options, said, indexed_first=True)
    assert not (site / "notices/2026-11-26-new").exists()
    _same_as_a_full_build(root, options, tmp_path)

    # an edit nobody signed off: plain serve holds the page back, the preview shows it
    _edit(root, "notices/2026-11-04-d.md", "丁事项说明。", "未审核的修改。", sign=False)
    _rebuild(options, said, indexed_first=not preview)
    page = site / "notices/2026-11-04-d/index.html"
    if preview:
        assert "未审核的修改" in page.read_text(encoding="utf-8")
    else:
        assert not page.exists()
    _same_as_a_full_build(root, options, tmp_path)

    broken = root / "content/notices/2026-11-04-d.md"  # front matter that no longer loads
    broken.write_text("---\ntitle: [unclosed\n---\n丁\n", encoding="utf-8")
    _rebuild(options, said, indexed_first=preview)  # (plain serve held it back already)
    assert not page.exists()  # not even in a preview
    _same_as_a_full_build(root, options, tmp_path)


def test_a_failed_rebuild_leaves_what_was_served_untouched(tmp_path):
    """Every page's footer links to D; D's sign-off withdrawn, the link check fails: the
    folder served before stays, file for file and inode for inode."""
    root = make_site(tmp_path, linked_notices_files())
    theme = root / "theme"
    shutil.copytree(render_mkdocs.THEME_DIR, theme)
    main_html = theme / "main.html"
    template = main_html.read_text(encoding="utf-8")
    assert template.count("{% block footer %}") == 1
    main_html.write_text(template.replace(
        "{% block footer %}",
        "{% block footer %}<a href=\"{{ 'notices/2026-11-04-d/' | url }}\">D</a>"),
        encoding="utf-8")
    config = render_mkdocs.DEFAULT_CONFIG.read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(re.sub(r"custom_dir: .*", "custom_dir: theme", config),
                                     encoding="utf-8")
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert rebuild_once(options), said
    site = options.target

    def state() -> dict[str, tuple[int, bytes]]:
        return {name: ((site / name).stat().st_ino, data)
                for name, data in site_files(site).items()}

    before = state()
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    (root / "review/notices/2026-11-04-d.md.yml").unlink()  # D goes; every page links to it
    assert not rebuild_once(options)
    assert said[-1].startswith("govpub: error: broken link in the built site"), said
    assert state() == before

    sign_off(root, ["notices/2026-11-04-d.md"])  # D back: the edit is served now
    _rebuild(options, said)
    assert "修订" in (site / "notices/2026-11-02-b/index.html").read_text(encoding="utf-8")
    _same_as_a_full_build(root, options, tmp_path)


def test_serve_keeps_its_render_record_and_writes_it_once_the_pages_are_served(tmp_path):
    """The record serve kept in memory is the one a serve started later reads back; with
    the digests of the search index written after the pages, as that index now is."""
    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert rebuild_once(options), said
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    _rebuild(options, said)
    site = options.target
    record_file = incremental.record_path(incremental_cache(root), site)
    kept = incremental._kept[record_file]
    on_disk = incremental.load_record(record_file, site)
    assert on_disk is not None and on_disk.pages.keys() == kept.pages.keys()
    index = _digests(site, INDEX_DIR + "/")
    assert index and {name: on_disk.files[name][1] for name in index} == index
    assert all(on_disk.files[name][0] == incremental.file_stat(site / name) for name in index)

    incremental._kept.clear()  # a serve started afresh reads the record written
    _edit(root, "notices/2026-11-02-b.md", "（修订）", "（再次修订）")
    said.clear()
    _rebuild(options, said)
    assert any(REUSED.search(line) for line in said), said
    _same_as_a_full_build(root, options, tmp_path)


def incremental_cache(root):
    from govpub.cachedir import cache_dir_for

    return cache_dir_for(root, "render")


def _prepared_folder(site):
    from govpub.build import prepared
    from govpub.build.render import temp_site_for

    prepared.wait()
    return prepared.next_folder(temp_site_for(site))


@pytest.mark.parametrize("planted", ["a file", "a link at a page", "another file at a page",
                                     "a folder at a page", "a folder of files",
                                     "a link to a folder", "a file in the index",
                                     "a link in the index", "another file in the index",
                                     "a link for the index"])
@pytest.mark.parametrize("made", ["anew", "recycled"])
def test_what_is_planted_in_the_prepared_next_site_is_never_served(tmp_path, planted, made):
    """Serve links the pages of the site it published into the next temporary site while
    it waits (govpub.build.prepared), in a folder made anew or in the folder the rebuild
    replaced; whatever else is found there when the next rebuild takes it is removed, and
    a reused page is used only if it is the very file published."""
    root = make_site(tmp_path, linked_notices_files())
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.txt").write_text("秘密", encoding="utf-8")
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert rebuild_once(options), said
    site = options.target
    if made == "recycled":  # a rebuild that replaces a site: the next is made of it
        _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明。（初改）")
        _rebuild(options, said)
    folder = _prepared_folder(site)
    page = folder / "notices/2026-11-01-a/index.html"  # reused by the edit below
    published = (site / "notices/2026-11-01-a/index.html").stat().st_ino
    assert page.stat().st_ino == published
    if planted == "a file":
        (folder / "planted.html").write_text("植入", encoding="utf-8")
    elif planted == "a link at a page":
        page.unlink()
        page.symlink_to(secret / "key.txt")
    elif planted == "another file at a page":
        page.unlink()
        page.write_text("植入", encoding="utf-8")
    elif planted == "a folder at a page":
        page.unlink()
        page.mkdir()
        (page / "x.html").write_text("植入", encoding="utf-8")
    elif planted == "a folder of files":
        (folder / "planted/deep").mkdir(parents=True)
        (folder / "planted/deep/index.html").write_text("植入", encoding="utf-8")
    elif planted == "a link to a folder":
        (folder / "notices/2026-11-01-a/files").symlink_to(secret, target_is_directory=True)
    else:  # the search index, linked too, which serve's rebuild carries over
        index = folder / INDEX_DIR
        term = next(path for path in sorted(index.rglob("*")) if path.is_file()
                    and path.name != "index.json")
        assert term.stat().st_ino == (site / term.relative_to(folder)).stat().st_ino
        if planted == "a file in the index":
            (index / "planted.json").write_text("植入", encoding="utf-8")
        elif planted == "a link in the index":
            term.unlink()
            term.symlink_to(secret / "key.txt")
        elif planted == "another file in the index":
            term.unlink()
            term.write_text("植入", encoding="utf-8")
        else:
            shutil.rmtree(index)
            index.symlink_to(secret, target_is_directory=True)
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    _rebuild(options, said)
    assert any(REUSED.search(line) for line in said), said
    assert (site / "notices/2026-11-01-a/index.html").stat().st_ino == published  # reused
    assert "植入" not in "".join(data.decode("utf-8", "replace")
                                 for data in site_files(site).values())
    assert not any(path.is_symlink() for path in site.rglob("*"))
    assert sorted(path.name for path in secret.iterdir()) == ["key.txt"]
    assert (secret / "key.txt").read_text(encoding="utf-8") == "秘密"
    _same_as_a_full_build(root, options, tmp_path)


def test_the_folder_a_rebuild_replaces_becomes_the_next_site_not_trash(tmp_path):
    """Serve moves the site folder it replaced where the next site is prepared, and the
    preparation leaves in it only the pages and index of the site just published, each
    the very file served: nothing is deleted in the background after an edit."""

    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert rebuild_once(options), said
    site = options.target
    replaced = site.stat().st_ino
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    _rebuild(options, said)
    folder = _prepared_folder(site)
    assert folder.stat().st_ino == replaced  # the folder served before this rebuild
    assert [p.name for p in site.parent.iterdir() if "govpub-trash" in p.name] == []
    record = incremental.kept_or_load_record(
        incremental.record_path(incremental_cache(root), site), site)
    pages = {page.dest for page in record.pages.values()}
    index = {rel for rel in site_files(site) if rel.startswith(INDEX_DIR + "/")}
    left = set(site_files(folder))
    assert left == pages | index  # no manifest, marker, open data, assets: only these
    for rel in left:  # each the very file served
        assert (folder / rel).stat().st_ino == (site / rel).stat().st_ino, rel
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明（修订）。", "乙事项说明（再改）。")
    _rebuild(options, said)
    assert any(REUSED.search(line) for line in said), said
    assert site.stat().st_ino == replaced  # the recycled folder, taken and served again
    _same_as_a_full_build(root, options, tmp_path)


def test_a_next_folder_left_by_a_killed_serve_is_set_aside_whole(tmp_path, monkeypatch):
    """A serve that was killed leaves its next site (23,000 entries at 10,000 pages): the
    next serve moves it out of the way at once and has it deleted in the background, not
    in the thread that the first edit's rebuild must stop and wait for."""
    from govpub.build import prepared, trash
    from govpub.build.render import temp_site_for

    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview=False)
    stale = prepared.next_folder(temp_site_for(options.target))
    (stale / "notices/old").mkdir(parents=True)
    (stale / "notices/old/index.html").write_text("旧的", encoding="utf-8")
    deleting: list = []
    monkeypatch.setattr(trash, "_delete_detached", deleting.append)
    assert rebuild_once(options), said
    folder = _prepared_folder(options.target)
    assert not (folder / "notices/old").exists()
    assert len(deleting) == 1 and deleting[0].name.startswith(
        trash.trash_prefix(options.target))
    assert (deleting[0] / "notices/old/index.html").read_text(encoding="utf-8") == "旧的"
    _same_as_a_full_build(root, options, tmp_path)


def test_a_prepared_folder_this_serve_did_not_make_is_never_taken(tmp_path):
    """Left by an earlier serve, or planted (it is beside serve's folder, under .govpub/):
    removed, and the rebuild places every reused page itself."""
    from govpub.build import prepared

    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert rebuild_once(options), said
    site = options.target
    folder = _prepared_folder(site)
    prepared.stop()
    prepared._pending.clear()  # as in a serve started afresh
    (folder / "planted.html").write_text("植入", encoding="utf-8")
    its_folder = (folder / "notices/2026-11-01-a").stat().st_ino
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    _rebuild(options, said)
    assert not (site / "planted.html").exists()
    assert (site / "notices/2026-11-01-a").stat().st_ino != its_folder  # not taken
    _same_as_a_full_build(root, options, tmp_path)


def test_a_manifest_that_cannot_be_written_is_reported_and_the_record_dropped(
        tmp_path, monkeypatch):
    """The served folder's manifest is written after its pages are served: when that
    fails, serve says so, the pages stay served, and the render record (whose digests
    the manifest fills) is dropped, so the next rebuild renders every page again."""
    from govpub.build import serve
    from govpub.errors import BuildError

    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert rebuild_once(options), said
    real = serve.write_manifest

    def failing(*args, **kwargs):
        raise BuildError("symbolic link in the built site: planted")

    monkeypatch.setattr(serve, "write_manifest", failing)
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    assert rebuild_once(options)
    assert said[-1] == "govpub: error: symbolic link in the built site: planted", said[-3:]
    page = options.target / "notices/2026-11-02-b/index.html"
    assert "修订" in page.read_text(encoding="utf-8")  # served all the same
    monkeypatch.setattr(serve, "write_manifest", real)
    _edit(root, "notices/2026-11-02-b.md", "（修订）", "（再次修订）")
    said.clear()
    replaced = options.target.stat().st_ino
    _rebuild(options, said, indexed_first=True)  # no record tells that no page is gone
    assert not any(REUSED.search(line) for line in said), said  # no record: all rendered
    # a folder sharing no page with the new site is not made the next one
    assert _prepared_folder(options.target).stat().st_ino != replaced
    _same_as_a_full_build(root, options, tmp_path)


def _when_rebuilt(said: list[str], look) -> list:
    """An echo that calls ``look()`` the moment serve says "rebuilt" (the pages are served,
    nothing after them is done yet); what it returned is kept in the list returned."""
    seen: list = []

    def echo(line: str) -> None:
        said.append(line)
        if line == "rebuilt":
            seen.append(look())

    return seen, echo


def test_what_no_page_shows_is_written_again_once_the_pages_are_served(tmp_path):
    """A retitled notice is served before the open data, feeds and sitemap are made again:
    at that moment they are the very files the site before served (hard links); then each
    that changed is replaced, and the folder is a full build's."""
    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert rebuild_once(options), said
    site = options.target
    generated = ("api/notices.json", "feeds/notices.xml", "sitemap.xml", "data.json")
    before = {rel: (site / rel).stat().st_ino for rel in generated}

    def look():
        return ((site / "notices/2026-11-02-b/index.html").read_text(encoding="utf-8"),
                (site / "api/notices.json").read_text(encoding="utf-8"),
                {rel: (site / rel).stat().st_ino for rel in generated})

    seen, options.echo = _when_rebuilt(said, look)
    _edit(root, "notices/2026-11-02-b.md", "关于乙事项的通知", "关于乙事项的新通知")
    _rebuild(options, said)
    page, listed, inodes = seen[0]
    assert "关于乙事项的新通知" in page
    assert "关于乙事项的新通知" not in listed  # not yet: the site before's file
    assert inodes == before
    assert "关于乙事项的新通知" in (site / "api/notices.json").read_text(encoding="utf-8")
    assert (site / "api/notices.json").stat().st_ino != before["api/notices.json"]
    assert (site / "data.json").stat().st_ino == before["data.json"]  # unchanged: kept
    assert not list(site.parent.glob("*after-pages*"))  # the scratch folder is gone
    _same_as_a_full_build(root, options, tmp_path)


def test_a_page_gone_is_named_by_nothing_of_the_site_that_serves_without_it(tmp_path):
    """A notice taken back: the open data, feeds and sitemap are made before the swap, so
    nothing served after it still lists the page."""
    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert rebuild_once(options), said
    site = options.target
    assert "2026-11-04-d" in (site / "api/notices.json").read_text(encoding="utf-8")
    assert bundle_contains(site, "丁事项")  # the search finds it while it is published

    def look():
        return {rel: (site / rel).read_text(encoding="utf-8")
                for rel in ("api/notices.json", "feeds/notices.xml", "sitemap.xml")}, \
            bundle_contains(site, "丁事项")

    seen, options.echo = _when_rebuilt(said, look)
    (root / "review/notices/2026-11-04-d.md.yml").unlink()
    _edit(root, "notices/2026-11-01-a.md", "甲事项说明。", "甲事项说明（修订）。")
    _rebuild(options, said, indexed_first=True)
    assert not (site / "notices/2026-11-04-d").exists()
    listed, found = seen[0]
    assert [rel for rel, text in listed.items() if "2026-11-04-d" in text] == []
    assert found == []  # nor does the search served at that moment find it
    _same_as_a_full_build(root, options, tmp_path)


def test_a_link_planted_among_the_files_carried_is_not_followed(tmp_path):
    """The files the site before served are carried as hard links of regular files only:
    a link planted among them (serve's folder is under .govpub/) is not carried, and the
    file is made anew once the pages are served."""
    root = make_site(tmp_path, linked_notices_files())
    secret = tmp_path / "secret.txt"
    secret.write_text("秘密", encoding="utf-8")
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert rebuild_once(options), said
    site = options.target
    planted = site / "api/catalog.json"
    planted.unlink()
    planted.symlink_to(secret)
    seen, options.echo = _when_rebuilt(said, lambda: os.path.lexists(planted))
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    _rebuild(options, said)
    assert seen == [False]  # not carried
    assert not planted.is_symlink() and "秘密" not in planted.read_text(encoding="utf-8")
    assert secret.read_text(encoding="utf-8") == "秘密"
    _same_as_a_full_build(root, options, tmp_path)


def test_files_that_cannot_be_written_after_serving_are_reported_and_the_record_dropped(
        tmp_path):
    """The open data cannot be put in place (a file where its folder goes, planted while
    the pages are served): serve says so, the pages stay served, and the render record is
    dropped: the next rebuild renders every page again and its folder is a full build's."""
    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert rebuild_once(options), said
    site = options.target

    def plant():
        shutil.rmtree(site / "api")
        (site / "api").write_text("植入", encoding="utf-8")

    said.clear()
    _seen, options.echo = _when_rebuilt(said, plant)
    _edit(root, "notices/2026-11-02-b.md", "关于乙事项的通知", "关于乙事项的新通知")
    assert rebuild_once(options)
    errors = [line for line in said if line.startswith("govpub: error:")]
    assert len(errors) == 1 and said.index(errors[0]) == said.index("rebuilt") + 1, said
    assert "were not all written again" in errors[0] and "serve/api" in errors[0], errors
    assert "新通知" in (site / "notices/2026-11-02-b/index.html").read_text(encoding="utf-8")
    options.echo = said.append
    said.clear()
    (site / "api").unlink()
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    _rebuild(options, said, indexed_first=True)  # no record tells that no page is gone
    assert not any(REUSED.search(line) for line in said), said  # no record: all rendered
    _same_as_a_full_build(root, options, tmp_path)


def test_a_broken_link_found_after_the_pages_are_served_is_reported(tmp_path):
    """The link check reads the site as served: a broken link in a page it checks is
    reported after "rebuilt", and serve goes on."""
    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert rebuild_once(options), said
    site = options.target
    page = site / "notices/2026-11-02-b/index.html"

    def plant():
        html = page.read_text(encoding="utf-8")
        page.unlink()
        page.write_text(html.replace("</main>", '<a href="../no-such-page/">x</a></main>'),
                        encoding="utf-8")

    said.clear()
    _seen, options.echo = _when_rebuilt(said, plant)
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    assert rebuild_once(options)
    at = said.index("rebuilt")
    assert said[at + 1].startswith("govpub: error: broken link in the built site: "
                                   "notices/2026-11-02-b/index.html"), said
    assert said[at + 2:] == ["search index updated"], said


def test_after_serve_s_first_build_its_first_edit_lists_no_staged_file_anew(
        tmp_path, monkeypatch):
    """MkDocs' files and theme listing are made for serve's rebuilds once its first build
    is served (that build rendered into another folder, under other settings): the
    editor's first edit reuses them, as every later one does."""
    from govpub.build import mkdocs_files, serve

    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview=False)
    assert serve._build_then_index(options, first=True), said
    made = []
    real = mkdocs_files._pristine
    monkeypatch.setattr(mkdocs_files, "_pristine", lambda *args: made.append(args[0])
                        or real(*args))
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    _rebuild(options, said)
    assert any(REUSED.search(line) for line in said), said
    assert made == []
    _same_as_a_full_build(root, options, tmp_path)


def test_a_rebuild_collects_seldom_until_it_is_done(tmp_path):
    """Serve's heap is frozen between rebuilds: a rebuild starts few young collections
    (govpub.collector.seldom) while it runs, and the process collects as before after."""
    import gc

    from govpub import collector

    root = make_site(tmp_path, linked_notices_files())
    said: list[str] = []
    options = _options(root, said, preview=False)
    before = gc.get_threshold()
    seen, options.echo = _when_rebuilt(said, gc.get_threshold)
    assert rebuild_once(options), said
    assert seen[0][0] == collector.SELDOM_THRESHOLD
    assert gc.get_threshold() == before
