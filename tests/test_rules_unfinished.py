"""Nothing half-done is published (issue 13, item 8): the skeleton's placeholder marker."""

from __future__ import annotations

import pytest
from factory import NOW, make_repo, notice

from govpub.checker import check_repository
from govpub.config import load_policy
from govpub.errors import ConfigError
from govpub.placeholder import MARKER, fill_in

PAGE = "notices/2026-11-20-a.md"


def check(tmp_path, files):
    return check_repository(load_policy(make_repo(tmp_path, files)), NOW)


def test_a_placeholder_in_front_matter_or_text_blocks_the_page(tmp_path):
    text = notice(source=fill_in("发文机关"), body=f"第一段。\n\n{fill_in('正文')}\n")
    result = check(tmp_path, {PAGE: text, "notices/2026-11-21-b.md": notice()})
    found = sorted((f.rule, f.line, f.column) for f in result.findings if f.rule == "GP220")
    lines = text.splitlines()
    body_line = next(i for i, line in enumerate(lines, 1) if MARKER in line and i > 3)
    assert found == [("GP220", 3, 1), ("GP220", body_line, 1)]
    assert PAGE in result.blocked and "notices/2026-11-21-b.md" not in result.blocked
    messages = [f.message for f in result.findings if f.rule == "GP220"]
    assert "front matter `source` still carries the placeholder 【待填写】" in messages[0]


def test_a_placeholder_deep_in_a_list_is_found(tmp_path):
    text = notice().replace("category: 通知", f"category: 通知\nkeywords: [专利, '{MARKER}']")
    result = check(tmp_path, {PAGE: text})
    assert [f.message.split(" still")[0] for f in result.findings if f.rule == "GP220"] == [
        "front matter `keywords.1`"]



def test_a_placeholder_written_with_escapes_or_as_a_field_name_is_found(tmp_path):
    escaped = '"\\u3010\\u5f85\\u586b\\u5199\\u3011"'  # YAML escapes: the marker, not its text
    text = notice().replace("category: 通知", f"category: 通知\nnote: {escaped}\n"
                            f"extra:\n  {MARKER}: x")
    result = check(tmp_path, {PAGE: text})
    assert MARKER not in text.split("extra:")[0]
    assert [f.message.split(" still")[0] for f in result.findings if f.rule == "GP220"] == [
        "front matter `note`", f"front matter `extra.{MARKER}`"]

def test_the_rule_cannot_be_lowered(tmp_path):
    root = make_repo(tmp_path, {PAGE: notice()})
    (root / "site_config/rules.yml").write_text("severity:\n  GP220: warning\n",
                                                encoding="utf-8")
    with pytest.raises(ConfigError, match="GP220 guards publication"):
        load_policy(root)


def test_allow_does_not_let_a_placeholder_through(tmp_path):
    text = notice(source=fill_in("发文机关"),
                  allow="[{rule: GP220, reason: 以后再填}]")
    result = check(tmp_path, {PAGE: text})
    assert any(f.rule == "GP220" for f in result.findings)
    assert PAGE in result.blocked
