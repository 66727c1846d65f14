"""The MkDocs render in parts (govpub.build.mkdocs_parts) writes the site one process writes.

Large sites are rendered by several forked ``mkdocs build`` runs, each of a
contiguous part of the pages, merged afterwards. These tests force the parts
on a small site and compare the result byte for byte with a one-process
build, and check that a failing part fails the build and keeps the old site.
"""

from __future__ import annotations

import pytest
from build_fixtures import add_file, build, make_site, notice, site_files
from factory import sign_off

from govpub.build import mkdocs_parts, render_mkdocs
from govpub.errors import BuildError

pytestmark = pytest.mark.slow


def _site_with_many_pages(tmp_path):
    root = make_site(tmp_path)
    for day in range(1, 13):
        add_file(root, f"notices/2026-10-{day:02d}-n.md",
                 notice(title=f"第{day}号通知", published=f"'2026-10-{day:02d}T09:00:00+08:00'",
                        body=f"## 第{day}部分\n\n见[收费通知](2026-11-20-fees.md)和"
                             f"[上一篇](2026-10-{max(day - 1, 1):02d}-n.md#第{max(day - 1, 1)}部分)。"),
                 sign=False)
    sign_off(root, [f"notices/2026-10-{day:02d}-n.md" for day in range(1, 13)])
    return root


def test_a_site_rendered_in_parts_is_the_site_rendered_at_once(tmp_path, monkeypatch):
    root = _site_with_many_pages(tmp_path)
    assert build(root, "--site-dir", str(tmp_path / "one")) == 0
    counts = []
    monkeypatch.setattr(render_mkdocs, "part_count",
                        lambda pages: counts.append(pages) or 3)
    assert build(root, "--site-dir", str(tmp_path / "parts")) == 0
    assert counts and counts[0] > 12  # the parts path did run, on every page
    one, parts = site_files(tmp_path / "one"), site_files(tmp_path / "parts")
    assert sorted(one) == sorted(parts)
    assert [name for name in one if one[name] != parts[name]] == []
    assert not list(tmp_path.glob("*.part*")), "part folders are cleaned up"


def test_pages_are_split_into_contiguous_parts_and_static_files_go_to_part_zero():
    from mkdocs.structure.files import File, Files, InclusionLevel

    def files():
        pages = [File(f"p{i}.md", "/docs", "/site", True) for i in range(7)]
        for page in pages:
            page.inclusion = InclusionLevel.INCLUDED
        return Files([*pages, File("a.css", "/docs", "/site", True)])

    kept = []
    for part in range(3):
        result = mkdocs_parts.exclude_other_parts(files(), part, 3)
        kept.append([f.src_uri for f in result if not f.inclusion.is_excluded()])
    assert kept == [["p0.md", "p1.md", "p2.md", "a.css"], ["p3.md", "p4.md", "p5.md"],
                    ["p6.md"]]


def test_a_failing_part_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch, capsys):
    root = _site_with_many_pages(tmp_path)
    assert build(root) == 0
    before = site_files(root / "site")
    real_build_part = render_mkdocs._build_part

    def failing(state, part, parts):
        if part == 1:
            raise BuildError("MkDocs failed: disk full")
        return real_build_part(state, part, parts)

    monkeypatch.setattr(render_mkdocs, "part_count", lambda pages: 2)
    monkeypatch.setattr(render_mkdocs, "_build_part", failing)
    assert build(root) == 2
    err = capsys.readouterr().err
    assert "part 2 of 2" in err and "disk full" in err
    assert site_files(root / "site") == before
    assert not list(root.glob("*.part*")) and not (root / ".site.govpub-tmp").exists()


def test_a_planted_part_folder_link_is_not_written_through(tmp_path, monkeypatch):
    root = _site_with_many_pages(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / ".site.govpub-tmp.part1").symlink_to(outside, target_is_directory=True)
    monkeypatch.setattr(render_mkdocs, "part_count", lambda pages: 2)
    assert build(root) == 0
    assert list(outside.iterdir()) == []
    assert (root / "site" / "notices" / "2026-10-12-n" / "index.html").is_file()


def test_parts_add_no_warning_under_strict(tmp_path, monkeypatch):
    root = _site_with_many_pages(tmp_path)
    monkeypatch.setattr(render_mkdocs, "part_count", lambda pages: 3)
    assert build(root, "--strict") == 0
    assert (root / "site" / "search-index" / "index.json").is_file()
