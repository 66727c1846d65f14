"""The command contract: output formats, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

from factory import make_repo, notice

GOVPUB = [sys.executable, "-m", "govpub"]


def run(root, *args):
    return subprocess.run([*GOVPUB, "--root", str(root), *args], capture_output=True,
                          text=True, timeout=120)


def test_clean_repository_exits_0(tmp_path):
    root = make_repo(tmp_path, {"notices/a.md": notice()})
    proc = run(root, "check", "--now", "2026-11-28T12:00")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""


def test_text_json_and_github_formats_and_exit_1(tmp_path):
    root = make_repo(tmp_path, {"notices/x.md": notice().replace(
        "source: 国家知识产权局办公室\n", "")})
    text = run(root, "check")
    assert text.returncode == 1
    assert text.stdout.startswith("content/notices/x.md:6:1: GP102 error: 'source' is missing")
    as_json = json.loads(run(root, "check", "--format", "json").stdout)
    assert {"path", "line", "column", "rule", "severity", "message"} == set(as_json[0])
    github = run(root, "check", "--format", "github").stdout
    assert github.startswith("::error file=content/notices/x.md,line=6,col=1,title=GP102::")


def test_path_narrows_reporting_not_loading(tmp_path):
    root = make_repo(tmp_path, {"notices/a.md": notice(body="[b](b.md)"),
                                "notices/b.md": notice(disclosure="withheld")})
    proc = run(root, "check", str(root / "content" / "notices" / "a.md"))
    assert proc.returncode == 1
    assert "GP302" in proc.stdout and "GP103" not in proc.stdout


def test_broken_config_is_exit_2_with_file_and_line(tmp_path):
    root = make_repo(tmp_path, {"notices/a.md": notice()})
    site = root / "site_config" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "timezone: Asia/Shanghai", "timezone: [Asia/Shanghai]"), encoding="utf-8")
    proc = run(root, "check")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    line = proc.stderr.strip().splitlines()
    assert len(line) == 1 and line[0].startswith("govpub: error: site_config/site.yml:")
    assert "timezone: expected text, got a list" in line[0]


def test_missing_config_and_bad_now_are_exit_2(tmp_path):
    proc = run(tmp_path, "check")
    assert proc.returncode == 2 and "no site_config/ folder" in proc.stderr
    root = make_repo(tmp_path, {"notices/a.md": notice()})
    proc = run(root, "check", "--now", "yesterday")
    assert proc.returncode == 2 and "--now" in proc.stderr


def test_rules_lists_every_rule_with_its_documentation(tmp_path):
    proc = run(tmp_path, "rules")
    assert proc.returncode == 0
    assert "GP102  provenance  [error]" in proc.stdout
    assert "What it checks" in proc.stdout and "Fix:" in proc.stdout


def test_rules_yml_may_raise_a_rule_but_not_loosen_a_guard(tmp_path):
    root = make_repo(tmp_path, {"notices/a.md": notice(body="[x](a.md#nowhere)")})
    rules_file = root / "site_config" / "rules.yml"
    rules_file.write_text("severity:\n  GP304: error\n", encoding="utf-8")
    assert run(root, "check").returncode == 1  # the missing anchor now blocks
    rules_file.write_text("severity:\n  GP201: warning\n", encoding="utf-8")
    proc = run(root, "check")
    assert proc.returncode == 2 and "GP201 guards publication" in proc.stderr


def test_impossible_now_is_a_usage_error(tmp_path):
    root = make_repo(tmp_path, {"notices/a.md": notice()})
    for text in ("2026-13-01", "2026-02-30T10:00"):
        proc = run(root, "check", "--now", text)
        assert proc.returncode == 2 and "not a real date" in proc.stderr, proc.stderr


def test_check_ends_its_process_at_once_with_all_its_output(tmp_path):
    """`govpub check` ends without freeing its documents (os._exit): everything it wrote
    still reaches a pipe and a file whole — more than any buffer holds — with its code."""
    pages = {f"notices/p{n:03}.md": notice().replace("source: 国家知识产权局办公室\n", "")
             for n in range(120)}
    root = make_repo(tmp_path, pages)
    piped = run(root, "check", "--format", "json")
    assert piped.returncode == 1, piped.stderr
    assert len(piped.stdout) > 3 * 8192
    found = json.loads(piped.stdout)
    assert sorted({f["path"] for f in found if f["rule"] == "GP102"}) == \
        [f"content/{path}" for path in sorted(pages)]
    out = tmp_path / "out.txt"
    with out.open("w") as handle:
        text = subprocess.run([*GOVPUB, "--root", str(root), "--lang", "en", "check"],
                              stdout=handle, stderr=subprocess.PIPE, text=True, timeout=120)
    assert text.returncode == 1
    assert out.read_text().count(": GP102 error: ") == len(pages)
    assert "finding(s)" in text.stderr.splitlines()[-1]
    usage = run(root, "--lang", "en", "check", str(root / "content/no-such.md"))
    assert usage.returncode == 2 and "does not exist" in usage.stderr
