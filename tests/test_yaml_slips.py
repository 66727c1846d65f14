"""The editor's YAML slips, each in plain words with the fix, its exact line and a caret;
and the lines of every key and every problem are the lines of the file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from factory import NOW, make_repo, notice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govpub import i18n
from govpub.checker import check_repository
from govpub.config import load_policy
from govpub.content import load_document

HEAD = ("title: 关于调整专利收费标准的通知\nsource: 国家知识产权局办公室\n"
        "published: 2026-11-20T10:00:00+08:00\ndisclosure: proactive\n")

# name: (front matter after the four lines above, line in the file, column,
#        words the English message must contain, words the Chinese message must contain)
SLIPS = {
    "full-width colon": ("category：通知\n", 6, 9, "full-width colon (：)", "全角冒号"),
    "full-width colon, value follows": (
        "category：通知\ntags: [a]\n", 6, 9, "write: category: 通知", "请改为：category: 通知"),
    "full-width quotes around a value with `: `": (
        "category: “通知: 公告”\n", 6, 14, 'use ordinary quotes: category: "通知: 公告"',
        "半角引号"),
    "full-width brackets around a value with `: `": (
        "category: 【通知】收费: 公告\n", 6, 17, "put the whole value in quotes", "引号"),
    "full-width space after the colon": (
        "category:\u3000通知\nextra: x\n", 6, 10, "full-width space (　)", "全角空格"),
    "full-width space as indentation": (
        "time:\n\u3000\u3000a: 1\n  b: 2\n", 7, 1, "full-width space (　) is used for "
        "indentation", "全角空格"),
    "tab": ("category: 通知\nallow:\n\t- rule: GP502\n", 8, 1, "a tab is used for indentation",
            "Tab"),
    "unquoted `: ` in a value": (
        "category: 通知: 公告\n", 6, 13, 'put the whole value in quotes: category: "通知: 公告"',
        "冒号加空格"),
    "dash list under a scalar": (
        "category: 通知\n- 公告\n", 7, 1, "already has a value", "已经有值"),
    "indented too far": ("category: 通知\n  extra: 1\n", 7, 3, "indent", "缩进"),
    "indented to no level": (
        "allow:\n    - rule: GP502\n      reason: x\n  - rule: GP501\n", 9, 3,
        "lines up with no field above", "对不齐"),
    "unclosed double quote": ('category: "通知\n', 6, 11, "never closed", "没有闭合"),
    "unclosed single quote": ("category: '通知\nextra: 1\n", 6, 11, "never closed", "没有闭合"),
    "invisible line separator": ("category: 通知\u2028公告\n", 6, 13,
                                 "invisible line separator (U+2028)", "看不见的换行符"),
}


def _load(front: str):
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "x.md"
        page.write_text(f"---\n{HEAD}{front}---\n\n正文。\n", encoding="utf-8")
        return load_document(page, "notices/x.md", max_page_bytes=10**6,
                             max_attachment_bytes=10**6)


def _caret_column(message: str) -> int:
    """The display column the caret points at, relative to the excerpt's text."""
    shown, caret = message.splitlines()[-2:]
    text = shown.split(" | ", 1)[1]
    offset = caret.split(" | ", 1)[1].index("^")
    width = 0
    for index, char in enumerate(text):
        if width == offset:
            return index + 1
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return len(text) + 1


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_each_slip_is_named_with_its_fix_line_and_caret(name):
    front, line, column, english, _chinese = SLIPS[name]
    doc = _load(front)
    problems = [p for p in doc.problems if p.rule in ("GP001", "GP002")]
    assert len(problems) == 1, doc.problems
    problem = problems[0]
    assert (problem.line, problem.column) == (line, column), problem
    first, shown, _caret = problem.message.splitlines()
    assert english in first
    written = (HEAD + front).split("\n")[line - 2]
    assert shown == f"    {line} | " + written.replace("\t", "→").replace("\u2028", "↵")
    assert _caret_column(problem.message) == column


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_each_slip_is_explained_in_chinese(name):
    front, line, column, _english, chinese = SLIPS[name]
    i18n.set_language("zh-CN")
    try:
        doc = _load(front)
    finally:
        i18n.set_language(None)
    problem = next(p for p in doc.problems if p.rule in ("GP001", "GP002"))
    assert (problem.line, problem.column) == (line, column)
    assert chinese in problem.message.splitlines()[0], problem.message


def test_a_whole_front_matter_read_as_one_value_names_the_slip():
    """`title：…` alone is valid YAML (one string): the full-width colon is still the fault."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "x.md"
        page.write_text("---\ntitle：关于调整收费的通知\n---\n正文\n", encoding="utf-8")
        doc = load_document(page, "notices/x.md", max_page_bytes=10**6,
                            max_attachment_bytes=10**6)
    [problem] = doc.problems
    assert (problem.rule, problem.line, problem.column) == ("GP002", 2, 6)
    assert "write: title: 关于调整收费的通知" in problem.message


def test_slips_that_parse_are_named_by_the_schema_rule(tmp_path):
    files = {
        "notices/indent.md": notice(category="通知\ntime:\n\u3000\u3000a: 1"),
        "guides/000173001001-x.md": notice().replace(
            "category: 通知", "items: 【000173001001, 000173001002】"),
    }
    root = make_repo(tmp_path, files)
    found = {(f.path, f.line): f.message for f in check_repository(load_policy(root), NOW).findings
             if f.rule == "GP101"}
    assert "full-width space (　)" in found[("content/notices/indent.md", 8)]
    brackets = found[("content/guides/000173001001-x.md", 6)]
    assert "ordinary square brackets, [a, b], not 【】" in brackets


def test_a_configuration_file_slip_has_the_same_words_line_and_caret(tmp_path):
    root = make_repo(tmp_path, {"notices/a.md": notice()})
    site = root / "site_config" / "site.yml"
    lines = site.read_text(encoding="utf-8").split("\n")
    number = next(i for i, text in enumerate(lines) if text.startswith("timezone:")) + 1
    lines[number - 1] = "timezone：Asia/Shanghai"
    site.write_text("\n".join(lines), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "GOVPUB_LANG"}
    for language, words in (("en", "the colon after `timezone` is a full-width colon"),
                             ("zh-CN", "`timezone` 后面的冒号是全角冒号")):
        proc = subprocess.run([sys.executable, "-m", "govpub", "--root", str(root), "--lang",
                               language, "check"], capture_output=True, text=True, env=env)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        first, shown, caret = proc.stderr.rstrip("\n").split("\n")
        assert f"site_config/site.yml:{number}: " in first and words in first
        assert shown == f"    {number} | timezone：Asia/Shanghai"
        assert caret.endswith(" |         ^")


def test_duplicate_key_names_the_line_of_the_first_one(tmp_path):
    """Regression: the first occurrence was named one line too early (the `---` line)."""
    text = notice().replace("category: 通知", "category: 通知\ncategory: 公告")
    root = make_repo(tmp_path, {"notices/a.md": text})
    [finding] = [f for f in check_repository(load_policy(root), NOW).findings
                 if f.rule == "GP003"]
    lines = text.split("\n")
    assert finding.line == lines.index("category: 公告") + 1
    assert f"(first on line {lines.index('category: 通知') + 1})" in finding.message


# -- the property: reported lines are where the keys are ---------------------------------

_WORDS = st.sampled_from(["关于调整收费", "通知", "note", "12330", "2026-11-20", "a b", "是"])
_PLAIN = st.lists(_WORDS, min_size=1, max_size=3).map(" ".join)
_SCALAR = st.one_of(
    _PLAIN,
    _PLAIN.map(lambda t: f"'{t}'"),
    _PLAIN.map(lambda t: f'"{t}"'),
    st.integers(0, 999).map(str),
    # line separators pasted from a word processor: line breaks to PyYAML, not to editors
    _PLAIN.map(lambda t: f'"{t}\u2028{t}"'),
    _PLAIN.map(lambda t: f"'{t}\u2029{t}'"),
)
_KEYS = st.sampled_from(["title", "source", "category", "note", "items", "extra", "a_b",
                         "x-y"])


@st.composite
def _front_matter(draw):
    """Front matter lines and, per key path, the file lines where that key is written."""
    out: list[str] = []
    where: dict[tuple, list[int]] = {}

    def emit(text: str, key: tuple | None = None) -> None:
        out.append(text)
        if key is not None:
            where.setdefault(key, []).append(len(out) + 1)  # +1: the `---` line

    def filler() -> None:
        for _ in range(draw(st.integers(0, 2))):
            emit(draw(st.sampled_from(["", "# 说明", "   ", "  # indented comment"])))

    for _ in range(draw(st.integers(1, 6))):
        filler()
        key = draw(_KEYS)
        shape = draw(st.sampled_from(["scalar", "block", "flow", "mapping", "list",
                                      "items"]))
        if shape == "scalar":
            emit(f"{key}: {draw(_SCALAR)}", (key,))
        elif shape == "block":
            emit(f"{key}: |", (key,))
            for _ in range(draw(st.integers(1, 3))):
                emit(f"  {draw(_PLAIN)}: {draw(_PLAIN)}")
        elif shape == "flow":
            emit(f"{key}: [{draw(_PLAIN)}, {draw(_PLAIN)}]", (key,))
        elif shape == "mapping":
            emit(f"{key}:", (key,))
            indent = " " * draw(st.sampled_from([2, 4]))
            for _ in range(draw(st.integers(1, 3))):
                filler()
                sub = draw(_KEYS)
                emit(f"{indent}{sub}: {draw(_SCALAR)}", (key, sub))
        elif shape == "list":
            emit(f"{key}:", (key,))
            for _ in range(draw(st.integers(1, 3))):
                emit(f"- {draw(_SCALAR)}")
        else:
            emit(f"{key}:", (key,))
            for index in range(draw(st.integers(1, 2))):
                sub = draw(_KEYS)
                emit(f"  - {sub}: {draw(_SCALAR)}", (key, index, sub))
                other = draw(_KEYS)
                if other != sub:
                    emit(f"    {other}: {draw(_SCALAR)}", (key, index, other))
    return out, where


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(_front_matter())
def test_every_key_and_every_duplicate_is_reported_on_its_own_line(front):
    lines, where = front
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "x.md"
        page.write_text("---\n" + "\n".join(lines) + "\n---\nbody\n", encoding="utf-8")
        doc = load_document(page, "notices/x.md", max_page_bytes=10**6,
                            max_attachment_bytes=10**6)
    assert not [p for p in doc.problems if p.rule in ("GP001", "GP002")], doc.problems
    duplicates = {(p.line, int(re.search(r"first (?:defined )?on line (\d+)", p.message)[1]))
                  for p in doc.problems if p.rule == "GP003"}
    expected_duplicates = set()
    for path, found in where.items():
        if any(len(where.get(path[:n], [])) > 1 for n in range(1, len(path))):
            continue  # inside a duplicated group: YAML never reads the later group's keys
        assert doc.line_of(*path) == found[0], (path, found, doc.key_lines)
        expected_duplicates |= {(line, found[0]) for line in found[1:]}
    assert expected_duplicates <= duplicates
