"""The build's refusals and reports speak the user's language.

Each site-folder case is a folder `govpub build` must not replace
(govpub.build.publish.check_target); every refusal is a catalog message, so a
Chinese user reads it in Chinese, the exit code and the path unchanged.
"""

from __future__ import annotations

import re

import pytest

from govpub import i18n
from govpub.build.gate import report_lines
from govpub.build.publish import (
    PREVIEW_MARKER,
    SERVE_MARKER,
    check_target,
    refuse_preview,
    refuse_unpublishable_copy,
)
from govpub.build.staging import _Destinations
from govpub.errors import BuildError, UsageError
from govpub.findings import Finding, Severity

CHINESE = re.compile(r"[\u4e00-\u9fff]")
CASES = ["the repository itself", "inside content/", "inside .govpub/", "a file",
         "a preview copy", "serve's copy", "not a site", "a preview over a site",
         "serve over a site"]


def _folder(path, *files):
    path.mkdir(parents=True, exist_ok=True)
    for name in files:
        (path / name).write_text("x", encoding="utf-8")
    return path


def _targets(root):
    """name -> (target, keyword arguments of check_target)"""
    cases = {
        "the repository itself": (root, {}),
        "inside content/": (root / "content" / "out", {}),
        "inside .govpub/": (root / ".govpub" / "out", {}),
        "a file": (root.parent / "f" / "site.txt", {}),
        "a preview copy": (_folder(root.parent / "p", PREVIEW_MARKER, "index.html"), {}),
        "serve's copy": (_folder(root.parent / "s", SERVE_MARKER, "index.html"), {}),
        "not a site": (_folder(root.parent / "n", "thesis.txt"), {}),
        "a preview over a site": (_folder(root.parent / "site", "index.html"),
                                  {"preview": True}),
        "serve over a site": (_folder(root.parent / "site2", "index.html"), {"serve": True}),
    }
    assert list(cases) == CASES
    return cases


@pytest.fixture
def root(tmp_path):
    root = _folder(tmp_path / "repo")
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "site.txt").write_text("not a folder", encoding="utf-8")
    return root


@pytest.mark.parametrize("case", CASES)
def test_every_refusal_of_a_site_folder_reads_in_chinese(root, case):
    target, options = _targets(root)[case]
    options = {"preview": False, **options}
    with pytest.raises(UsageError) as english:
        check_target(root, target, **options)
    i18n.set_language("zh-CN")
    try:
        with pytest.raises(UsageError) as chinese:
            check_target(root, target, **options)
    finally:
        i18n.set_language(None)
    assert not CHINESE.search(str(english.value)), english.value
    assert CHINESE.search(chinese.value.message), chinese.value.message
    assert chinese.value.hint is None or CHINESE.search(chinese.value.hint), chinese.value.hint
    assert chinese.value.path == english.value.path == str(target.resolve())


def test_the_former_name_refuses_what_the_new_one_refuses(tmp_path):
    for marker in (PREVIEW_MARKER, SERVE_MARKER):
        folder = _folder(tmp_path / marker, marker)
        for refuse in (refuse_unpublishable_copy, refuse_preview):
            with pytest.raises(UsageError, match=re.escape(marker)):
                refuse(folder)
    refuse_unpublishable_copy(_folder(tmp_path / "built", "index.html"))  # a real build passes


@pytest.fixture
def chinese():
    i18n.set_language("zh-CN")
    yield
    i18n.set_language(None)


def test_a_path_leaving_the_staging_folder_is_refused_in_chinese(tmp_path, chinese):
    with pytest.raises(BuildError) as refused:
        _Destinations(tmp_path)("../outside.html")
    assert refused.value.message == "拒绝暂存 '../outside.html'：该路径超出暂存目录"


def test_the_quarantine_report_reads_in_chinese(chinese):
    finding = Finding(path="content/notices/a.md", line=3, column=1, rule="GP201",
                      severity=Severity.ERROR, message="未签发")
    lines = report_lines({"notices/a.md": [finding], "notices/b.md": []},
                         {"notices/c.md": []})
    assert lines == ["已隔离：content/notices/a.md:3：GP201 未签发",
                     "已隔离：content/notices/b.md",
                     "暂缓发布：content/notices/c.md：暂缓发布"]
