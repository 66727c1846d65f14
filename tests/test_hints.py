"""Every ``next:`` hint any command prints is a command that runs.

The templates are collected from the code (every call of
:func:`govpub.hints.next_step`); the commands that print them run on a fresh
clone of the demo; each printed hint is matched to its template and executed
as printed, in a shell, from where the user stood. A hint that exits 2 (usage
or configuration error), prints a traceback or matches no template fails the
test, and so does a template no scenario printed.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from demo_clone import fresh_clone

from govpub import hints

SRC = Path(hints.__file__).parent
PREFIXES = ("next: ", "下一步：")


def templates() -> dict[str, str]:
    """template -> where it is, for every next_step(...) call in the code."""
    found = {}
    for file in sorted(SRC.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "next_step":
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), \
                    f"{file}:{node.lineno}: next_step needs a literal template"
                found[first.value] = f"{file.relative_to(SRC)}:{node.lineno}"
    return found


def as_pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile("(?:cd \\S+ && )?" + r"\S+".join(map(re.escape, parts)) + "$")


def test_hints_are_only_printed_through_next_step():
    offenders = []
    for file in sorted(SRC.rglob("*.py")):
        if file.name == "hints.py":
            continue
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""["']next:""", line):
                offenders.append(f"{file.relative_to(SRC)}:{number}: {line.strip()}")
    assert not offenders, offenders
    assert len(templates()) >= 4


def _run(args, cwd, lang):
    env = {**os.environ, "GOVPUB_LANG": lang,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def printed_hints(output: str) -> list[str]:
    return [line.split(prefix, 1)[1] for line in output.splitlines()
            for prefix in PREFIXES if line.startswith(prefix)]


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    # committed on the last evening of 2025, so the 2025 report finds its year-end commit
    return fresh_clone(tmp_path_factory.mktemp("hints"), when="2025-12-31T20:00:00+08:00")


#: (working directory: "root" or "elsewhere", language, the command)
SCENARIOS = [
    ("root", "zh-CN", ["govpub", "new", "notice", "关于调整专利收费标准的通知", "--column",
                       "notices"]),
    ("elsewhere", "en", ["govpub", "--root", "{root}", "new", "service-item", "专利权评价报告更正"]),
    ("root", "en", ["govpub", "new", "guide", "专利申请受理办事指南", "--code", "000173001001",
                    "--slug", "application-receipt"]),
    ("root", "zh-CN", ["govpub", "report", "annual", "2025", "--force", "--now",
                       "2026-01-20T10:00"]),
    ("root", "en", ["govpub", "report", "annual", "2025", "--force", "--now",
                    "2026-01-20T10:00", "--snapshot", "HEAD", "--office-empty"]),
    ("elsewhere", "en", ["govpub", "--root", "{root}", "report", "annual", "2025", "--force",
                         "--now", "2026-01-20T10:00", "--office-empty"]),
]


def test_every_printed_hint_runs_and_every_template_is_printed(clone, tmp_path):
    wanted = templates()
    patterns = {template: as_pattern(template) for template in wanted}
    seen: set[str] = set()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    office = clone / "site_config" / "annual" / "2025.yml"
    filled = office.read_text(encoding="utf-8")
    for where, lang, command in SCENARIOS:
        command = [part.replace("{root}", str(clone)) for part in command]
        if "--office-empty" in command:  # the office has not filled anything in yet
            command.remove("--office-empty")
            office.unlink()
        else:
            office.write_text(filled, encoding="utf-8")
        cwd = clone if where == "root" else elsewhere
        proc = _run(command, cwd, lang)
        assert proc.returncode == 0, (command, proc.stderr)
        found = printed_hints(proc.stdout + proc.stderr)
        assert found, (command, proc.stderr)
        for hint in found:
            matching = [t for t, p in patterns.items() if p.match(hint)]
            assert matching, f"{hint!r} (from {command}) matches no next_step template"
            seen.update(matching)
            ran = _run(["bash", "-c", hint], cwd, lang)
            assert ran.returncode in (0, 1), (hint, ran.stdout, ran.stderr)
            assert "Traceback" not in ran.stderr and "govpub: error" not in ran.stderr
            assert "govpub：错误" not in ran.stderr and "Usage:" not in ran.stderr, ran.stderr
    assert set(wanted) <= seen, {t: wanted[t] for t in set(wanted) - seen}
