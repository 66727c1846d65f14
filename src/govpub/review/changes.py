"""What changed in a file since its approved version, in the reader's terms, and who
changed what in which commit.

``review diff`` prints it; the review desk shows it. The old version is the
previously approved one (:func:`govpub.review.history.content_authorship`),
the new one the file's current bytes — what an approval would bind to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path

from ..config import CONTENT_DIR, Policy
from ..digest import digest_for
from ..i18n import _
from .gitrun import GitRepo
from .history import Authorship, Change, content_authorship
from .readertext import FIELD, PAGE, ReaderText, Section, reader_text
from .textdiff import Hunk, diff_text, pair_similar

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class SectionChange:
    """One section that differs: added, removed, or changed (with hunks)."""

    status: str
    new: Section | None
    old: Section | None
    hunks: tuple[Hunk, ...] = ()

    @property
    def section(self) -> Section:
        return self.new or self.old  # type: ignore[return-value]

    def label(self) -> str:
        label = self.section.label()
        if self.new and self.old and self.new.kind == PAGE and self.new.name != self.old.name:
            label += _(" (was page {number})").format(number=self.old.name)
        return label


def compare(old: ReaderText, new: ReaderText) -> list[SectionChange]:
    """The sections that differ, in the order of the new version (removed ones where
    they stood). Named sections pair by name; PDF pages pair by their text, so an
    inserted page shows as one added page, not every later page changed."""
    olds, news = old.sections, new.sections
    paired_old: dict[int, int] = {}  # new index -> old index
    old_by_key: dict[tuple, list[int]] = {}
    for i, s in enumerate(olds):
        if s.kind != PAGE:
            old_by_key.setdefault(s.key, []).append(i)
    for j, s in enumerate(news):
        if s.kind != PAGE and old_by_key.get(s.key):
            paired_old[j] = old_by_key[s.key].pop(0)
    old_pages = [i for i, s in enumerate(olds) if s.kind == PAGE]
    new_pages = [j for j, s in enumerate(news) if s.kind == PAGE]
    matcher = SequenceMatcher(None, [olds[i].text for i in old_pages],
                              [news[j].text for j in new_pages], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for oi, nj in zip(range(i1, i2), range(j1, j2), strict=True):
                paired_old[new_pages[nj]] = old_pages[oi]
        elif tag == "replace":
            for oi, nj in pair_similar([olds[old_pages[i]].text for i in range(i1, i2)],
                                        [news[new_pages[j]].text for j in range(j1, j2)]):
                paired_old[new_pages[j1 + nj]] = old_pages[i1 + oi]
    used = set(paired_old.values())
    out: list[SectionChange] = []
    next_old = 0
    for j, s in enumerate(news):
        if j in paired_old:
            i = paired_old[j]
            # removed sections that stood before this one are listed here
            for k in range(next_old, i):
                if k not in used:
                    out.append(SectionChange(REMOVED, None, olds[k]))
                    used.add(k)
            next_old = max(next_old, i + 1)
            before = olds[i]
            if before.text != s.text:
                out.append(SectionChange(CHANGED, s, before,
                                         tuple(diff_text(before.text, s.text))))
        else:
            out.append(SectionChange(ADDED, s, None))
    for k in range(len(olds)):
        if k not in used:
            out.append(SectionChange(REMOVED, None, olds[k]))
    return out


# -- who changed what ------------------------------------------------------------------------


@dataclass
class CommitChange:
    """One commit since the approved version: who made it, and which sections it changed."""

    commit: str
    author: str
    when: datetime
    subject: str
    sections: list[str]
    created: bool = False  # the commit added the file
    renamed_from: str = ""  # the file's path (under content/) before this commit

    def summary(self) -> str:
        """What the commit did to the file, in a few words."""
        what = []
        if self.created:
            what.append(_("created the file"))
        if self.renamed_from:
            what.append(_("renamed from {path}").format(path=self.renamed_from))
        if self.sections:
            what.append(_("changed: {sections}").format(sections=_("; ").join(self.sections)))
        return _("; ").join(what)


@dataclass
class FileChanges:
    """Everything a reviewer needs about one file's change since approval."""

    content_path: str
    digest: str
    new_bytes: bytes
    old_bytes: bytes | None
    authorship: Authorship | None
    new_text: ReaderText
    old_text: ReaderText | None
    changes: list[SectionChange]
    commits: list[CommitChange] = field(default_factory=list)
    uncommitted: bool = False

    @property
    def is_new(self) -> bool:
        """No approved version to compare with: the whole file is to be read."""
        return self.old_bytes is None

    @property
    def title(self) -> str:
        """The page's title as it will be published ('' for an attachment)."""
        return next((s.text for s in self.new_text.sections
                     if s.kind == FIELD and s.name == "title"), "")

    @property
    def approved_commit(self) -> str | None:
        return self.authorship.approved_commit if self.authorship else None

    @property
    def hidden_change(self) -> bool:
        """The bytes changed but nothing a reader sees did (markup, spacing): the
        source diff (``--source``) shows it."""
        return (not self.is_new and not self.changes
                and digest_for(self.content_path, self.old_bytes or b"") != self.digest)


#: commits whose sections are listed one by one; older ones are only named
MAX_ATTRIBUTED_COMMITS = 50


def _subjects(repo: GitRepo, commits: list[str]) -> dict[str, str]:
    if not commits:
        return {}
    out = repo.run("log", "--no-walk=unsorted", "--format=%H%x00%s%x1e", *commits, "--")
    subjects = {}
    for record in out.decode("utf-8", "replace").split("\x1e"):
        parts = record.strip("\n").split("\0")
        if len(parts) == 2:
            subjects[parts[0]] = parts[1]
    return subjects


def attribute(repo: GitRepo, root: Path, content_path: str,
              changes: list[Change], tz) -> list[CommitChange]:
    """Oldest first: each commit, its author, and the sections its change touched."""
    changes = list(reversed(changes))  # authorship lists newest first
    first_attributed = max(0, len(changes) - MAX_ATTRIBUTED_COMMITS)
    recent = changes[first_attributed:]
    blobs = repo.read_blobs(sorted({b for c in recent for b in (c.blob, c.old_blob) if b}))
    subjects = _subjects(repo, [c.commit for c in changes])
    texts: dict[str, ReaderText] = {}

    def text_of(blob: str) -> ReaderText:
        if blob not in texts:
            texts[blob] = reader_text(root, content_path, blobs.get(blob) if blob else None)
        return texts[blob]

    out = []
    for index, change in enumerate(changes):
        sections: list[str] = []
        created = not change.old_blob
        if index >= first_attributed and not created:
            before = text_of(change.old_blob)
            after = text_of(change.blob)
            sections = [c.label() for c in compare(before, after)]
        renamed = change.old_git_path if change.old_git_path != change.git_path else ""
        out.append(CommitChange(
            commit=change.commit, author=f"{change.author_name} <{change.author_email}>",
            when=datetime.fromtimestamp(change.timestamp, tz),
            subject=subjects.get(change.commit, ""), sections=sections, created=created,
            renamed_from=repo.from_git(renamed) or renamed if renamed else ""))
    return out


def file_changes(policy: Policy, repo: GitRepo | None, content_path: str) -> FileChanges:
    """The change a reviewer is asked to approve in ``content/<content_path>``."""
    from .workflow import approved_bytes

    new_bytes = (policy.content_dir / content_path).read_bytes()
    digest = digest_for(content_path, new_bytes)
    authorship = None
    old_bytes = None
    uncommitted = False
    commits: list[CommitChange] = []
    if repo is not None and repo.has_head():
        authorship = content_authorship(repo, policy, content_path, base=None)
        old_bytes = approved_bytes(repo, authorship)
        commits = attribute(repo, policy.root, content_path, authorship.changes,
                            policy.timezone)
        uncommitted = bool(repo.dirty_paths([f"{CONTENT_DIR}/{content_path}"]))
    new_text = reader_text(policy.root, content_path, new_bytes)
    old_text = reader_text(policy.root, content_path, old_bytes) if old_bytes is not None \
        else None
    changes = compare(old_text, new_text) if old_text is not None else []
    return FileChanges(content_path, digest, new_bytes, old_bytes, authorship, new_text,
                       old_text, changes, commits, uncommitted)


__all__ = ["ADDED", "CHANGED", "REMOVED", "CommitChange", "FileChanges", "SectionChange",
           "attribute", "compare", "file_changes"]
