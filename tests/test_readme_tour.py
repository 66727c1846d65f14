"""The README's tour for editors, run word for word on a fresh clone.

The lines of the ``For editors`` block of README.md are run, unchanged and in
order, by one ``bash`` in a fresh clone of the repository, as an editor would
type them. What the editor does by hand is played by the environment:
``$EDITOR`` is a program that fills in every marked place, ``Ctrl+C`` stops the
preview server once the page has been looked at, and ``GOVPUB_SERVE_PORT=0``
keeps the preview off a fixed port. The test checks each step's result.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

from demo_clone import REPO, fresh_clone

from govpub.placeholder import MARKER

FILLER = f'''
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
lines = []
for line in text.splitlines():
    if line.lstrip().startswith("#") and not line.startswith("## "):
        lines.append(line.replace({MARKER!r}, ""))
    else:
        line = line.replace("source: " + {MARKER!r} + "发布机构", "source: 专利局初审及流程管理部")
        line = line.replace("category: " + {MARKER!r} + "类别", "category: 通知")
        lines.append(re.sub(re.escape({MARKER!r}) + r".*",
                            "根据有关规定，现将专利收费标准调整事项通知如下。", line))
open(path, "w", encoding="utf-8").write("\\n".join(lines) + "\\n")
'''


def editor_tour() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### For editors", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def written_page(output: list[str]) -> str:
    """The page ``govpub new`` wrote: its path goes into ``$page``; the hint shows it too."""
    return next(m.group(1) for s in output for m in [re.search(r"(content/\S+\.md)", s)] if m)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found += [int(child) for child in text.split()]
    return found


def test_the_editor_tour_works_word_for_word(tmp_path):
    lines = editor_tour()
    assert any("govpub new notice" in line for line in lines)
    new, edit, check, serve, push = (lines.index(next(x for x in lines if key in x))
                                     for key in ("govpub new", "$EDITOR", "govpub check",
                                                 "govpub serve", "git push"))
    clone = fresh_clone(tmp_path)
    filler = tmp_path / "editor.py"
    filler.write_text(FILLER, encoding="utf-8")
    script = []
    for number, line in enumerate(lines):
        script += [f"echo '::step {number}'", line, f"echo \"::status {number} $?\""]
    env = {key: value for key, value in os.environ.items() if key != "GOVPUB_LANG"}
    env.update(EDITOR=f"{sys.executable} {filler}", GOVPUB_SERVE_PORT="0",
               GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1")
    # An editor's terminal delivers Ctrl+C; a test worker may have inherited SIGINT as
    # ignored (xdist), and an ignored signal stays ignored through exec — so give the
    # tour's shell the default disposition an editor's shell has.
    shell = subprocess.Popen(["bash", "-c", "\n".join(script)], cwd=clone, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    watchdog = threading.Timer(1200, shell.kill)  # a preview that never serves must not hang
    watchdog.start()
    output, steps, status, preview = [], {}, {}, None
    step = None
    try:
        for line in shell.stdout:
            output.append(line)
            if line.startswith("::step "):
                step = int(line.split()[1])
                continue
            if line.startswith("::status "):
                _tag, number, code = line.split()
                status[int(number)] = int(code)
                continue
            steps.setdefault(step, []).append(line)
            served = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if served and preview is None:
                page = written_page(steps[new])
                url = f"{served.group(0)}{page.removeprefix('content/').removesuffix('.md')}/"
                with urllib.request.urlopen(url, timeout=60) as response:
                    preview = response.read().decode("utf-8")
                for child in children(shell.pid):  # the editor presses Ctrl+C
                    os.kill(child, signal.SIGINT)
        shell.wait()
    finally:
        watchdog.cancel()
        if shell.poll() is None:  # a failed step: leave no preview server behind
            for child in children(shell.pid):
                os.kill(child, signal.SIGKILL)
            shell.kill()
            shell.wait()
    text = "".join(output)
    assert set(status) == set(range(len(lines))), text  # every line ran
    assert status[0] == 0 and status[new] == 0 and status[edit] == 0, text
    page = written_page(steps[new])
    assert re.fullmatch(r"content/notices/\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.md", page)
    assert any("下一步：govpub check " + page in s for s in steps[new]), steps[new]
    written = (clone / page).read_text(encoding="utf-8")
    assert MARKER not in written and "title: 关于调整专利收费标准的通知" in written
    findings = [s for s in steps[check] if re.match(r"content/\S+:\d+:\d+: GP\d{3} ", s)]
    assert status[check] == 1 and findings, text  # not signed off yet: the reviewers' part
    assert {re.search(r"GP\d{3}", f).group() for f in findings
            if " info: " not in f and " 信息：" not in f} == {"GP201"}, findings
    assert status[serve] == 0 and preview is not None, text
    assert "关于调整专利收费标准的通知" in preview and "未经审核" in preview
    assert status[push] == 0, text
    pushed = subprocess.run(["git", "show", f"fee-notice:{page}"], cwd=tmp_path / "origin.git",
                            capture_output=True, text=True, check=True).stdout
    assert pushed == written


def test_the_editors_handbook_shows_the_same_tour():
    handbook = (REPO / "docs" / "zh" / "编辑手册.md").read_text(encoding="utf-8")
    block = handbook.split("## 三、一次完整的操作", 1)[1].split("```sh\n", 1)[1].split("```")[0]
    def commands(lines):  # the same commands; the comments are in the reader's language
        return [re.sub(r"\s+#.*$", "", line) for line in lines if line.strip()]

    assert commands(block.splitlines()) == commands(editor_tour())
