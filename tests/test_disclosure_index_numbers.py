"""Index numbers (索引号): the append-only registry, `govpub disclosure assign`, rule GP109."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from factory import NOW, make_repo, notice

from govpub.checker import check_repository
from govpub.config import load_policy
from govpub.disclosure.assign import assign
from govpub.disclosure.registry import REGISTRY_PATH, parse_registry, read_registry

HEADER = "index_number,path,date,event\n"
TODAY = date(2026, 11, 28)


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "ed", "GIT_AUTHOR_EMAIL": "ed@example.gov.cn",
           "GIT_COMMITTER_NAME": "ed", "GIT_COMMITTER_EMAIL": "ed@example.gov.cn",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root.parent)}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _gp701(root: Path) -> list:
    policy = load_policy(root)
    return [f for f in check_repository(policy, NOW).findings if f.rule == "GP109"]


def _site(tmp_path: Path) -> Path:
    return make_repo(tmp_path, {
        "notices/2026-03-01-a.md": notice(title="甲", published="2026-03-01T10:00:00+08:00"),
        "notices/2026-05-01-b.md": notice(title="乙", published="2026-05-01T10:00:00+08:00"),
        "policies/2025-12-30-c.md": notice(title="丙", published="2025-12-30T10:00:00+08:00",
                                           category=None, policy_kind="rule",
                                           status="in-force"),
    })


def test_numbers_run_per_year_in_publication_order_and_are_never_given_twice(tmp_path):
    root = _site(tmp_path)
    policy = load_policy(root)
    given = assign(policy, today=TODAY)
    assert given == [("CNIPA/2025-00001", "policies/2025-12-30-c.md"),
                     ("CNIPA/2026-00001", "notices/2026-03-01-a.md"),
                     ("CNIPA/2026-00002", "notices/2026-05-01-b.md")]
    assert assign(policy, today=TODAY) == []  # nothing twice
    # a deleted page keeps its number: the next page of 2026 gets 00003, not 00002
    (root / "content/notices/2026-05-01-b.md").unlink()
    (root / "content/notices/2026-06-01-d.md").write_text(
        notice(title="丁", published="2026-06-01T10:00:00+08:00"), encoding="utf-8")
    assert assign(policy, today=TODAY) == [("CNIPA/2026-00003", "notices/2026-06-01-d.md")]
    registry = read_registry(root)
    assert not registry.problems
    assert registry.owner["CNIPA/2026-00002"] == "notices/2026-05-01-b.md"


def test_a_page_without_a_number_is_blocked_only_where_the_site_keeps_a_registry(tmp_path):
    root = _site(tmp_path)
    assert _gp701(root) == []  # no registry: index numbers are not in use
    policy = load_policy(root)
    assign(policy, {"notices/2026-03-01-a.md"}, today=TODAY)
    findings = _gp701(root)
    assert {f.path for f in findings} == {"content/notices/2026-05-01-b.md",
                                          "content/policies/2025-12-30-c.md"}
    result = check_repository(policy, NOW)
    assert "notices/2026-05-01-b.md" in result.blocked
    assert "govpub disclosure assign content/notices/2026-05-01-b.md" in findings[0].message


@pytest.mark.parametrize(("text", "expected"), [
    (HEADER + "CNIPA/2026-00001,notices/a.md,2026-01-01,assigned\n"
     "CNIPA/2026-00001,notices/b.md,2026-01-02,assigned\n", "already assigned on line 2"),
    (HEADER + "CNIPA/2026-00001,notices/a.md,2026-01-01,assigned\n"
     "CNIPA/2026-00002,notices/a.md,2026-01-02,assigned\n", "already has index number"),
    (HEADER + "2026-1,notices/a.md,2026-01-01,assigned\n", "is not an index number"),
    (HEADER + "CNIPA/2026-00001,notices/a.md,2026-01-01,moved\n", "moved before it was"),
    (HEADER + "CNIPA/2026-00001,notices/a.md,yesterday,assigned\n", "is not a date"),
    (HEADER + "CNIPA/2026-00001,../x.md,2026-01-01,assigned\n", "not the content path"),
    ("number,path\n", "must be the header"),
])
def test_malformed_or_reused_lines_are_reported_with_their_line(text, expected):
    registry = parse_registry(text)
    assert any(expected in p.message for p in registry.problems), registry.problems


def test_a_void_line_needs_the_line_it_withdraws():
    registry = parse_registry(HEADER + "CNIPA/2026-00001,notices/a.md,2026-01-01,void\n")
    assert "no earlier line" in registry.problems[0].message


def test_a_moved_page_keeps_its_number():
    registry = parse_registry(HEADER + "CNIPA/2026-00001,notices/a.md,2026-01-01,assigned\n"
                              "CNIPA/2026-00001,notices/a2.md,2026-02-01,moved\n")
    assert not registry.problems
    assert registry.number_of == {"notices/a2.md": "CNIPA/2026-00001"}


def test_a_changed_or_removed_line_is_caught_from_git_history(tmp_path):
    root = _site(tmp_path)
    assign(load_policy(root), today=TODAY)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "site with index numbers")
    assert _gp701(root) == []
    registry = root / REGISTRY_PATH
    original = registry.read_text(encoding="utf-8")
    # give notice a's number to a new page and renumber a: caught before and after commit
    changed = original.replace("CNIPA/2026-00001,notices/2026-03-01-a.md",
                               "CNIPA/2026-00009,notices/2026-03-01-a.md")
    registry.write_text(changed, encoding="utf-8")
    for committed in (False, True):
        if committed:
            _git(root, "commit", "-q", "-am", "renumber")
        findings = _gp701(root)
        assert any(f.path == REGISTRY_PATH and "committed line is gone" in f.message
                   for f in findings), findings
        assert any(f.path == "content/notices/2026-03-01-a.md" for f in findings)
        assert "notices/2026-03-01-a.md" in check_repository(load_policy(root), NOW).blocked
    # putting the line back (beside the wrong one, which now reuses a page) is not enough
    registry.write_text(original + "CNIPA/2026-00009,notices/2026-03-01-a.md,2026-11-28,"
                        "assigned\n", encoding="utf-8")
    assert any("already has index number" in f.message for f in _gp701(root))
    # the committed mistake is withdrawn by a void line; its number is never given again
    registry.write_text(original + "CNIPA/2026-00009,notices/2026-03-01-a.md,2026-11-28,"
                        "assigned\nCNIPA/2026-00009,notices/2026-03-01-a.md,2026-11-29,void\n",
                        encoding="utf-8")
    assert _gp701(root) == []
    assert read_registry(root).next_sequence("CNIPA", 2026) == 10


def test_deleting_the_registry_is_caught(tmp_path):
    root = _site(tmp_path)
    assign(load_policy(root), today=TODAY)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "site")
    (root / REGISTRY_PATH).write_text(HEADER, encoding="utf-8")
    assert len([f for f in _gp701(root) if f.path == REGISTRY_PATH]) == 3


def test_the_command_assigns_and_reports(tmp_path):
    root = _site(tmp_path)
    cmd = [sys.executable, "-m", "govpub", "--root", str(root), "disclosure", "assign",
           "--now", "2026-11-28T12:00"]
    dry = subprocess.run([*cmd, "--dry-run"], capture_output=True, text=True, check=False)
    assert dry.returncode == 0, dry.stderr
    assert "CNIPA/2025-00001  content/policies/2025-12-30-c.md" in dry.stdout
    assert not (root / REGISTRY_PATH).exists()
    one = subprocess.run([*cmd, "content/notices/2026-05-01-b.md"], capture_output=True,
                         text=True, check=False)
    assert one.stdout.splitlines() == ["CNIPA/2026-00001  content/notices/2026-05-01-b.md"]
    site = root / "site_config/site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace('agency_code: "CNIPA"', ""),
                    encoding="utf-8")
    missing = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_govpub_new_gives_a_notice_its_number_at_once(tmp_path):
    root = _site(tmp_path)
    assign(load_policy(root), today=TODAY)
    proc = subprocess.run([sys.executable, "-m", "govpub", "--root", str(root), "--lang", "en",
                           "new", "notice", "关于新事项的通知", "--column", "notices",
                           "--now", "2026-12-01T09:00"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    page = proc.stdout.strip().removeprefix("content/")
    assert f"index number CNIPA/2026-00003 assigned: commit {REGISTRY_PATH}" in proc.stderr
    assert read_registry(root).number_of[page] == "CNIPA/2026-00003"
    assert not [f for f in _gp701(root) if f.path == "content/" + page]
    # a page type without index numbers gets none
    proc = subprocess.run([sys.executable, "-m", "govpub", "--root", str(root), "new", "faq",
                           "常见问题", "--now", "2026-12-01T09:00"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "CNIPA" not in proc.stderr
