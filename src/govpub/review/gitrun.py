"""Running git for the review checks: one small, strict wrapper around ``subprocess``.

Everything the review module learns from git goes through :class:`GitRepo`,
which knows where the site root sits inside the work tree (a site may live
in a subfolder of a larger repository) and turns git's failures into
:class:`~govpub.errors.GovpubError` lines instead of tracebacks. Output is
read with ``-z`` wherever git prints paths, so that no file name, however
hostile, can be mistaken for another.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import GovpubError
from ..i18n import _

#: git must never stop to ask anything (pager, credentials, editor)
_ENV = {"GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "GIT_EDITOR": "true",
        "LC_ALL": "C"}


class GitError(GovpubError):
    """git failed or gave an answer we cannot use (exit code 2)."""


def _run(cwd: Path, args: list[str], *, check: bool = True,
         input_bytes: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **_ENV}
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, env=env, input=input_bytes,
                              capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError(_("git is not installed"),
                       hint=_("install git (apt-get install git)")) from None
    if check and proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else _("exit code {code}").format(code=proc.returncode)
        raise GitError(_("git {command} failed: {reason}").format(command=args[0], reason=reason))
    return proc


def find_repo(root: Path) -> GitRepo | None:
    """The git work tree holding ``root``, or None when ``root`` is not in one."""
    proc = _run(root, ["rev-parse", "--show-toplevel"], check=False)
    if proc.returncode != 0:
        return None
    top = Path(proc.stdout.decode("utf-8", "surrogateescape").strip()).resolve()
    return GitRepo(top=top, site_root=Path(root).resolve())


@dataclass(frozen=True)
class GitRepo:
    """A git work tree and the site root inside it."""

    top: Path
    site_root: Path

    @cached_property
    def prefix(self) -> str:
        """The site root relative to the top of the work tree, '' or ending in '/'."""
        rel = self.site_root.relative_to(self.top).as_posix()
        return "" if rel == "." else rel + "/"

    def to_git(self, site_path: str) -> str:
        """A path relative to the site root, as git names it (relative to the top)."""
        return self.prefix + site_path

    def from_git(self, git_path: str) -> str | None:
        """A git path relative to the site root; None when it lies outside the site."""
        if self.prefix and not git_path.startswith(self.prefix):
            return None
        return git_path[len(self.prefix):]

    def run(self, *args: str, check: bool = True, input_bytes: bytes | None = None) -> bytes:
        return _run(self.top, list(args), check=check, input_bytes=input_bytes).stdout

    def text(self, *args: str) -> str:
        return self.run(*args).decode("utf-8", "surrogateescape")

    def ok(self, *args: str) -> bool:
        return _run(self.top, list(args), check=False).returncode == 0

    # -- questions the review checks ask -------------------------------------------------

    def is_shallow(self) -> bool:
        return self.text("rev-parse", "--is-shallow-repository").strip() == "true"

    def require_full_history(self) -> None:
        if self.is_shallow():
            raise GitError(
                _("this is a shallow clone: the four-eyes check needs the full git history "
                  "to know who changed each file and who signed it off"),
                hint=_("run `git fetch --unshallow` (in GitHub Actions: actions/checkout with "
                       "fetch-depth: 0; in GitLab CI: GIT_DEPTH: 0)"))

    def resolve_commit(self, ref: str) -> str:
        """The commit id ``ref`` names; a GitError for an unknown or unsafe ref."""
        if not ref or ref.startswith("-") or "\0" in ref:
            raise GitError(_("{ref} is not a git revision").format(ref=repr(ref)),
                           hint=_("give a branch, tag or commit, e.g. origin/main"))
        proc = _run(self.top, ["rev-parse", "--verify", "--quiet", "--end-of-options",
                               ref + "^{commit}"], check=False)
        if proc.returncode != 0:
            raise GitError(_("unknown git revision {ref}").format(ref=repr(ref)),
                           hint=_("fetch it first (git fetch origin) or check the branch name; "
                                  "in CI check out with full history (fetch-depth: 0)"))
        return proc.stdout.decode().strip()

    def has_head(self) -> bool:
        return self.ok("rev-parse", "--verify", "--quiet", "HEAD^{commit}")

    def config(self, key: str) -> str | None:
        proc = _run(self.top, ["config", "--get", key], check=False)
        if proc.returncode != 0:
            return None
        return proc.stdout.decode("utf-8", "replace").strip() or None

    def merge_base(self, a: str, b: str) -> str | None:
        proc = _run(self.top, ["merge-base", a, b], check=False)
        return proc.stdout.decode().strip() or None if proc.returncode == 0 else None

    def show_blob(self, commit: str, git_path: str) -> bytes | None:
        """The bytes of ``git_path`` at ``commit``; None when it does not exist there."""
        proc = _run(self.top, ["cat-file", "blob", f"{commit}:{git_path}"], check=False)
        return proc.stdout if proc.returncode == 0 else None

    def read_blobs(self, blob_ids: list[str]) -> dict[str, bytes]:
        """Many blobs through one ``git cat-file --batch`` process."""
        if not blob_ids:
            return {}
        out = self.run("cat-file", "--batch", input_bytes="".join(
            b + "\n" for b in blob_ids).encode())
        blobs: dict[str, bytes] = {}
        pos = 0
        for blob_id in blob_ids:
            end = out.index(b"\n", pos)
            line = out[pos:end]
            pos = end + 1
            # "<name> missing" echoes the name, which may contain spaces
            header = line.split()
            if line.endswith((b" missing", b" ambiguous")) or len(header) != 3:
                continue
            size = int(header[2])
            blobs[blob_id] = out[pos:pos + size]
            pos += size + 1  # the content is followed by a newline
        return blobs

    def status(self, pathspecs: list[str]):
        """(two-letter status, git path) of every uncommitted or untracked file."""
        out = self.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
                       *pathspecs)
        entries = out.split(b"\0")
        i = 0
        while i < len(entries):
            entry = entries[i]
            i += 1
            if len(entry) < 4:
                continue
            status = entry[:2]
            if status[:1] in (b"R", b"C"):
                i += 1  # the next entry is the source path of the rename
            yield status, entry[3:].decode("utf-8", "surrogateescape")

    def dirty_paths(self, site_paths: list[str]) -> set[str]:
        """Which of these site paths have uncommitted changes (or are untracked)."""
        if not site_paths:
            return set()
        found = (self.from_git(path) for _status, path in
                 self.status([":(literal)" + self.to_git(p) for p in site_paths]))
        return {p for p in found if p is not None}
