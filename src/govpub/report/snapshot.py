"""The repository as it stood at the end of a year: the report's figures are a snapshot.

The annual report counts what the public could see at 31 December 24:00: the
site as committed at that moment. :func:`year_end_commit` finds the last
commit on the current branch's first-parent line (the line the deploy branch
advances along) whose commit time is not after the year's end;
:func:`extract` writes that commit's tree of the site into a temporary folder,
where the ordinary loader and gate read it. Commits made later — a page
added in January and backdated, a fixed typo, a changed site name — do not
move the figures, so regenerating the report gives the same numbers.

A repository whose history starts after the year (a site migrated into git
in January) has no such commit: ``--snapshot REF`` names the commit that
holds the site as it was.
"""

from __future__ import annotations

import io
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import UsageError
from ..i18n import _
from ..review.gitrun import GitRepo, find_repo


@dataclass(frozen=True)
class Snapshot:
    commit: str
    committed: datetime  # the commit's own commit time
    chosen: bool  # named with --snapshot rather than found by date


def _repo(root: Path) -> GitRepo:
    repo = find_repo(root)
    if repo is None or not repo.has_head():
        raise UsageError(
            _("the annual report is computed from the git history, and {root} is not a git "
              "repository with commits").format(root=root),
            hint=_("run it in a clone of the site repository"))
    return repo


def _commit_time(repo: GitRepo, commit: str) -> datetime:
    return datetime.fromisoformat(repo.text("show", "-s", "--format=%cI", commit).strip())


def year_end_commit(root: Path, end: datetime, *, ref: str | None = None) -> Snapshot:
    """The commit holding the site at ``end``: ``ref`` if given, else found by date."""
    repo = _repo(root)
    if ref is not None:
        commit = repo.resolve_commit(ref)
        return Snapshot(commit, _commit_time(repo, commit), chosen=True)
    if repo.is_shallow():
        raise UsageError(_("this is a shallow clone: the annual report needs the history up "
                           "to the end of the year"),
                         hint=_("run `git fetch --unshallow`, or name the commit with "
                                "--snapshot REF"))
    commit = repo.text("rev-list", "-1", "--first-parent",
                       f"--before=@{int(end.timestamp())}", "HEAD").strip()
    if not commit:
        raise UsageError(
            _("the repository has no commit from before {moment}: its history starts after "
              "the year").format(moment=end.isoformat()),
            hint=_("name the commit that holds the site as it was at the end of the year "
                   "with --snapshot REF"))
    return Snapshot(commit, _commit_time(repo, commit), chosen=False)


@contextmanager
def extract(root: Path, snapshot: Snapshot) -> Iterator[Path]:
    """The site root of ``snapshot``'s tree, written to a temporary folder."""
    repo = _repo(root)
    prefix = repo.prefix
    data = repo.run("archive", "--format=tar", snapshot.commit, "--", prefix or ".")
    with tempfile.TemporaryDirectory(prefix="govpub-snapshot-") as folder:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            archive.extractall(folder, filter="data")
        yield Path(folder) / prefix if prefix else Path(folder)


__all__ = ["Snapshot", "extract", "year_end_commit"]
