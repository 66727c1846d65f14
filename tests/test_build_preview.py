"""Preview builds: unreviewed pages shown under a banner, in a folder that can never be deployed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from build_fixtures import NOW_TEXT, basic_files, build, make_site, notice, page_html

from govpub.build import PREVIEW_MARKER, BuildOptions, is_preview, refuse_preview, run_build
from govpub.errors import UsageError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    files = basic_files()
    files["notices/2026-11-27-draft.md"] = notice(title="待审核通知",
                                                 published="'2026-11-27T09:00:00+08:00'")
    files["notices/2026-11-27-broken.md"] = "---\ntitle: [unclosed\n---\nbody\n"
    signed = [p for p in files if "draft" not in p and "broken" not in p]
    root = make_site(tmp_path_factory.mktemp("preview"), files, sign=signed)
    state = run_build(BuildOptions(root=root, preview=True, now_text=NOW_TEXT,
                                   echo=lambda _line: None))
    return root, state.site_dir


def test_preview_goes_to_its_own_folder_with_the_marker(preview):
    root, site = preview
    assert site == root / ".govpub/preview"
    assert (site / PREVIEW_MARKER).is_file() and is_preview(site)
    assert not (root / "site").exists()
    said = (site / PREVIEW_MARKER).read_text(encoding="utf-8").splitlines()
    assert "切勿发布" in said[0] and "Never deploy" in said[1]  # Chinese first


def test_unreviewed_page_is_shown_under_a_banner(preview):
    _root, site = preview
    draft = page_html(site, "notices/2026-11-27-draft")
    assert "待审核通知" in draft and "Not reviewed — not for publication" in draft
    assert '<meta name="govpub-preview" content="not-for-publication">' in draft
    approved = page_html(site, "notices/2026-11-20-fees")
    assert "Not reviewed — not for publication" not in approved
    assert '<meta name="govpub-preview"' in approved  # every preview page carries the tag
    assert "md-banner" in approved and "Preview — contains unreviewed content" in approved


def test_pages_that_fail_to_load_stay_out_even_of_a_preview(preview):
    _root, site = preview
    assert not (site / "notices/2026-11-27-broken").exists()


def test_build_refuses_a_preview_folder(preview, tmp_path, capsys):
    root, site = preview
    copied = tmp_path / "deploy-me"
    shutil.copytree(site, copied)  # even when copied somewhere that looks harmless
    for target in (site, copied):
        assert build(root, "--site-dir", str(target)) == 2
        assert PREVIEW_MARKER in capsys.readouterr().err
        assert is_preview(target)  # untouched
        with pytest.raises(UsageError):
            refuse_preview(target)


def test_a_preview_copy_is_refused_in_chinese(preview, tmp_path):
    """A Chinese user trying to publish a copied preview reads why, in Chinese (exit code 2)."""
    root, site = preview
    copied = tmp_path / "to-publish"
    shutil.copytree(site, copied)
    env = {**os.environ, "GOVPUB_LANG": "zh-CN"}
    run = subprocess.run([sys.executable, "-m", "govpub", "--root", str(root), "build",
                          "--now", NOW_TEXT, "--site-dir", str(copied)],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 2, run.stderr
    assert run.stderr == (
        f"govpub：错误：{copied}: 此目录为预览版本（带有 {PREVIEW_MARKER} 标记），"
        "可能含有未经审核的页面；请部署 `govpub build` 的输出，不得部署预览\n")
    assert is_preview(copied) and "Traceback" not in run.stderr


def test_preview_refuses_to_overwrite_a_real_site(tmp_path):
    root = make_site(tmp_path, {"notices/2026-11-20-a.md": notice()})
    assert build(root) == 0
    with pytest.raises(UsageError):
        run_build(BuildOptions(root=root, preview=True, site_dir=root / "site",
                               now_text=NOW_TEXT, echo=lambda _line: None))
    assert not is_preview(root / "site")
