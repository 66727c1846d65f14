"""What git history says about a change: which files changed, who changed them,
and which commit added each sign-off.

Everything here reads bounded slices of history, so that a pull-request
check costs the size of the pull request, not the size of the repository:

* ``git diff --name-only REF...HEAD`` for the files changed in the range;
* one ``git log --raw REF..HEAD -- review/`` for the commits that touched
  the changed sign-off records, and one ``git cat-file --batch`` for every
  version of them;
* per changed record, the content file's own changes in the range
  (renames followed) and its version at the merge base.

Only when the approved version is not where the record says it stood does
a walk go further back, through that one file's history.

**The previously approved version** of a file, precisely: take the newest
version of its sign-off record, before the range (the record at the merge
base of REF and HEAD for a pull request; for the ``govpub review`` commands,
the record's committed history, renames followed, in topological order),
that was *fully* approved — at least the required number of distinct known
reviewers decided ``public`` and nobody decided ``not-public`` — for a
digest *other than the file's current one* (adding a sign-off to an approved
version still requires that the reviewer did not author that version).

**Authorship is a property of the commit graph.** The approval stood at a
commit: the merge base, or the commit that wrote the approving record. When
the file there has the approved digest, that commit is the cut; otherwise
the newest commit of its own history whose version has the digest is. The
*changes since approval* are every commit reachable from HEAD and not from
the cut that changed the file (``git log --full-history CUT..HEAD -- path``,
renames followed, every side of every merge). A version restored later —
in the very changes under review — is never a cut, and commit dates play no
part. Their authors and committers are the *authors of the change*. Without
an approved version, every commit in the file's history counts.

A merge commit counts as a change by its author only where the merge
itself changed the file beyond what any parent had (git's combined diff: a
conflict resolution or an "evil merge"); the changes a merge brings in are
attributed to the commits that made them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Policy
from ..digest import digest_for
from ..yamlstrict import parse_yaml
from .gitrun import GitRepo
from .subjects import Subject, content_subject


@dataclass(frozen=True)
class Change:
    """One commit's change to one file, as ``git log --raw`` reports it."""

    commit: str
    author_email: str
    author_name: str
    committer_email: str
    timestamp: int
    status: str  # A M R C D T
    blob: str  # the file's blob after the commit ('' when deleted)
    git_path: str  # the file's path after the commit
    old_blob: str = ""  # the blob before the commit ('' when added)
    old_git_path: str = ""  # the path before the commit (differs for a rename)
    parent_blobs: tuple[str, ...] = ()  # for a merge: the file's blob in every parent

    @property
    def emails(self) -> set[str]:
        return {self.author_email.lower(), self.committer_email.lower()}


@dataclass
class Authorship:
    """Who changed a content file since its previously approved version."""

    changes: list[Change] = field(default_factory=list)  # newest first
    approved_commit: str | None = None  # the previously approved version, if found
    approved_git_path: str | None = None

    @property
    def emails(self) -> set[str]:
        out: set[str] = set()
        for change in self.changes:
            out |= change.emails
        return out

    @property
    def names(self) -> list[str]:
        seen: dict[str, None] = {}
        for change in self.changes:
            seen.setdefault(f"{change.author_name} <{change.author_email}>", None)
        return list(seen)


# -- files changed in a range ----------------------------------------------------------------


@dataclass
class ChangedPaths:
    """Site paths changed between a commit and the work tree."""

    present: list[str]  # added, modified or type-changed: there is something to check
    deleted: list[str]


def changed_paths(repo: GitRepo, base: str) -> ChangedPaths:
    """Every site path that differs between ``base`` and the work tree: the branch's
    commits, uncommitted changes and untracked files (not ignored ones).

    Renames are reported as a deletion and an addition.
    """
    scope = ":(literal)" + (repo.prefix or ".")
    out = repo.run("diff", "--name-status", "-z", "--no-renames", base, "--", scope)
    tokens = out.decode("utf-8", "surrogateescape").split("\0")
    present: set[str] = set()
    deleted: set[str] = set()
    for status, path in zip(tokens[0::2], tokens[1::2], strict=False):
        site_path = repo.from_git(path)
        if site_path is not None and status:
            (deleted if status.startswith("D") else present).add(site_path)
    untracked = repo.run("ls-files", "--others", "--exclude-standard", "-z", "--", scope)
    for path in untracked.decode("utf-8", "surrogateescape").split("\0"):
        site_path = repo.from_git(path) if path else None
        if site_path is not None:
            present.add(site_path)
    return ChangedPaths(sorted(present), sorted(deleted - present))


LOG_FORMAT = "--format=%x01%H%x00%ae%x00%an%x00%ce%x00%ct"


def range_changes(repo: GitRepo, ref: str, site_dir: str) -> list[Change]:
    """Every change in REF..HEAD to a file under ``site_dir``, oldest first, one git run.

    Renames are not followed: a sign-off record moved in the range counts as
    written by the commit that moved it.
    """
    return list(reversed(_parse_log(repo.run(
        "log", LOG_FORMAT, "--topo-order", "--full-history", "--raw", "-c", "--no-abbrev",
        "--no-renames", "-z", f"{ref}..HEAD", "--", ":(literal)" + repo.to_git(site_dir)))))


def file_history(repo: GitRepo, site_path: str, limit: int | None = None,
                 since: str | None = None, start: str = "HEAD") -> list[Change]:
    """The commits that changed one file in ``start``'s history (only those in
    ``since..start`` when ``since`` is given), newest first in topological order
    (in git's default order when only the ``limit`` newest are asked for), every
    side of every merge included, following renames.

    ``--full-history``: by default ``git log -- path`` follows only one parent of
    a merge whose result equals that parent's file, and so hides the commits of
    the other side — a reviewer's edit on a branch merged with ``-s ours`` would
    not be anyone's change. ``--topo-order``: a commit date says nothing about the
    order of commits (dates are whatever the committer set).

    Renames are followed by hand rather than with ``git log --follow`` (which
    cannot be combined with a full history): where the walk reaches a commit that
    added the path, one ``git diff-tree -M`` of that commit tells whether it was
    a rename, and the walk continues under the old name from its parent(s).
    """
    pending = [(repo.to_git(site_path), start)]
    walked: set[tuple[str, str]] = set()
    out: list[Change] = []
    for _hop in range(1000):  # a bound on rename chains, against pathological histories
        if not pending or (limit and len(out) >= limit):
            break
        git_path, tip = pending.pop(0)
        if (git_path, tip) in walked:
            continue
        walked.add((git_path, tip))
        extra = [f"--max-count={limit - len(out)}"] if limit else []
        # topological order costs a walk of all history before the first answer (unless a
        # commit-graph exists): a walk cut short by `limit` takes git's own order instead
        order = [] if limit and not since else ["--topo-order"]
        revs = [tip, f"^{since}"] if since else [tip]
        changes = _parse_log(repo.run(
            "log", LOG_FORMAT, *order, "--full-history", "--raw", "-c", "--no-abbrev",
            "--no-renames", "-z", *extra, *revs, "--", ":(literal)" + git_path))
        for index, change in enumerate(changes):
            if change.status != "A" or change.parent_blobs:
                continue
            old_path = _renamed_from(repo, change.commit, git_path)
            if old_path is None:
                continue
            changes[index] = Change(**{**change.__dict__, "status": "R",
                                       "old_git_path": old_path})
            pending.append((old_path, change.commit + "^"))
        out.extend(changes)
    return out[:limit] if limit else out


def _renamed_from(repo: GitRepo, commit: str, git_path: str) -> str | None:
    """The path ``git_path`` was renamed (or copied) from in ``commit``, if it was."""
    out = repo.run("diff-tree", "-r", "-M", "--raw", "--no-abbrev", "-z", "--no-commit-id",
                   commit, check=True).decode("utf-8", "surrogateescape").split("\0")
    i = 0
    while i < len(out):
        token = out[i]
        i += 1
        if not token.startswith(":"):
            continue
        status = token.split()[-1][:1]
        if status in ("R", "C"):
            old, new = out[i], out[i + 1]
            i += 2
            if new == git_path:
                return old
        else:
            i += 1
    return None


def _blob(sha: str) -> str:
    return "" if not sha or set(sha) == {"0"} else sha


def _parse_log(out: bytes) -> list[Change]:
    """``git log --raw -z`` output: one Change per file per commit (merges show none)."""
    changes = []
    for chunk in out.split(b"\x01")[1:]:
        parts = chunk.decode("utf-8", "surrogateescape").split("\0")
        if len(parts) < 5:
            continue
        commit, author_email, author_name, committer_email, timestamp = parts[:5]
        tokens = [p.lstrip("\n") for p in parts[5:]]
        tokens = [p for p in tokens if p]
        i = 0
        while i < len(tokens):
            token = tokens[i]
            i += 1
            if token.startswith("::"):
                # a merge commit's combined diff (-c): the merge itself changed the file
                # beyond what any parent had (a conflict resolution or an "evil merge")
                meta = token.lstrip(":").split()
                parents = (len(meta) - 1) // 2 - 1
                if parents < 1 or i >= len(tokens):
                    continue
                shas = meta[parents + 1:2 * parents + 2]
                status = "D" if "D" in meta[-1] else "M"
                path = tokens[i]
                i += 1
                changes.append(Change(
                    commit=commit, author_email=author_email, author_name=author_name,
                    committer_email=committer_email, timestamp=int(timestamp or 0),
                    status=status, blob="" if status == "D" else _blob(shas[-1]),
                    git_path=path, old_blob=_blob(shas[0]), old_git_path=path,
                    parent_blobs=tuple(_blob(b) for b in shas[:-1])))
                continue
            meta = token[1:].split() if token.startswith(":") else []
            if len(meta) < 5:
                continue
            status = meta[4][:1]
            count = 2 if status in ("R", "C") else 1
            paths = tokens[i:i + count]
            i += count
            if not paths:
                continue
            changes.append(Change(
                commit=commit, author_email=author_email, author_name=author_name,
                committer_email=committer_email, timestamp=int(timestamp or 0), status=status,
                blob="" if status == "D" else _blob(meta[3]), git_path=paths[-1],
                old_blob=_blob(meta[2]), old_git_path=paths[0]))
    return changes


# -- the previously approved version ---------------------------------------------------------


def parse_record_bytes(blob: bytes | None) -> dict | None:
    """A record's YAML as a dict, or None when it is absent or unreadable.

    The sign-off rules report malformed records; here an unreadable record
    simply approves nothing.
    """
    if blob is None:
        return None
    try:
        text = blob.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None
    result = parse_yaml(text)
    if result.problems or not isinstance(result.data, dict):
        return None
    return result.data


def public_reviewers(policy: Policy, record: dict | None, subject: Subject | None = None,
                     digest: str | None = None) -> set[str]:
    """Known reviewers (who may sign ``subject``) with a ``public`` sign-off in ``record``
    (for ``digest``, if given)."""
    if not record or (digest is not None and record.get("digest") != digest):
        return set()
    signoffs = record.get("signoffs")
    if not isinstance(signoffs, list):
        return set()
    return {s.get("reviewer") for s in signoffs
            if isinstance(s, dict) and s.get("decision") == "public"
            and s.get("reviewer") in policy.reviewers
            and (subject is None or subject.may_sign(s.get("reviewer")))}


def approved_digest(policy: Policy, record: dict | None, subject: Subject,
                    stored_for: str | None = None) -> str | None:
    """The record's digest when the record fully approves ``subject``, else None.

    Fully approved, as the sign-off rules say: enough distinct known reviewers
    (who may sign it) decided ``public`` and nobody decided ``not-public`` —
    and the record names the file it was stored for (``stored_for``, by default
    the subject's path; an older version of a renamed record names the old one).
    """
    if not record or not isinstance(record.get("digest"), str):
        return None
    if record.get("content") != (stored_for or subject.path):
        return None  # a record copied from another file approves nothing
    signoffs = record.get("signoffs") if isinstance(record.get("signoffs"), list) else []
    if any(isinstance(s, dict) and s.get("decision") != "public" for s in signoffs):
        return None
    if len(public_reviewers(policy, record, subject)) >= subject.levels:
        return record["digest"]
    return None


#: how many recent versions of a sign-off record to read first; the previous approval
#: is nearly always among them, and ``git log --max-count`` then stops early
RECENT = 8


def content_authorship(repo: GitRepo, policy: Policy, content_path: str,
                       base: str | None, *, in_range: set[str] | None = None,
                       base_record: dict | None = None) -> Authorship:
    """Authors of a content file's changes since its previously approved version
    (see :func:`signed_authorship`)."""
    return signed_authorship(repo, policy, content_subject(policy, content_path), base,
                             in_range=in_range, base_record=base_record)


def current_digest(policy: Policy, subject: Subject) -> str | None:
    """The digest of the file as it is in the work tree (None when it is not a file)."""
    file = policy.root / subject.site_path
    if file.is_symlink() or not file.is_file():
        return None
    return digest_for(subject.path, file.read_bytes())


def signed_authorship(repo: GitRepo, policy: Policy, subject: Subject, base: str | None, *,
                      in_range: set[str] | None = None,
                      base_record: dict | None = None) -> Authorship:
    """Authors of a signed file's changes since its previously approved version.

    ``base`` is the merge base of a pull request: the record's versions made
    in the range are not evidence of an earlier approval (``in_range``, the
    commits of ``base..HEAD``, and ``base_record``, the record as it was at
    ``base``, may be passed in when known). None (the ``govpub review``
    commands) reads the record's committed history.
    """
    digest, anchor = previous_approved_digest(repo, policy, subject,
                                              current_digest(policy, subject), base,
                                              in_range=in_range, base_record=base_record)
    return authorship_since_approval(repo, subject.site_path, digest, anchor)


def authorship_since_approval(repo: GitRepo, site_path: str, digest: str | None,
                              anchor: str | None) -> Authorship:
    """Every change to ``site_path`` reachable from HEAD and not from the commit where
    the version with ``digest`` was approved (see the module's docstring).

    ``anchor`` is a commit where that approval stood (the merge base of a pull
    request, or the commit that wrote the approving record). When the file
    there is the approved version, the anchor is the cut. Otherwise the newest
    commit in the anchor's own history whose version has the digest is — never
    a commit after the anchor: a version restored later, in the very changes
    under review, is not an approval. Without either, every change counts.
    """
    if digest is None or anchor is None:
        return Authorship(changes=file_history(repo, site_path))
    anchor_commit = repo.text("rev-parse", "--verify", "--end-of-options",
                              anchor + "^{commit}").strip()
    since_anchor = file_history(repo, site_path, since=anchor_commit)
    names = [repo.to_git(site_path), *(c.old_git_path for c in since_anchor
                                       if c.old_git_path and c.status == "R")]
    for name in dict.fromkeys(names):
        data = repo.show_blob(anchor_commit, name)
        if data is not None and digest_for(name, data) == digest:
            return Authorship(changes=since_anchor, approved_commit=anchor_commit,
                              approved_git_path=name)
    after_anchor = set(repo.text("rev-list", f"{anchor_commit}..HEAD").split())
    before = [c for c in file_history(repo, site_path)
              if c.blob and c.commit not in after_anchor]
    blobs = repo.read_blobs([c.blob for c in before])
    for change in before:
        data = blobs.get(change.blob)
        if data is not None and digest_for(change.git_path, data) == digest:
            return Authorship(changes=file_history(repo, site_path, since=change.commit),
                              approved_commit=change.commit,
                              approved_git_path=change.git_path)
    return Authorship(changes=file_history(repo, site_path))


def previous_approved_digest(repo: GitRepo, policy: Policy, subject: Subject,
                             current: str | None, base: str | None, *,
                             in_range: set[str] | None = None,
                             base_record: dict | None = None
                             ) -> tuple[str | None, str | None]:
    """The digest of the newest fully approved version *before* the current one, and a
    commit where that approval stood.

    Read from the sign-off record as it was at ``base`` (a pull request's merge
    base), then from its committed history (renames followed), newest first;
    versions of the record written in the range ``base..HEAD`` are skipped — and
    so are the record in the work tree and an approval of the current digest
    itself: a reviewer adding a sign-off to an approved version must not have
    authored that version either.

    Which of several earlier approvals is taken does not weaken the check: each
    one approved the bytes at its own commit, so cutting there counts every
    later change; an older one only counts more.
    """
    if base is not None:
        digest = approved_digest(policy, base_record, subject)
        if digest is not None and digest != current:
            return digest, base  # the common case: an edit of an approved page
        if in_range is None:
            in_range = set(repo.text("rev-list", f"{base}..HEAD").split())
    record_site_path = subject.record_site_path
    recent = file_history(repo, record_site_path, limit=RECENT)
    histories = [recent] if len(recent) < RECENT else [recent, None]
    for history in histories:
        if history is None:
            history = file_history(repo, record_site_path)[len(recent):]
        usable = [c for c in history if c.commit not in (in_range or set()) and c.blob]
        blobs = repo.read_blobs([c.blob for c in usable])
        for change in usable:
            stored_for = _stored_for(repo, subject, change.git_path)
            digest = approved_digest(policy, parse_record_bytes(blobs.get(change.blob)),
                                     subject, stored_for)
            if digest is not None and digest != current:
                return digest, change.commit
    return None, None


def _stored_for(repo: GitRepo, subject: Subject, record_git_path: str) -> str:
    """The file a version of ``subject``'s record at ``record_git_path`` stood for."""
    site_path = repo.from_git(record_git_path) or ""
    prefix = subject.record_site_path[:len(subject.record_site_path)
                                      - len(subject.path) - len(".yml")]
    if site_path.startswith(prefix) and site_path.endswith(".yml"):
        return site_path[len(prefix):-len(".yml")]
    return subject.path


def verify_changes(policy: Policy, ref: str):
    """The pull-request check's history part: see
    :func:`govpub.review.pull_request.verify_changes`."""
    from .pull_request import verify_changes as _verify

    return _verify(policy, ref)


__all__ = [
    "Authorship",
    "Change",
    "ChangedPaths",
    "approved_digest",
    "authorship_since_approval",
    "changed_paths",
    "content_authorship",
    "current_digest",
    "file_history",
    "parse_record_bytes",
    "previous_approved_digest",
    "public_reviewers",
    "signed_authorship",
    "verify_changes",
]
