"""The reviewer's commands, minus the terminal: who is reviewing, what awaits
review, what changed since the approved version, and may this reviewer
approve it.

``govpub.cli.review`` prints what these functions decide.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..atomic import write_atomic
from ..config import CONTENT_DIR, Policy, Reviewer
from ..content import load_corpus
from ..digest import digest_for, is_text_file
from ..errors import BlockedError, GovpubError, UsageError
from ..findings import Finding
from ..i18n import _
from ..safepath import UnsafePathError, resolve_inside
from .approval import ApprovalState, evaluate
from .gitrun import GitError, GitRepo, find_repo
from .history import Authorship, content_authorship, signed_authorship
from .identity import describe, people_of
from .records import read_regular
from .subjects import POLICY_PATHS, Subject, is_policy_path, policy_subject

# -- who is reviewing ------------------------------------------------------------------------


def reviewer_identity(policy: Policy, repo: GitRepo | None, requested: str | None) -> Reviewer:
    """The reviewer running the command.

    In a git repository the identity is ``git config user.email`` mapped
    through reviewers.yml; ``--reviewer`` may only repeat it. Outside git
    (a demo or the first bootstrap of a site) ``--reviewer`` names the reviewer.
    """
    if repo is None:
        if not requested:
            raise UsageError(_("not in a git repository, so your identity is unknown"),
                             hint=_("say who you are with --reviewer ID (an id from "
                                    "site_config/reviewers.yml)"))
        reviewer = policy.reviewers.get(requested)
        if reviewer is None:
            raise UsageError(_("--reviewer {reviewer} is not in site_config/reviewers.yml")
                             .format(reviewer=repr(requested)),
                             hint=_("ids: {ids}").format(ids=", ".join(sorted(policy.reviewers))))
        return reviewer
    email = repo.config("user.email")
    if not email:
        raise UsageError(_("git has no user.email, so your identity is unknown"),
                         hint=_("run git config user.email <your address in "
                                "site_config/reviewers.yml>"))
    reviewer = policy.reviewer_for_email(email)
    if reviewer is None:
        raise UsageError(_("your git identity {email} is not a reviewer in "
                           "site_config/reviewers.yml").format(email=email),
                         hint=_("only listed reviewers can sign off; the General Office "
                                "adds reviewers"))
    if requested and requested != reviewer.id:
        raise UsageError(_("--reviewer {requested} does not match your git identity {email} "
                           "({reviewer})").format(requested=requested, email=email,
                                                  reviewer=reviewer.id),
                         hint=_("reviewers sign off as themselves; drop --reviewer"))
    return reviewer


# -- what is being approved ------------------------------------------------------------------


@dataclass
class Candidate:
    """One file a reviewer is about to decide on, and what changed in it."""

    content_path: str  # for a policy file: its path from the site root
    digest: str
    summary: str
    authorship: Authorship | None = None
    refusal: str | None = None
    subject: Subject | None = None  # a policy file's terms of sign-off (None: content)
    data: bytes = b""  # the bytes shown (the sign-off reads them again: a change is refused)
    findings: list[Finding] = field(default_factory=list)  # blocking findings that refuse it

    @property
    def site_path(self) -> str:
        return self.subject.site_path if self.subject else f"{CONTENT_DIR}/{self.content_path}"


def locate(policy: Policy, raw: str) -> Path:
    """A user-given path, tried relative to the working folder, the site root and
    ``content/``; the first that exists inside ``content/`` wins.

    Symbolic links are never followed: a path through a link (or to one) is
    refused, whatever it points to — a link planted in the tree must not make a
    reviewer sign the bytes of a file outside it, or of another file than named.
    """
    content_dir = Path(os.path.abspath(policy.content_dir))
    if policy.content_dir.is_symlink():
        raise UsageError(_("content/ is a symbolic link; nothing under it can be approved"),
                         hint=_("replace the link with the folder itself"))
    given = Path(raw)
    tries = [given] if given.is_absolute() else [Path.cwd() / given, policy.root / given,
                                                 policy.content_dir / given]
    for candidate in tries:
        normalized = Path(os.path.normpath(os.path.abspath(candidate)))
        if not normalized.is_relative_to(content_dir):
            continue
        rel = normalized.relative_to(content_dir).as_posix()
        if rel == ".":
            return content_dir
        try:
            target = resolve_inside(content_dir, rel)
        except UnsafePathError as exc:
            raise UsageError(f"{raw}: {exc.message}",
                             hint=_("approve the file itself, not a link to it")) from None
        if target.exists():
            return target
    raise UsageError(_("{path} is not a file or folder under content/").format(path=raw),
                     hint=_("give the path of a page, attachment or folder in content/"))


def expand_paths(policy: Policy, given: list[str]) -> list[str]:
    """Content paths for the user's PATH arguments; a folder stands for its files that
    await review (so ``approve content/notices/`` is a reviewed bulk approval)."""
    from .records import content_path_of

    out: dict[str, None] = {}
    states = None
    for raw in given:
        found = locate(policy, raw)
        if found.is_dir():
            prefix = found.relative_to(policy.content_dir.resolve()).as_posix()
            prefix = "" if prefix == "." else prefix + "/"
            states = states if states is not None else awaiting_states(policy)
            for path in sorted(states):
                if path.startswith(prefix):
                    out.setdefault(path, None)
            continue
        out.setdefault(found.relative_to(os.path.abspath(policy.content_dir)).as_posix()
                       if found.is_file() else content_path_of(policy, str(found)), None)
    if not out:
        raise UsageError(_("nothing to review in {paths}").format(paths=", ".join(given)),
                         hint=_("`govpub review status` lists what awaits review"))
    return list(out)


def policy_arguments(policy: Policy, given: list[str]) -> tuple[list[str], list[Subject]]:
    """Split the user's PATH arguments into content paths and policy files.

    A policy path is named from the site root (``site_config/links.yml``,
    ``mkdocs.yml``, ``hooks/``); a folder stands for its files whose sign-off is
    not current; a policy file that git knows but the work tree no longer has
    is its deletion.
    """
    content: list[str] = []
    subjects: dict[str, Subject] = {}
    root = policy.root.resolve()
    for raw in given:
        candidate = Path(raw) if Path(raw).is_absolute() else Path.cwd() / raw
        site_path = _site_path_of(root, candidate) or _site_path_of(root, policy.root / raw)
        if site_path is None or not (is_policy_path(site_path) or is_policy_path(site_path + "/")):
            content.append(raw)
            continue
        for path in _policy_files(policy, site_path):
            subjects.setdefault(path, policy_subject(policy, path))
    return content, list(subjects.values())


def _site_path_of(root: Path, candidate: Path) -> str | None:
    """``candidate`` relative to the site root, without following any link."""
    absolute = Path(os.path.normpath(candidate))
    if not absolute.is_relative_to(root):
        return None
    rel = absolute.relative_to(root).as_posix()
    return None if rel in ("", ".") else rel


def _policy_files(policy: Policy, site_path: str) -> list[str]:
    try:
        target = resolve_inside(policy.root, site_path)
    except UnsafePathError as exc:
        raise UsageError(exc.message, hint=exc.hint) from None
    if target.is_dir():
        pending = [p for p in pending_policy_files(policy)
                   if p.startswith(site_path.rstrip("/") + "/")]
        if not pending:
            raise UsageError(_("nothing in {path} awaits the policy owners' sign-off").format(
                path=site_path))
        return pending
    if target.is_file() or _known_to_git(policy, site_path):
        return [site_path]
    raise UsageError(_("{path} does not exist and never did in git history").format(
        path=site_path),
                     hint=_("give a policy file: site_config/…, mkdocs.yml, hooks/…, "
                            "overrides/…"))


def pending_policy_files(policy: Policy) -> list[str]:
    """Policy files in the work tree whose sign-off record does not sign off their
    current bytes (``scripts/sign-demo.sh`` signs these)."""
    found = []
    for prefix in POLICY_PATHS:
        target = policy.root / prefix.rstrip("/")
        if target.is_symlink():
            continue
        if target.is_file():
            found.append(prefix)
        elif target.is_dir():
            found += [p.relative_to(policy.root).as_posix() for p in target.rglob("*")
                      if p.is_file() and not p.is_symlink()
                      and not any(part.startswith(".") or part == "__pycache__"
                                  for part in p.relative_to(target).parts)]
    return sorted(p for p in found if not policy_signoff_current(policy, p))


def _known_to_git(policy: Policy, site_path: str) -> bool:
    repo = find_repo(policy.root)
    if repo is None or not repo.has_head():
        return False
    return bool(repo.text("log", "-1", "--format=%H", "HEAD", "--",
                          ":(literal)" + repo.to_git(site_path)).strip())


def policy_signoff_current(policy: Policy, site_path: str) -> bool:
    """Whether the policy file's record signs off its current bytes (any signer)."""
    from .records import read_record

    subject = policy_subject(policy, site_path)
    record_file = policy.root / subject.record_site_path
    if not record_file.is_file() or record_file.is_symlink():
        return False
    record, problems = read_record(record_file)
    if record is None or problems or record.content != subject.path:
        return False
    file = policy.root / site_path
    data = file.read_bytes() if file.is_file() and not file.is_symlink() else b""
    return record.digest == digest_for(site_path, data) and all(
        s.decision == "public" for s in record.signoffs) and len(
        {s.reviewer for s in record.signoffs if subject.may_sign(s.reviewer)}) >= subject.levels


def prepare_policy(policy: Policy, repo: GitRepo | None, reviewer: Reviewer,
                   subjects: list[Subject], *, check_authors: bool) -> list[Candidate]:
    """Like :func:`prepare`, for policy files: only a policy owner may decide, and not on
    a change they made."""
    out = []
    for subject in subjects:
        file = resolve_inside(policy.root, subject.site_path)
        data = file.read_bytes() if file.is_file() else b""
        candidate = Candidate(subject.path, digest_for(subject.path, data), "",
                              subject=subject, data=data)
        candidate.summary = (_size(data, subject.path) if file.is_file()
                             else _("deleted: signs off its removal"))
        if not subject.may_sign(reviewer.id):
            candidate.refusal = _("only the policy owners may sign off site policy: "
                                  "{members}").format(
                members=", ".join(sorted(subject.signers or ())))
        elif repo is not None:
            if repo.dirty_paths([subject.site_path]):
                candidate.summary = _("has uncommitted changes")
                if check_authors:
                    candidate.refusal = _("it has uncommitted changes in your work tree, so you "
                                          "would be approving your own edit — commit it and ask "
                                          "another policy owner")
            else:
                authorship = signed_authorship(repo, policy, subject, base=None)
                candidate.authorship = authorship
                summary = summarize(repo, authorship, subject.path, data)
                candidate.summary = (summary if file.is_file()
                                     else f"{candidate.summary}; {summary}")
                mine = people_of(repo, policy, authorship.changes).get(reviewer.id)
                if check_authors and mine:
                    candidate.refusal = _("you ({who}) changed it since its last approved "
                                          "version — another policy owner must approve "
                                          "it").format(who=describe(mine))
        out.append(candidate)
    return out


def awaiting_states(policy: Policy) -> dict[str, ApprovalState]:
    corpus = load_corpus(policy.content_dir, max_page_bytes=policy.max_page_bytes,
                         max_attachment_bytes=policy.max_attachment_bytes)
    states, _orphans = evaluate(policy, corpus.documents)
    return {p: s for p, s in states.items() if not s.approved}


def line_changes(old: bytes | None, new: bytes) -> tuple[int, int]:
    """Lines added and removed (text), for a one-line summary."""
    old_lines = (old or b"").decode("utf-8", "replace").splitlines()
    new_lines = new.decode("utf-8", "replace").splitlines()
    added = removed = 0
    for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return added, removed


def approved_bytes(repo: GitRepo, authorship: Authorship) -> bytes | None:
    if authorship.approved_commit is None or authorship.approved_git_path is None:
        return None
    return repo.show_blob(authorship.approved_commit, authorship.approved_git_path)


def prepare(policy: Policy, repo: GitRepo | None, reviewer: Reviewer, content_paths: list[str],
            *, check_authors: bool) -> list[Candidate]:
    """Digest, change summary and (for approvals) the four-eyes refusal of each file."""
    dirty = repo.dirty_paths([f"{CONTENT_DIR}/{p}" for p in content_paths]) if repo else set()
    out = []
    for path in content_paths:
        try:
            data = read_regular(resolve_inside(policy.content_dir, path))
        except UsageError as exc:  # a link, or no regular file: never read through it
            out.append(Candidate(path, "sha256:" + "-" * 64, _("not read"),
                                 refusal=_("{problem} — only regular files are approved").format(
                                     problem=exc.message)))
            continue
        candidate = Candidate(path, digest_for(path, data), "", data=data)
        if repo is None:
            candidate.summary = _("{size}; no git history here").format(size=_size(data, path))
            out.append(candidate)
            continue
        if f"{CONTENT_DIR}/{path}" in dirty:
            candidate.summary = _("has uncommitted changes")
            if check_authors:
                candidate.refusal = _("it has uncommitted changes in your work tree, so you "
                                      "would be approving your own edit — commit it and ask "
                                      "another reviewer")
            out.append(candidate)
            continue
        authorship = content_authorship(repo, policy, path, base=None)
        candidate.authorship = authorship
        candidate.summary = summarize(repo, authorship, path, data)
        if check_authors:
            mine = people_of(repo, policy, authorship.changes).get(reviewer.id)
            if mine:
                candidate.refusal = _("you ({who}) changed it since its last approved "
                                      "version — another reviewer must approve it").format(
                    who=describe(mine))
        out.append(candidate)
    return out


def _size(data: bytes, path: str) -> str:
    if is_text_file(path):
        return _("{count} lines").format(count=len(data.splitlines()))
    return _("{count} bytes").format(count=len(data))


def summarize(repo: GitRepo, authorship: Authorship, path: str, data: bytes) -> str:
    who = ", ".join(authorship.names) or _("nobody")
    commits = len(authorship.changes)
    if authorship.approved_commit is None:
        return _("never approved; {size}; {count} commit(s) by {who}").format(
            size=_size(data, path), count=commits, who=who)
    if commits == 0:
        return _("unchanged since the approved version")
    old = approved_bytes(repo, authorship)
    if is_text_file(path):
        added, removed = line_changes(old, data)
        change = _("+{added} -{removed} lines").format(added=added, removed=removed)
    else:
        change = _("{old} -> {new} bytes").format(old=len(old or b""), new=len(data))
    return _("{change} since approved commit {commit}; {count} commit(s) by {who}").format(
        change=change, commit=authorship.approved_commit[:10], count=commits, who=who)


def blocking_findings(policy: Policy, content_paths: list[str], now: datetime
                      ) -> dict[str, list[Finding]]:
    """The blocking findings of every rule on these files, except the rules about
    sign-offs (approving is what answers those): what a reviewer must not approve."""
    from ..checker import check_repository
    from ..rules import registry

    if not content_paths:
        return {}
    rules = [r for r in registry.all() if not getattr(r, "about_signoffs", False)]
    result = check_repository(policy, now, focus=set(content_paths), rules=rules,
                              keep_bodies=False)
    wanted = {f"{CONTENT_DIR}/{p}": p for p in content_paths}
    found: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.blocking and finding.path in wanted:
            found.setdefault(wanted[finding.path], []).append(finding)
    return found


def refuse_blocked(candidates: list[Candidate], findings: dict[str, list[Finding]]) -> None:
    """Refuse every candidate with a blocking finding (see :func:`blocking_findings`)."""
    for candidate in candidates:
        shown = findings.get(candidate.content_path) if candidate.subject is None else None
        if shown and not candidate.refusal:
            candidate.refusal = _("{count} blocking finding(s) remain — fix them first "
                                  "(govpub check {path})").format(count=len(shown),
                                                                  path=candidate.site_path)
            candidate.findings = shown


def refuse_if_any(candidates: list[Candidate], verb: str = "approve") -> None:
    refused = [c for c in candidates if c.refusal]
    if refused:
        first = refused[0]
        if verb == "approve":
            one = _("cannot approve {path}: {refusal}; nothing was written")
            many = _("cannot approve {path}: {refusal} (and {more} more file(s)); nothing was "
                     "written")
        else:
            one = _("cannot reject {path}: {refusal}; nothing was written")
            many = _("cannot reject {path}: {refusal} (and {more} more file(s)); nothing was "
                     "written")
        raise BlockedError((many if len(refused) > 1 else one).format(
            path=first.site_path, refusal=first.refusal, more=len(refused) - 1))


# -- committing the sign-off -----------------------------------------------------------------


def signing_args(repo: GitRepo, reviewer: Reviewer) -> list[str]:
    """``-S`` when git has a signing key; an error when reviewers.yml demands a signature
    git cannot make."""
    key = repo.config("user.signingkey")
    if key:
        return ["-S"]
    if reviewer.keys or reviewer.gpg_fingerprints:
        kind = "ssh" if reviewer.keys else "openpgp"
        raise UsageError(
            _("reviewers.yml lists signing keys for {reviewer}, but git has no "
              "user.signingkey, so the sign-off commit would be refused").format(
                reviewer=reviewer.id),
            hint=_("git config gpg.format {kind}; git config user.signingkey {key}").format(
                kind=kind, key="~/.ssh/id_ed25519.pub" if kind == "ssh" else "<fingerprint>"))
    return []


def commit_records(repo: GitRepo, record_files: list[Path], message: str,
                   sign: list[str]) -> str:
    git_paths = [":(literal)" + repo.to_git(f.relative_to(repo.site_root).as_posix())
                 for f in record_files]
    try:
        repo.run("add", "--", *git_paths)
        repo.run("commit", "-q", *sign, "-m", message, "--", *git_paths)
    except GitError as exc:
        raise GitError(_("the sign-off records are written but not committed: {error}")
                       .format(error=exc.message),
                       hint=_("fix the problem, then commit review/ yourself "
                              "(git commit -S) from your own identity")) from None
    return repo.text("rev-parse", "HEAD").strip()


# -- deciding: the one path the CLI and the review desk share --------------------------------


DIGEST_PATTERN = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass
class Outcome:
    """What a decision wrote: the files decided on, their records, and the commit."""

    reviewer: Reviewer
    decision: str
    candidates: list[Candidate]
    written: list[Path] = field(default_factory=list)
    commit: str | None = None
    signed: bool = False


def mark_changed_since_shown(candidates: list[Candidate], shown: dict[str, str]) -> None:
    """Refuse every file whose bytes are no longer the version the reviewer was shown."""
    for c in candidates:
        expected = shown.get(c.content_path)
        if expected is not None and expected != c.digest:
            c.refusal = _("it changed after it was shown to you (shown {shown}…, now "
                          "{now}…) — look at the change again and decide on what you "
                          "see").format(shown=expected[:19], now=c.digest[:19])


def decide(policy: Policy, repo: GitRepo | None, reviewer: Reviewer, content_paths: list[str],
           decision: str, note: str, now: datetime, *, commit: bool,
           shown_digests: dict[str, str] | None = None, reason_code: str = "",
           show: Callable[[list[Candidate]], None] | None = None,
           confirm: Callable[[list[Candidate]], None] | None = None,
           policy_files: list[Subject] | None = None) -> Outcome:
    """Approve (``public``) or reject (``not-public``) the current version of each file.

    ``govpub review approve|reject`` and the review desk both come here, so
    both make the same checks, write the same record and the same commit.
    ``shown_digests`` (content path → digest): the versions the reviewer was
    shown; a file that no longer has it is refused. ``show`` sees the
    candidates before any refusal; ``confirm`` may raise to stop before
    anything is written. Nothing is written unless every file may be decided.
    ``policy_files``: policy files to sign off too (only by a policy owner).
    """
    from .records import add_signoff
    from .subjects import content_subject

    if commit and repo is None:
        raise UsageError(_("--commit needs a git repository"))
    sign = signing_args(repo, reviewer) if commit else []
    candidates = [*prepare(policy, repo, reviewer, content_paths,
                           check_authors=decision == "public"),
                  *prepare_policy(policy, repo, reviewer, policy_files or [],
                                  check_authors=decision == "public")]
    mark_changed_since_shown(candidates, shown_digests or {})
    if decision == "public":  # nothing with a blocking finding is approved
        refuse_blocked(candidates, blocking_findings(
            policy, [c.content_path for c in candidates if c.subject is None and not c.refusal],
            now))
    if show is not None:
        show(candidates)
    verb = "approve" if decision == "public" else "reject"
    refuse_if_any(candidates, verb)
    if confirm is not None:
        confirm(candidates)
    outcome = Outcome(reviewer, decision, candidates)
    reviewed = repo.text("rev-parse", "HEAD").strip() if repo and repo.has_head() else ""
    previous = {}
    try:
        for c in candidates:
            terms = c.subject or content_subject(policy, c.content_path)
            record_file = policy.root / terms.record_site_path
            previous[record_file] = record_file.read_bytes() if record_file.is_file() else None
            add_signoff(policy, c.content_path, reviewer.id, decision, note, now,
                        expect_digest=c.digest, reason_code=reason_code, subject=terms,
                        commit=reviewed)
            outcome.written.append(record_file)
    except GovpubError:
        _restore(previous)  # one file changed under us: the others are not half decided
        raise
    if commit:
        subject = (f"review: {verb} {candidates[0].site_path}"
                   if len(candidates) == 1 else f"review: {verb} {len(candidates)} files")
        body = "\n".join(f"{c.site_path} {c.digest}" for c in candidates)
        outcome.commit = commit_records(repo, outcome.written, f"{subject}\n\n{body}\n", sign)
        outcome.signed = bool(sign)
    return outcome


def _restore(previous: dict[Path, bytes | None]) -> None:
    for record_file, data in previous.items():
        if data is None:
            record_file.unlink(missing_ok=True)
        else:
            write_atomic(record_file, data)


# -- what awaits review ----------------------------------------------------------------------


@dataclass
class Awaiting:
    content_path: str
    reason: str
    changed_at: datetime | None = None
    changed_by: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"path": f"{CONTENT_DIR}/{self.content_path}", "reason": self.reason,
                "changed_at": self.changed_at.isoformat() if self.changed_at else None,
                "changed_by": self.changed_by}


def reason_for(state: ApprovalState) -> str:
    if state.record_file is None:
        return "no sign-off record"
    if state.record is None:
        return "sign-off record unreadable"
    if not state.digest_matches:
        return "changed since approval"
    if state.rejected_by:
        return "rejected by " + ", ".join(sorted(state.rejected_by))
    have = len(state.approvers)
    return f"{have} of {state.required} sign-off(s)"


def awaiting_review(policy: Policy,
                    states: dict[str, ApprovalState] | None = None) -> list[Awaiting]:
    """What awaits review, oldest change first (``states``: the awaiting files' approval
    states, when the caller has them already)."""
    states = awaiting_states(policy) if states is None else states
    items = [Awaiting(path, reason_for(state)) for path, state in states.items()]
    repo = find_repo(policy.root)
    repo = repo if repo is not None and repo.has_head() else None
    site_paths = [f"{CONTENT_DIR}/{i.content_path}" for i in items]
    dirty = repo.dirty_paths(site_paths) if repo else set(site_paths)
    last = last_changes(repo, [p for p in site_paths if p not in dirty]) if repo else {}
    for item in items:
        site_path = f"{CONTENT_DIR}/{item.content_path}"
        if site_path in last:
            when, item.changed_by = last[site_path]
            item.changed_at = when.astimezone(policy.timezone)
        else:
            stat = (policy.root / site_path).stat()
            item.changed_at = datetime.fromtimestamp(stat.st_mtime, policy.timezone)
            item.changed_by = "uncommitted" if repo else ""
    far_future = datetime.max.replace(tzinfo=policy.timezone)
    items.sort(key=lambda i: (i.changed_at or far_future, i.content_path))
    return items


def last_changes(repo: GitRepo, site_paths: list[str]) -> dict[str, tuple[datetime, str]]:
    """The last commit to each path, reading history only until every path is found."""
    wanted = {repo.to_git(p): p for p in site_paths}
    found: dict[str, tuple[datetime, str]] = {}
    if not wanted:
        return found
    proc = subprocess.Popen(
        ["git", "log", "--no-renames", "--name-only", "-z",
         "--format=%x01%ct%x00%an <%ae>", "HEAD", "--", repo.to_git(CONTENT_DIR)],
        cwd=repo.top, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        buffer = b""
        assert proc.stdout is not None
        while len(found) < len(wanted):
            chunk = proc.stdout.read(65536)
            if not chunk:
                _scan(buffer, wanted, found, UTC)
                break
            buffer += chunk
            cut = buffer.rfind(b"\x01")
            if cut > 0:
                _scan(buffer[:cut], wanted, found, UTC)
                buffer = buffer[cut:]
    finally:
        proc.kill()
        proc.wait()
    return {wanted[k]: v for k, v in found.items()}


def _scan(data: bytes, wanted: dict, found: dict, utc) -> None:
    for chunk in data.split(b"\x01"):
        if not chunk:
            continue
        parts = chunk.decode("utf-8", "surrogateescape").split("\0")
        if len(parts) < 2:
            continue
        try:
            when = datetime.fromtimestamp(int(parts[0]), utc)
        except ValueError:
            continue
        who = parts[1]
        for name in parts[2:]:
            name = name.lstrip("\n")
            if name in wanted and name not in found:
                found[name] = (when, who)


