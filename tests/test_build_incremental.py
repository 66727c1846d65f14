"""Incremental builds write byte for byte what a full build writes.

One repository is built again and again into ``site/`` (each build reusing
what it can from the previous one), and after every change it is compared,
file by file, with a full build of the same repository into a fresh folder.
The changes cover what a page's HTML can depend on: its own text, its title
in listings, pages added, removed and quarantined, a link target, an
attachment, a sign-off, the navigation, mkdocs.yml and the theme.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import threading

import pytest
from build_fixtures import (
    REUSED,
    add_file,
    build,
    linked_notices_files,
    make_site,
    notice,
    site_files,
)
from factory import sign_off
from search_fixtures import indexed_urls, records

from govpub.build import incremental, postbuild, render_mkdocs
from govpub.cachedir import cache_dir_for
from govpub.search import index as search_index

pytestmark = pytest.mark.slow

_fresh = itertools.count()
SEARCH = re.compile(r"search index: (\d+) pages? read again, (\d+) files? written, (\d+) removed")


_last_out = [""]


def _build_both(root, tmp_path, capsys) -> tuple[int, int | None]:
    """Build ``site/`` incrementally and a fresh folder in full; compare them.

    Returns (exit code, pages reused or None when every page was rendered).
    """
    capsys.readouterr()
    code = build(root)
    out = _last_out[0] = capsys.readouterr().out
    full = tmp_path / f"full-{next(_fresh)}"
    assert build(root, "--site-dir", str(full)) == code, "a full build decides the same"
    capsys.readouterr()
    if code == 0:
        mine, theirs = site_files(root / "site"), site_files(full)
        assert sorted(mine) == sorted(theirs)
        assert [name for name in mine if mine[name] != theirs[name]] == []
    shutil.rmtree(full, ignore_errors=True)
    found = REUSED.search(out)
    return code, int(found.group(2)) if found else None


def _edit(root, rel: str, old: str, new: str, *, sign: bool = True) -> None:
    path = root / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    if sign:
        sign_off(root, [rel])


def _search_updated() -> tuple[int, int, int] | None:
    """(pages read again, files written, removed) of the search index's update in the last
    build of ``site/``; None when it was written in full."""
    found = SEARCH.search(_last_out[0])
    return tuple(int(n) for n in found.groups()) if found else None


def test_every_kind_of_change_builds_what_a_full_build_writes(tmp_path, capsys):
    root = make_site(tmp_path, linked_notices_files())
    assert _build_both(root, tmp_path, capsys)[0] == 0  # the first build renders every page
    assert _search_updated() is None  # nothing to update: the index written in full

    code, reused = _build_both(root, tmp_path, capsys)  # nothing changed
    assert code == 0 and reused is not None and reused > 5
    assert _search_updated() == (0, 0, 0)  # the previous index, as it was

    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    code, reused_after_edit = _build_both(root, tmp_path, capsys)
    assert code == 0 and reused_after_edit is not None
    # one page's text: that page is read again; its fragment and its terms' files written
    read, written, _removed = _search_updated()
    assert read == 1 and 1 <= written < len(list((root / "site/search-index").rglob("*.g*")))
    edited = next(r for r in records(root / "site") if r["url"] == "/notices/2026-11-02-b/")
    assert "修订" in edited["content"]

    _edit(root, "notices/2026-11-20-fees.md", "关于调整专利收费的通知", "关于调整专利收费标准的通知")
    assert _build_both(root, tmp_path, capsys)[0] == 0  # title: in listings and the home page

    add_file(root, "notices/2026-11-26-new.md",
             notice(title="新增通知", published="'2026-11-26T09:00:00+08:00'", body="新内容。"))
    assert _build_both(root, tmp_path, capsys)[0] == 0

    (root / "content/notices/2026-11-26-new.md").unlink()  # removed (its record is now an orphan)
    (root / "review/notices/2026-11-26-new.md.yml").unlink()
    assert _build_both(root, tmp_path, capsys)[0] == 0

    _edit(root, "notices/2026-11-01-a.md", "2026-11-02-b.md", "2026-11-25-hours.md")  # link target
    assert _build_both(root, tmp_path, capsys)[0] == 0

    attachment = root / "content/attachments/forms/request.docx"  # an attachment, signed again
    attachment.write_bytes(attachment.read_bytes() + b"\0")
    sign_off(root, ["attachments/forms/request.docx"])
    assert _build_both(root, tmp_path, capsys)[0] == 0

    _edit(root, "notices/2026-11-25-hours.md", "服务大厅开放时间调整。", "未审核的修改。",
          sign=False)  # quarantined: the approval no longer matches; A links to it
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert not (root / "site/notices/2026-11-25-hours/index.html").exists()
    assert not (root / "site/notices/2026-11-01-a/index.html").exists()
    # the search index (built from the site after every render, reused pages included) no
    # longer holds them either
    assert {"/notices/2026-11-25-hours/", "/notices/2026-11-01-a/"}.isdisjoint(
        indexed_urls(root / "site"))

    sign_off(root, ["notices/2026-11-25-hours.md"])  # approved again: both come back
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert (root / "site/notices/2026-11-01-a/index.html").exists()
    assert "/notices/2026-11-01-a/" in indexed_urls(root / "site")

    (root / "review/notices/2026-11-04-d.md.yml").unlink()  # a sign-off withdrawn
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert not (root / "site/notices/2026-11-04-d/index.html").exists()

    columns = root / "site_config/columns.yml"  # a title in the navigation: every page
    columns.write_text(columns.read_text(encoding="utf-8").replace("通知公告", "通知公告栏目", 1),
                       encoding="utf-8")
    code, reused = _build_both(root, tmp_path, capsys)
    assert code == 0 and reused is None
    assert "通知公告栏目" in (root / "site/index.html").read_text(encoding="utf-8")


def _add_to_footer(main_html, text: str) -> None:
    """Put ``text`` at the start of the theme's footer block (a template defines it once)."""
    template = main_html.read_text(encoding="utf-8")
    assert template.count("{% block footer %}") == 1
    main_html.write_text(template.replace("{% block footer %}", "{% block footer %}" + text),
                         encoding="utf-8")


def _with_own_theme(root, footer: str = "") -> str:
    """Give the site its own theme folder (a copy of govpub's) and mkdocs.yml; return the yml."""
    theme = root / "theme"
    shutil.copytree(render_mkdocs.THEME_DIR, theme)
    if footer:
        _add_to_footer(theme / "main.html", footer)
    text = render_mkdocs.DEFAULT_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"custom_dir: .*", "custom_dir: theme", text)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return text


def test_links_of_reused_pages_that_break_fail_the_build_as_a_full_build_does(tmp_path, capsys):
    """A's footer links into B (with a fragment) and to D: the rules never see these links,
    only the link check of the built site. A itself does not change, so only checking
    reused pages again finds what breaks."""
    root = make_site(tmp_path, linked_notices_files())
    _with_own_theme(root, "{% if page and page.file.src_uri == 'notices/2026-11-01-a.md' %}"
                          '<a href="{{ \'notices/2026-11-02-b/\' | url }}#section-b">B</a>'
                          '<a href="{{ \'notices/2026-11-04-d/\' | url }}">D</a>'
                          "{% endif %}")
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _build_both(root, tmp_path, capsys)[1] is not None

    _edit(root, "notices/2026-11-02-b.md", "## Section B", "## Section C")  # the anchor goes
    assert _build_both(root, tmp_path, capsys)[0] == 2
    assert "section-b" in (root / "site/notices/2026-11-02-b/index.html").read_text(
        encoding="utf-8"), "the previous site stays"

    _edit(root, "notices/2026-11-02-b.md", "## Section C", "## Section B")
    code, reused = _build_both(root, tmp_path, capsys)
    assert code == 0 and reused is not None

    (root / "review/notices/2026-11-04-d.md.yml").unlink()  # D quarantined: its links break
    assert _build_both(root, tmp_path, capsys)[0] == 2


def test_mkdocs_yml_and_theme_changes_render_every_page(tmp_path, capsys):
    root = make_site(tmp_path, linked_notices_files())
    mkdocs_yml = _with_own_theme(root)
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _build_both(root, tmp_path, capsys)[1] is not None

    main = root / "theme/main.html"
    _add_to_footer(main, "<!-- theme edit -->")
    code, reused = _build_both(root, tmp_path, capsys)
    assert code == 0 and reused is None
    assert "theme edit" in (root / "site/notices/2026-11-01-a/index.html").read_text(
        encoding="utf-8")

    edited = mkdocs_yml.replace("    - content.code.copy\n", "")
    assert edited != mkdocs_yml
    (root / "mkdocs.yml").write_text(edited, encoding="utf-8")
    code, reused = _build_both(root, tmp_path, capsys)
    assert code == 0 and reused is None


def test_compiled_templates_kept_between_builds_follow_a_template_edit(tmp_path, capsys,
                                                                     monkeypatch):
    """The theme's templates are compiled once and kept (a Jinja bytecode cache in the cache
    folder); a template edited since is compiled again: the site is a fresh compile's."""
    root = make_site(tmp_path, linked_notices_files())
    _with_own_theme(root, footer="<!-- first footer -->")
    assert build(root) == 0
    kept = cache_dir_for(root, "templates")
    assert sorted(p.name for p in kept.iterdir() if p.name.endswith(".cache"))  # compiled, kept
    _add_to_footer(root / "theme/main.html", "<!-- second footer -->")
    assert build(root) == 0
    page = (root / "site/notices/2026-11-01-a/index.html").read_text(encoding="utf-8")
    assert "second footer" in page and "first footer" in page
    monkeypatch.setenv("GOVPUB_CACHE_DIR", str(tmp_path / "empty-cache"))  # nothing kept
    full = tmp_path / "full-fresh"
    assert build(root, "--site-dir", str(full)) == 0
    mine, theirs = site_files(root / "site"), site_files(full)
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []


def _manifest_is_the_files(site) -> None:
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))["files"]
    actual = {rel: hashlib.sha256(data).hexdigest()
              for rel, data in _raw_files(site).items() if rel != "manifest.json"}
    assert manifest == actual


def _raw_files(site) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in site.rglob("*") if path.is_file()}


def test_the_manifest_hashed_beside_the_search_index_is_every_file_as_written(
        tmp_path, capsys, monkeypatch):
    """The search index is written beside the other post-build steps and the files written
    so far are hashed meanwhile; the manifest still lists every file (the index's too) with
    the SHA-256 of its bytes, after a full build and after a one-page rebuild."""
    hashed = threading.Event()
    waited: list[bool] = []
    real_index, real_hash = search_index.write_search_index, postbuild.hash_early

    def index_after_hashing(model, site_dir, delta=None):
        waited.append(hashed.wait(120))  # the index is written after the others are hashed
        hashed.clear()
        real_index(model, site_dir, delta=delta)

    def hash_early(*args):
        real_hash(*args)
        hashed.set()

    for name in ("uses_delta", "writes_own_folder"):
        setattr(index_after_hashing, name, getattr(real_index, name))
    monkeypatch.setattr(postbuild, "hash_early", hash_early)
    # (after a one-page change it would not hash early at all: see the test below)
    monkeypatch.setattr(postbuild, "_hashing_early_pays", lambda delta: True)
    monkeypatch.setattr(postbuild, "write_search_index", index_after_hashing)
    monkeypatch.setattr(postbuild, "POST_BUILD",
                        [index_after_hashing if step is real_index else step
                         for step in postbuild.POST_BUILD])
    root = make_site(tmp_path, linked_notices_files())
    assert build(root) == 0
    _manifest_is_the_files(root / "site")
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    assert build(root) == 0
    assert waited == [True, True]
    _manifest_is_the_files(root / "site")
    assert any(rel.startswith("search-index/") for rel in _raw_files(root / "site"))


def test_after_a_one_page_change_the_manifest_hashes_without_hashing_early(
        tmp_path, capsys, monkeypatch):
    """Hashing early pays only when the render wrote much: after a one-page change it
    would state every file of the site for the manifest to state again. It is skipped
    then, and the manifest still lists every file with the SHA-256 of its bytes."""
    calls = []
    real = postbuild.hash_early
    monkeypatch.setattr(postbuild, "hash_early", lambda *args: calls.append(1) or real(*args))
    root = make_site(tmp_path, linked_notices_files())
    assert build(root) == 0
    assert calls == [1]  # the first build writes everything
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    assert build(root) == 0
    assert calls == [1]
    _manifest_is_the_files(root / "site")


def test_a_page_edited_in_the_site_folder_is_rendered_again(tmp_path, capsys):
    root = make_site(tmp_path, linked_notices_files())
    assert build(root) == 0
    page = root / "site/notices/2026-11-01-a/index.html"
    with open(page, "a", encoding="utf-8") as handle:
        handle.write("<!-- changed by hand -->")
    code, reused = _build_both(root, tmp_path, capsys)
    assert code == 0 and reused is not None
    assert "changed by hand" not in page.read_text(encoding="utf-8")


def test_a_damaged_record_is_ignored(tmp_path, capsys):
    root = make_site(tmp_path, linked_notices_files())
    assert build(root) == 0
    record = incremental.record_path(cache_dir_for(root, "render"), root / "site")
    data = bytearray(record.read_bytes())
    data[len(data) // 2] ^= 0xFF
    record.write_bytes(bytes(data))
    code, reused = _build_both(root, tmp_path, capsys)
    assert code == 0 and reused is None
    record.write_bytes(b"not a record")
    code, reused = _build_both(root, tmp_path, capsys)
    assert code == 0 and reused is None


def test_incremental_render_in_parts(tmp_path, capsys, monkeypatch):
    root = make_site(tmp_path, linked_notices_files())
    for day in range(1, 9):
        add_file(root, f"notices/2026-10-{day:02d}-n.md",
                 notice(title=f"第{day}号通知", published=f"'2026-10-{day:02d}T09:00:00+08:00'",
                        body=f"## 第{day}部分\n\n见[甲通知](2026-11-01-a.md)。"))
    monkeypatch.setattr(render_mkdocs, "part_count", lambda pages: 2 if pages > 1 else 1)
    assert _build_both(root, tmp_path, capsys)[0] == 0
    for day in (2, 5, 8):
        _edit(root, f"notices/2026-10-{day:02d}-n.md", f"第{day}部分", f"第{day}节")
    code, reused = _build_both(root, tmp_path, capsys)
    assert code == 0 and reused is not None


def test_the_cache_lives_outside_the_repository(tmp_path):
    root = make_site(tmp_path, linked_notices_files())
    assert build(root) == 0
    folder = cache_dir_for(root, "render")
    assert any(folder.iterdir())
    assert not folder.resolve().is_relative_to(root.resolve())
    assert os.environ["GOVPUB_CACHE_DIR"] in str(folder)


def test_preview_marks_a_page_whose_sign_off_is_withdrawn_without_a_byte_changed(tmp_path):
    """In a preview the "not reviewed" banner is part of a page's key: its bytes alone are not."""
    from build_fixtures import NOW_TEXT

    from govpub.build import BuildOptions, run_build

    root = make_site(tmp_path, linked_notices_files())
    lines: list[str] = []

    def preview(site_dir):
        run_build(BuildOptions(root=root, preview=True, site_dir=site_dir, now_text=NOW_TEXT,
                               echo=lines.append))
        return site_files(site_dir)

    preview(root / ".govpub/preview")
    (root / "review/notices/2026-11-02-b.md.yml").unlink()
    lines.clear()
    mine = preview(root / ".govpub/preview")
    assert any(REUSED.search(line) for line in lines)
    theirs = preview(tmp_path / "full-preview")
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []
    assert "govpub-unreviewed" in mine["notices/2026-11-02-b/index.html"].decode()


def test_a_replaced_site_is_deleted_in_the_background(tmp_path, capsys, monkeypatch):
    from govpub.build import publish, trash

    started = []
    real = trash._delete_detached
    monkeypatch.setattr(trash, "_delete_detached",
                        lambda folder: started.append(real(folder)) or started[-1])
    monkeypatch.setattr(publish, "DETACH_FROM_PAGES", 0)
    root = make_site(tmp_path, linked_notices_files())
    assert _build_both(root, tmp_path, capsys)[0] == 0
    _edit(root, "notices/2026-11-02-b.md", "乙事项说明。", "乙事项说明（修订）。")
    code, reused = _build_both(root, tmp_path, capsys)
    assert code == 0 and reused is not None  # still byte for byte a full build
    assert started and not (root / ".site.govpub-old").exists()
    for process in started:
        assert process.wait() == 0
    assert not list(root.glob(".site.govpub-trash-*"))


def test_trash_a_killed_deleter_left_is_swept_up(tmp_path, monkeypatch):
    from govpub.build import trash

    site = tmp_path / "site"
    site.mkdir()
    left = tmp_path / ".site.govpub-trash-1-2"
    (left / "notices").mkdir(parents=True)
    (left / "notices" / "index.html").write_text("old", encoding="utf-8")
    started = []
    real = trash._delete_detached
    monkeypatch.setattr(trash, "_delete_detached",
                        lambda folder: started.append(real(folder)) or started[-1])
    trash.sweep(site)
    assert [process.wait() for process in started] == [0]
    assert not left.exists() and site.is_dir()


def test_an_index_changed_in_the_site_folder_is_written_in_full(tmp_path, capsys):
    """The render record vouches for every file of the index the update starts from, and
    for no other: a file of the index removed, changed or added, or a link (to a file or
    a folder) planted, in the published site makes the index be written in full (and the
    result is still byte for byte a full build's)."""
    root = make_site(tmp_path, linked_notices_files())
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _search_updated() == (0, 0, 0)  # nothing changed: the index is the previous one

    index = root / "site" / "search-index"
    next((index / "zh-cn" / "p").iterdir()).unlink()
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _search_updated() is None  # written in full

    fragment = next((index / "zh-cn" / "p").iterdir())
    data = fragment.read_bytes()
    fragment.unlink()
    fragment.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # another file, other bytes
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _search_updated() is None

    (index / "zh-cn" / "p" / "99999.gpf").write_bytes(b"not indexed by govpub")
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _search_updated() is None
    assert not (index / "zh-cn" / "p" / "99999.gpf").exists()

    secret = tmp_path / "secret.txt"
    secret.write_text("not for the browser", encoding="utf-8")
    (index / "zh-cn" / "t" / "planted.gpi").symlink_to(secret)
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _search_updated() is None
    assert not (index / "zh-cn" / "t" / "planted.gpi").exists()

    (index / "zh-cn" / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _search_updated() is None
    assert not (index / "zh-cn" / "elsewhere").exists()
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _search_updated() == (0, 0, 0)  # trusted again: the last build wrote it


def test_a_site_folder_deleted_between_builds_is_built_again_in_full(tmp_path, capsys):
    """`rm -rf site` between two builds: the cache still holds the record and the search
    state of the folder that went. The next build renders and indexes every page (it
    failed with "No such file or directory: site/search-index" before); so does one
    after the index alone was replaced by a file, or moved out of the site and linked to
    (its files as recorded: only the link tells that it is not the site's own)."""
    root = make_site(tmp_path, linked_notices_files())
    assert _build_both(root, tmp_path, capsys)[0] == 0
    shutil.rmtree(root / "site")
    assert _build_both(root, tmp_path, capsys) == (0, None)
    assert _search_updated() is None  # written in full

    index = root / "site" / "search-index"
    shutil.rmtree(index)
    index.write_text("not an index", encoding="utf-8")
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _search_updated() is None

    elsewhere = tmp_path / "elsewhere"  # the very files the build published, moved out
    index.rename(elsewhere)
    index.symlink_to(elsewhere, target_is_directory=True)
    assert _build_both(root, tmp_path, capsys)[0] == 0
    assert _search_updated() is None
    assert index.is_dir() and not index.is_symlink()


@pytest.mark.parametrize("planted", [".site.govpub-tmp", ".site.govpub-tmp.render"])
def test_a_link_planted_where_the_render_writes_is_removed_not_emptied(tmp_path, capsys,
                                                                        planted):
    """The temporary site (``.site.govpub-tmp`` beside ``site/``, in the repository) and
    the folder MkDocs renders into while the reused pages are placed (``….render``): a
    pull request can commit a link there. MkDocs empties its folder first, following a
    link; govpub removes the link instead, and what it pointed to is left alone."""
    root = make_site(tmp_path, linked_notices_files())
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine", encoding="utf-8")
    for rendered_in_full in (True, False):  # every page rendered; then most reused
        if (root / planted).is_symlink():  # (a full render does not use ….render)
            (root / planted).unlink()
        (root / planted).symlink_to(precious, target_is_directory=True)
        if rendered_in_full:
            assert build(root) == 0
        else:
            _edit(root, "notices/2026-11-02-b.md", "## Section B", "## Section B again")
            code, reused = _build_both(root, tmp_path, capsys)
            assert code == 0 and reused is not None
        assert sorted(p.name for p in precious.iterdir()) == ["keep.txt"]
        assert (precious / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert not (root / planted).is_symlink()  # removed by the build that used the path


def test_open_data_the_last_site_published_as_it_is_is_linked_not_written(tmp_path, capsys):
    """An open-data file with the bytes the previous site published at its path, still the
    very file published, is a hard link to it; one whose bytes changed, or that was changed
    in the site folder since, is written. Either way the site is a full build's, and the
    manifest lists every file's SHA-256."""
    root = make_site(tmp_path, linked_notices_files())
    assert build(root) == 0
    site = root / "site"
    inode = {path.relative_to(site).as_posix(): path.stat().st_ino
             for path in [*(site / "api").rglob("*.json"), *(site / "feeds").glob("*.xml")]}
    assert "api/notices.json" in inode and "api/schema/notices.schema.json" in inode
    tampered = site / "api/schema/catalog.schema.json"
    tampered.write_bytes(tampered.read_bytes() + b" ")  # by hand, in the published site
    _edit(root, "notices/2026-11-20-fees.md", "关于调整专利收费的通知", "关于调整专利收费标准的通知")
    code, reused = _build_both(root, tmp_path, capsys)
    assert code == 0 and reused is not None
    now = {rel: (site / rel).stat().st_ino for rel in inode}
    assert now["api/notices.json"] != inode["api/notices.json"]  # the title is in it
    assert now["api/schema/catalog.schema.json"] != inode["api/schema/catalog.schema.json"]
    unchanged = [rel for rel in inode if now[rel] == inode[rel]]
    assert "api/schema/notices.schema.json" in unchanged
    assert any(rel.startswith("feeds/") for rel in unchanged), unchanged
    _manifest_is_the_files(site)
