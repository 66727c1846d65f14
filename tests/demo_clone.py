"""A fresh clone of this repository, as a new editor gets it: for tests that run what users type.

The tracked files of the repository (``git ls-files``, with their working
copies) are committed into a new repository, pushed to a bare ``origin`` and
cloned, so the clone has a remote to push to and nothing from this work tree
that git does not track (no ``site/``, no ``.govpub/``). Its ``.venv`` is a
link to the virtual environment running the tests, so ``.venv/bin/govpub``
works as the README says.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV = Path(sys.executable).parent.parent
EDITOR_EMAIL = "zhao-lei@cnipa.gov.cn"


def git_env(when: str | None = None, email: str = EDITOR_EMAIL, name: str = "赵磊") -> dict:
    env = {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_COMMITTER_NAME": name,
           "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_EMAIL": email,
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    return env


def _git(cwd: Path, *args: str, env: dict | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, env=env or git_env(), capture_output=True,
                          text=True, check=True)
    return proc.stdout


def fresh_clone(tmp: Path, *, when: str | None = None) -> Path:
    """A clone of the repository's tracked files; ``when`` dates its one commit."""
    tracked = _git(REPO, "ls-files", "-z").split("\0")
    source = tmp / "upstream"
    for rel in filter(None, tracked):
        src = REPO / rel
        if not src.is_file() or src.is_symlink():
            continue
        target = source / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    _git(source, "init", "-q", "-b", "main")
    _git(source, "add", "-A")
    _git(source, "commit", "-q", "-m", "the site", env=git_env(when))
    origin = tmp / "origin.git"
    _git(tmp, "clone", "-q", "--bare", str(source), str(origin))
    clone = tmp / "clone"
    _git(tmp, "clone", "-q", str(origin), str(clone))
    _git(clone, "config", "user.email", EDITOR_EMAIL)
    _git(clone, "config", "user.name", "赵磊")
    (clone / ".venv").symlink_to(VENV, target_is_directory=True)
    # .gitignore's ".venv/" matches a folder, not this link to one
    with open(clone / ".git" / "info" / "exclude", "a", encoding="utf-8") as exclude:
        exclude.write("/.venv\n")
    return clone
