"""The gate in the build: quarantine vs --strict, the leak test, scheduled pages, failed builds."""

from __future__ import annotations

import json
import re

import pytest
from build_fixtures import (
    add_file,
    basic_files,
    build,
    files_containing,
    form_docx,
    govpub,
    make_site,
    notice,
    page_html,
    site_files,
)

from govpub.build import postbuild

pytestmark = pytest.mark.slow

TOKEN = "ZQXLEAK7731"


def leaky_files() -> dict[str, str | bytes]:
    files = basic_files()
    files[f"notices/2026-11-26-{TOKEN}.md"] = notice(
        title=f"内部通知 {TOKEN}", published="'2026-11-26T09:00:00+08:00'",
        body=f"不得公开的内容 {TOKEN}。\n\n[附件](../attachments/{TOKEN}-form.docx)")
    files[f"attachments/{TOKEN}-form.docx"] = form_docx(f"内部表格 {TOKEN}")
    files["notices/2026-11-27-linker.md"] = notice(
        title="引用通知", published="'2026-11-27T09:00:00+08:00'",
        body=f"详见[另一通知](2026-11-26-{TOKEN}.md)。")
    return files


@pytest.fixture(scope="module")
def leaky(tmp_path_factory):
    files = leaky_files()
    signed = [p for p in files if TOKEN not in p]  # the token files are never signed off
    root = make_site(tmp_path_factory.mktemp("leak"), files, sign=signed)
    return root


def test_quarantined_page_leaves_no_trace(leaky, capsys):
    assert build(leaky) == 0
    out = capsys.readouterr().out
    site = leaky / "site"
    assert (site / "notices/2026-11-20-fees/index.html").is_file()  # the rest is published
    assert files_containing(site, TOKEN) == []
    assert "linker" not in " ".join(site_files(site))  # the page linking into it is held back
    assert files_containing(leaky / ".govpub/staging", TOKEN) == []
    # ... and the quarantine report names them, on the terminal and beside the site
    assert f"content/notices/2026-11-26-{TOKEN}.md" in out
    assert "quarantined: content/notices/2026-11-27-linker.md" in out
    report = json.loads((leaky / ".govpub/quarantine.json").read_text(encoding="utf-8"))
    paths = {entry["path"] for entry in report["quarantined"]}
    assert {f"content/notices/2026-11-26-{TOKEN}.md", f"content/attachments/{TOKEN}-form.docx",
            "content/notices/2026-11-27-linker.md"} <= paths
    assert all(entry["findings"] and entry["findings"][0]["rule"].startswith("GP")
               for entry in report["quarantined"])
    assert TOKEN in (leaky / ".govpub/quarantine.txt").read_text(encoding="utf-8")


def test_strict_fails_before_writing_anything(leaky, tmp_path, capsys):
    target = tmp_path / "strict-site"
    assert build(leaky, "--strict", "--site-dir", str(target)) == 1
    captured = capsys.readouterr()
    assert "GP201" in captured.out and "nothing was built" in captured.err
    assert not target.exists()


def test_strict_says_in_chinese_that_nothing_was_built(leaky, tmp_path, capsys):
    target = tmp_path / "strict-site"
    assert govpub(leaky, "--lang", "zh", "build", "--strict", "--site-dir", str(target)) == 1
    err = capsys.readouterr().err
    assert re.search(r"3 个文件中有 \d+ 个阻断性问题，未构建任何内容", err), err
    assert "或去掉 --strict 重新构建，将这些页面隔离" in err
    assert not target.exists()


def test_strict_build_of_a_clean_site_succeeds(tmp_path):
    root = make_site(tmp_path)
    assert build(root, "--strict") == 0
    assert (root / "site/index.html").is_file()


def test_scheduled_page_is_held_back_then_appears(tmp_path, capsys):
    files = basic_files()
    files["notices/2026-12-01-later.md"] = notice(title="十二月通知",
                                                 published="'2026-12-01T09:00:00+08:00'")
    root = make_site(tmp_path, files)
    assert build(root, now="2026-11-28T12:00:00+08:00") == 0
    assert "held back: content/notices/2026-12-01-later.md" in capsys.readouterr().out
    assert files_containing(root / "site", "十二月通知") == []
    assert build(root, now="2026-12-01T09:00:00+08:00") == 0
    assert "十二月通知" in page_html(root / "site", "notices/2026-12-01-later")
    assert "十二月通知" in page_html(root / "site", "")  # and on the home page


def test_failed_build_keeps_the_previous_site(tmp_path, monkeypatch, capsys):
    root = make_site(tmp_path)
    assert build(root) == 0
    before = site_files(root / "site")
    add_file(root, "notices/2026-11-27-new.md", notice(title="新通知",
                                                         published="'2026-11-27T09:00:00+08:00'"))

    def broken_step(model, site_dir):
        raise OSError("disk full")

    monkeypatch.setattr(postbuild, "POST_BUILD", [*postbuild.POST_BUILD, broken_step])
    assert build(root) == 2
    assert "disk full" in capsys.readouterr().err
    assert site_files(root / "site") == before
    assert not [p for p in (root).iterdir() if "govpub-tmp" in p.name or "govpub-old" in p.name]


def test_broken_mkdocs_config_keeps_the_previous_site(tmp_path, capsys):
    root = make_site(tmp_path)
    assert build(root) == 0
    before = site_files(root / "site")
    (root / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: no-such-theme\n",
                                     encoding="utf-8")
    assert build(root) == 2
    err = capsys.readouterr().err
    assert "mkdocs.yml" in err and "Traceback" not in err
    assert site_files(root / "site") == before


@pytest.mark.parametrize("site_dir", [".", "content", "site_config/out", ".."])
def test_refuses_site_dirs_that_would_destroy_the_repository(tmp_path, site_dir, capsys):
    root = make_site(tmp_path, {"notices/2026-11-20-a.md": notice()})
    assert build(root, "--site-dir", str(root / site_dir)) == 2
    assert "site folder" in capsys.readouterr().err
    assert (root / "content/notices/2026-11-20-a.md").is_file()


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path, capsys):
    root = make_site(tmp_path, {"notices/2026-11-20-a.md": notice()})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete", encoding="utf-8")
    assert build(root, "--site-dir", str(precious)) == 2
    assert "does not look like a built site" in capsys.readouterr().err
    assert (precious / "thesis.txt").is_file()


def test_bad_now_is_a_usage_error(tmp_path, capsys):
    root = make_site(tmp_path, {"notices/2026-11-20-a.md": notice()})
    assert govpub(root, "build", "--now", "yesterday") == 2
    assert "--now" in capsys.readouterr().err


def test_a_broken_link_in_the_rendered_site_fails_the_build(tmp_path, monkeypatch, capsys):
    from govpub.build import generated

    root = make_site(tmp_path)
    assert build(root) == 0
    before = site_files(root / "site")

    def page_with_a_dead_link(model):  # generated text is not seen by the content rules
        return {"about-links.md": "# Links\n\n[dead](no-such-page/index.md)\n"}

    monkeypatch.setattr(generated, "GENERATORS", [*generated.GENERATORS, page_with_a_dead_link])
    assert build(root) == 2
    err = capsys.readouterr().err
    assert "broken link in the built site: about-links/index.html" in err, err
    assert site_files(root / "site") == before
