"""Each command speaks Chinese by default and English on request; what machines read does not
change: exit codes, JSON keys, rule ids, paths, lines and severities are the same in both.

Run on a copy of the demo site (content/, review/, site_config/) with one broken page added,
so that the check and the audit have findings to word.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from factory import REPO

from govpub.integrity.manifest import write_manifest

DEMO_NOW = "2026-11-28T12:00:00+08:00"
CJK = re.compile(r"[\u4e00-\u9fff]")
#: a notice with no source, not signed off, linking to a page that does not exist
BROKEN = ("---\ntitle: 关于测试的通知\npublished: 2026-11-20T10:00:00+08:00\n"
          "disclosure: proactive\ncategory: 通知\n---\n\n见[附件](missing.md)。\n")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    for part in ("content", "review", "site_config"):
        shutil.copytree(REPO / part, root / part)
    (root / "content" / "notices" / "i18n-broken.md").write_text(BROKEN, encoding="utf-8")
    return root


def run(root: Path, language: str | None, *args: str) -> subprocess.CompletedProcess:
    """``govpub`` with the language chosen the way a user would: --lang, or nothing at all."""
    env = {k: v for k, v in os.environ.items() if k not in ("GOVPUB_LANG", "LANG", "LC_ALL")}
    flag = ["--lang", language] if language else []
    return subprocess.run([sys.executable, "-m", "govpub", "--root", str(root), *flag, *args],
                          capture_output=True, text=True, env=env, timeout=300)


def both(root: Path, *args: str):
    """The default run (the demo's site.yml says zh-CN) and the English one."""
    chinese, english = run(root, None, *args), run(root, "en", *args)
    assert chinese.returncode == english.returncode, (chinese.stderr, english.stderr)
    assert "Traceback" not in chinese.stderr + english.stderr
    return chinese, english


def _finding_keys(findings: list[dict]) -> list[tuple]:
    return [(f["path"], f["line"], f["column"], f["rule"], f["severity"]) for f in findings]


def test_check_findings_are_worded_in_the_language_and_located_the_same(demo):
    chinese, english = both(demo, "check", "--now", DEMO_NOW, "--format", "json")
    assert chinese.returncode == 1
    zh, en = json.loads(chinese.stdout), json.loads(english.stdout)
    assert [set(f) for f in zh] == [set(f) for f in en]
    assert _finding_keys(zh) == _finding_keys(en)
    broken = [(z, e) for z, e in zip(zh, en, strict=True)
              if z["path"] == "content/notices/i18n-broken.md"]
    assert {z["rule"] for z, _ in broken} >= {"GP102", "GP201", "GP301"}
    for z, e in broken:
        if z["rule"] in ("GP102", "GP301"):
            assert z["message"] != e["message"] and re.match(r"[\u4e00-\u9fff“]", z["message"])
    missing_source = next(z["message"] for z, _ in broken if z["rule"] == "GP102")
    assert "缺少“source”" in missing_source


def test_check_text_output_and_summary(demo):
    chinese, english = both(demo, "check", "--now", DEMO_NOW)
    line = next(x for x in chinese.stdout.splitlines() if "i18n-broken.md" in x and "GP102" in x)
    assert re.match(r"content/notices/i18n-broken\.md:\d+:\d+: GP102 错误：缺少“source”", line)
    assert "个问题" in chinese.stderr and "finding(s)" in english.stderr
    assert "GP102 error: 'source' is missing" in english.stdout


def test_rules_in_both_languages(demo):
    chinese, english = both(demo, "rules")
    assert chinese.returncode == 0
    assert "GP102  provenance  [error 错误]" in chinese.stdout
    assert "检查内容：" in chinese.stdout and "What it checks" not in chinese.stdout
    assert "GP102  provenance  [error]" in english.stdout and "What it checks:" in english.stdout


def test_audit_in_both_languages(demo):
    chinese, english = both(demo, "audit", "--now", "2027-02-10T12:00", "--format", "json")
    zh, en = json.loads(chinese.stdout), json.loads(english.stdout)
    assert _finding_keys(zh) == _finding_keys(en) and zh
    overdue_report = [z["message"] for z in zh if z["rule"] == "GP711"]
    assert overdue_report and "年度网站工作报表已超期" in overdue_report[0]
    chinese, english = both(demo, "audit", "--now", DEMO_NOW)
    assert "检查完毕" in chinese.stderr and "audit:" in english.stderr
    chinese, english = both(demo, "audit", "--list")
    assert "GP701 stale-column" in chinese.stdout and "检查内容" in chinese.stdout
    assert "What it checks" in english.stdout


def test_comments_in_both_languages(demo):
    chinese, english = both(demo, "comments", "--now", "2026-12-30T12:00", "--format", "json")
    zh, en = json.loads(chinese.stdout), json.loads(english.stdout)
    assert set(zh) == set(en)
    assert [(o["path"], o["state"], o["due"]) for o in zh["open"]] == \
        [(o["path"], o["state"], o["due"]) for o in en["open"]]
    chinese, english = both(demo, "comments", "--now", "2026-12-30T12:00")
    assert "待答复留言" in chinese.stdout and "open comment(s)" in english.stdout
    if zh["open"]:
        assert "已超期" in chinese.stdout and "OVERDUE" in english.stdout


def test_links_in_both_languages(demo):
    chinese, english = both(demo, "links", "--format", "json")
    assert chinese.stdout == english.stdout  # no words in it: the status keys stay English
    records = json.loads(chinese.stdout)
    assert records and {r["status"] for r in records} <= {"approved", "unapproved",
                                                         "http-not-allowed"}
    chinese, english = both(demo, "links")
    assert "[已审批]" in chinese.stdout and "个外部链接" in chinese.stdout
    assert "[approved]" in english.stdout and "external link(s)" in english.stdout


def test_verify_in_both_languages(demo, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>首页</p>\n", encoding="utf-8")
    (site / "a.html").write_text("<p>a</p>\n", encoding="utf-8")
    write_manifest(site)
    (site / "a.html").write_text("<p>changed</p>\n", encoding="utf-8")
    chinese, english = both(demo, "verify", str(site), "--format", "json")
    assert chinese.returncode == 1 and chinese.stdout == english.stdout
    chinese, english = both(demo, "verify", str(site))
    assert "已改动：a.html" in chinese.stdout and "未通过：" in chinese.stdout
    assert "altered: a.html" in english.stdout and "FAILED: " in english.stdout


def test_configuration_errors_in_both_languages(demo, tmp_path):
    root = tmp_path / "broken"
    shutil.copytree(demo / "site_config", root / "site_config")
    (root / "content").mkdir()
    site = root / "site_config" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "timezone: Asia/Shanghai", "timezone: [Asia/Shanghai]"), encoding="utf-8")
    chinese, english = both(root, "check")
    assert chinese.returncode == 2
    assert chinese.stderr.startswith("govpub：错误：site_config/site.yml:")
    assert "timezone：应为文本，实际是列表" in chinese.stderr
    assert "timezone: expected text, got a list" in english.stderr


def test_usage_errors_and_help_in_both_languages(demo):
    chinese, english = both(demo, "check", "--bogus")
    assert chinese.returncode == 2
    assert "用法：" in chinese.stderr and "没有选项 '--bogus'" in chinese.stderr
    assert "Usage:" in english.stderr and "No such option '--bogus'" in english.stderr
    chinese, english = both(demo, "check", "--help")
    assert "对全部内容运行所有检查规则" in chinese.stdout
    assert "显示本帮助信息并退出" in chinese.stdout and "[默认值：text]" in chinese.stdout
    assert "Run every rule over the whole content set." in english.stdout
    chinese, english = both(demo, "--help")
    assert "对全部内容运行所有检查规则" in chinese.stdout
    assert "Run every rule over the whole content set" in english.stdout


def test_lang_given_before_help_applies_to_the_help(demo):
    proc = run(demo, "zh-CN", "--help")
    assert "显示本帮助信息并退出" in proc.stdout
    proc = run(demo, "en", "--help")
    assert "Show this message and exit." in proc.stdout
