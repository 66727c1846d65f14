"""Four eyes from git history: the checks ``govpub check --changed-since REF`` adds.

For every sign-off record changed in the range, each sign-off that a commit
in the range added or changed is traced to that commit:

* GP210 — the commit was made by the reviewer the sign-off names (author
  and committer e-mail among that reviewer's ``emails``);
* GP211 — that reviewer made none of the changes to the content file since
  its previously approved version (see :mod:`govpub.review.history`);
* GP212 — where ``reviewers.yml`` lists keys for the reviewer, the commit
  carries a good signature by one of them (see :mod:`govpub.review.signatures`);
* GP213 — under two-level review, the required number of distinct reviewers
  remains after the sign-offs that failed GP210–GP212 are set aside.

A sign-off is identified by everything it says *and the digest it binds to*:
a commit that moves an old sign-off onto a new digest (an editor "updating"
the record after an edit) has written that sign-off and must be the
reviewer's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from ..config import REVIEW_DIR, Policy, Reviewer
from ..digest import digest_for
from ..findings import Finding, Severity
from ..i18n import _
from ..rules import Rule
from ..rules.rewritten_history import RewrittenAfterApproval
from ..rules.signoff_time import CLOCK_SKEW, SignoffTime, signoff_time
from .gitrun import GitRepo
from .history import (
    Authorship,
    Change,
    file_history,
    parse_record_bytes,
    range_changes,
    signed_authorship,
)
from .identity import describe, people_of
from .records import SignoffRecord, read_record
from .signatures import needs_signature, read_signatures, signature_problem
from .subjects import Subject


class _HistoryRule(Rule):
    locked = True
    about_signoffs = True

    def check(self, ctx) -> Iterator[Finding]:
        # These rules need a git range; they run in `govpub check --changed-since`.
        return iter(())


class SignoffCommitByReviewer(_HistoryRule):
    """A sign-off is committed by the reviewer it names.

    What it checks: with `--changed-since REF`, every sign-off added or changed
    in the range is traced to the commit that wrote it; that commit's author and
    committer e-mail must both be among the named reviewer's `emails` in
    site_config/reviewers.yml. A sign-off not yet committed is reported too.
    Why: anyone can type a reviewer's id into a record; the approval is the
    reviewer's only when the reviewer made the commit.
    Example: an editor commits `review/notices/x.md.yml` naming `li-wei`, or
    commits with `--author "Li Wei <li.wei@example.gov.cn>"`.
    Fix: the reviewer runs `govpub review approve PATH --commit` from their own
    git identity; delete the forged sign-off.
    """

    id = "GP210"
    name = "signoff-commit-by-reviewer"


class ReviewerAuthoredChange(_HistoryRule):
    """The reviewer did not author the change they approve.

    What it checks: with `--changed-since REF`, no `public` sign-off may come
    from a reviewer who made any change to the file since its previously
    approved version: every commit reachable from the head and not from where
    that approval stood (renames followed, both sides of merges). A commit is
    the reviewer's when its author or committer is any of the addresses
    listed for them in reviewers.yml, or it is signed with any of their keys.
    Why: the confidentiality review needs a second person (four eyes).
    Example: li-wei edits `content/notices/x.md` (even on a side branch, or
    under another address but signed with her key) and approves it herself.
    Fix: another reviewer approves it; remove the author's own sign-off.
    """

    id = "GP211"
    name = "reviewer-authored-change"


class SignoffSignature(_HistoryRule):
    """A sign-off commit carries a good signature by the reviewer's own key.

    What it checks: with `--changed-since REF`, when reviewers.yml lists `keys`
    (SSH) or `gpg_fingerprints` for the named reviewer, the commit that wrote
    the sign-off must carry a good signature made by one of those keys. An
    unsigned commit, a bad signature, or a valid signature by any other key
    (including another reviewer's) fails.
    Why: git e-mail addresses can be set by anyone; a signature cannot.
    Example: the sign-off commit was made without `-S`, or signed with a
    personal key not listed in reviewers.yml.
    Fix: configure git to sign (`git config gpg.format ssh`,
    `git config user.signingkey ~/.ssh/id_ed25519.pub`) and recommit the
    sign-off with `govpub review approve PATH --commit`; or have the General
    Office add the key to reviewers.yml.
    """

    id = "GP212"
    name = "signoff-signature"


class TwoLevelReview(_HistoryRule):
    """Two-level review has enough distinct, independent reviewers.

    What it checks: with `--changed-since REF`, where review levels are 2 or
    more, the number of distinct reviewers whose sign-off passed GP210–GP212
    reaches the level.
    Why: a second level is meaningless if one of the two is the author or
    a forged name.
    Example: levels: 2; li-wei (the author) and wang-fang signed off.
    Fix: a further reviewer who did not author the change signs off.
    """

    id = "GP213"
    name = "two-level-review"


RULES = (SignoffCommitByReviewer, ReviewerAuthoredChange, SignoffSignature, TwoLevelReview)

SignoffKey = tuple[str, str, str, str, str]


def _key(digest, entry: dict) -> SignoffKey:
    note = entry.get("note", entry.get("reason", ""))
    return (str(digest), str(entry.get("reviewer")), str(entry.get("at")),
            str(entry.get("decision")), str(note or ""))


def _keys(data: dict | None) -> set[SignoffKey]:
    if not data or not isinstance(data.get("signoffs"), list):
        return set()
    return {_key(data.get("digest"), s) for s in data["signoffs"] if isinstance(s, dict)}


@dataclass(frozen=True)
class Writer:
    """The commit that wrote a sign-off (or None for one not committed yet)."""

    commit: str | None
    author_email: str = ""
    committer_email: str = ""
    merge: bool = False  # appeared through a merge commit, written by no ordinary commit


@dataclass
class RangeFacts:
    """What one pass over the range tells about the sign-off records changed in it."""

    base: str
    in_range: set[str]
    changes: dict[str, list[Change]]  # record site path -> its changes, oldest first
    blobs: dict[str, bytes]  # blob id or "<rev>:<path>" -> bytes

    @classmethod
    def gather(cls, repo: GitRepo, base: str, record_paths: list[str]) -> RangeFacts:
        """Two git runs for all records: the range's log of review/, then every blob."""
        in_range = set(repo.text("rev-list", f"{base}..HEAD").split())
        wanted = set(record_paths)
        changes: dict[str, list[Change]] = {p: [] for p in record_paths}
        for change in range_changes(repo, base, REVIEW_DIR):
            site_path = repo.from_git(change.git_path)
            if site_path in wanted:
                changes[site_path].append(change)
        names = [b for cs in changes.values() for c in cs
                 for b in (c.blob, c.old_blob, *c.parent_blobs) if b]
        for path in record_paths:
            git_path = repo.to_git(path)
            if "\n" not in git_path:  # --batch reads one name per line
                names += [f"HEAD:{git_path}", f"{base}:{git_path}"]
        blobs = repo.read_blobs(names)
        for path in record_paths:
            git_path = repo.to_git(path)
            if "\n" in git_path:
                for rev in ("HEAD", base):
                    data = repo.show_blob(rev, git_path)
                    if data is not None:
                        blobs[f"{rev}:{git_path}"] = data
        return cls(base, in_range, changes, blobs)

    def at(self, rev: str, repo: GitRepo, record_path: str) -> dict | None:
        return parse_record_bytes(self.blobs.get(f"{rev}:{repo.to_git(record_path)}"))


def attribute_signoffs(repo: GitRepo, facts: RangeFacts, record_site_path: str,
                       current: set[SignoffKey]) -> dict[SignoffKey, Writer]:
    """Which commit in the range wrote each current sign-off.

    Sign-offs that were already in the record at the base of the range are
    left out: their own pull request verified them. A new sign-off that no
    ordinary commit in the range wrote (an "evil merge" made it up) maps to
    ``Writer(None, merge=True)``; one that is not committed yet to ``Writer(None)``.
    """
    writers: dict[SignoffKey, Writer] = {}
    base_keys = _keys(facts.at(facts.base, repo, record_site_path))
    for change in facts.changes.get(record_site_path, []):
        after = _keys(parse_record_bytes(facts.blobs.get(change.blob)))
        # a merge wrote only what none of its parents had
        before: set[SignoffKey] = set()
        for blob in change.parent_blobs or (change.old_blob,):
            before |= _keys(parse_record_bytes(facts.blobs.get(blob)))
        for key in after - before:
            writers[key] = Writer(change.commit, change.author_email.lower(),
                                  change.committer_email.lower())
    head = _keys(facts.at("HEAD", repo, record_site_path))
    for key in current - head:
        writers[key] = Writer(None)
    for key in current - base_keys - set(writers):
        writers[key] = Writer(None, merge=True)
    return {k: w for k, w in writers.items() if k in current and k not in base_keys}


class Verifier:
    def __init__(self, repo: GitRepo, policy: Policy, facts: RangeFacts) -> None:
        self.repo = repo
        self.policy = policy
        self.facts = facts
        self._ancestry: dict[str, bool] = {}
        self._ranges: dict[str, list[Change]] = {}

    def finding(self, rule: type[Rule], path: str, line: int, message: str) -> Finding:
        severity = self.policy.severity_overrides.get(rule.id, rule.severity)
        return Finding(path, max(1, line), 1, rule.id, max(severity, Severity.ERROR), message)

    def verify(self, subject: Subject) -> list[Finding]:
        """GP210–GP213 for the sign-offs written in the range into ``subject``'s record."""
        record_site_path = subject.record_site_path
        record_file = self.policy.root / record_site_path
        if not record_file.is_file() or record_file.is_symlink():
            return []
        record, problems = read_record(record_file)
        if record is None or problems:
            return []  # the sign-off rules report malformed records
        current = {_key(record.digest, s.as_dict()): s for s in record.signoffs}
        writers = attribute_signoffs(self.repo, self.facts, record_site_path, set(current))
        return self._judge(record, subject, current, writers)

    def _judge(self, record: SignoffRecord, subject: Subject,
               current: dict, writers: dict[SignoffKey, Writer]) -> list[Finding]:
        path = subject.record_site_path
        findings: list[Finding] = []
        failed: set[str] = set()
        to_sign: list[tuple[Reviewer, object, str]] = []
        for key, signoff in current.items():
            reviewer = self.policy.reviewers.get(signoff.reviewer)
            writer = writers.get(key)
            if reviewer is None or writer is None:
                continue
            if writer.commit is None:
                message = (_("the sign-off by {reviewer} appears only through a merge commit, "
                             "so no commit of {reviewer}'s wrote it — {reviewer} commits it "
                             "(govpub review approve --commit)") if writer.merge else
                           _("the sign-off by {reviewer} is not committed, so who made it "
                             "cannot be verified — {reviewer} commits it "
                             "(govpub review approve --commit)"))
                findings.append(self.finding(SignoffCommitByReviewer, path, signoff.line,
                                             message.format(reviewer=reviewer.id)))
                failed.add(reviewer.id)
                continue
            strangers = sorted({writer.author_email, writer.committer_email}
                               - set(reviewer.emails))
            if strangers:
                findings.append(self.finding(
                    SignoffCommitByReviewer, path, signoff.line,
                    _("the sign-off by {reviewer} was written by commit {commit} of {who}, not "
                      "by {reviewer} ({addresses}) — {reviewer} must make the sign-off commit "
                      "from their own identity").format(
                        reviewer=reviewer.id, commit=writer.commit[:12],
                        who=", ".join(strangers), addresses=", ".join(reviewer.emails))))
                failed.add(reviewer.id)
            if needs_signature(reviewer):
                to_sign.append((reviewer, signoff, writer.commit))
        if to_sign:
            sigs = read_signatures(self.repo, self.policy, sorted({c for _, _, c in to_sign}))
            for reviewer, signoff, commit in to_sign:
                problem = signature_problem(reviewer, sigs.get(commit))
                if problem:
                    findings.append(self.finding(
                        SignoffSignature, path, signoff.line,
                        _("{problem} (commit {commit}) — sign sign-off commits with a key "
                          "listed for {reviewer} in site_config/reviewers.yml").format(
                            problem=problem, commit=commit[:12], reviewer=reviewer.id)))
                    failed.add(reviewer.id)
        public = [s for s in current.values()
                  if s.decision == "public" and s.reviewer in self.policy.reviewers
                  and subject.may_sign(s.reviewer)]
        if public:
            findings.extend(self._authors(subject, public, failed))
        findings.extend(self._rewritten(subject, current, writers))
        written = [signoff for key, signoff in current.items()
                   if key in writers and writers[key].commit]
        for signoff, finding in self._times(record, subject, written):
            findings.append(finding)
            failed.add(signoff.reviewer)
        findings.extend(self._levels(subject, public, failed))
        return findings

    def _range_history(self, site_path: str) -> list[Change]:
        """The file's changes in the range (read once per file)."""
        if site_path not in self._ranges:
            self._ranges[site_path] = file_history(self.repo, site_path, since=self.facts.base)
        return self._ranges[site_path]

    def _rewritten(self, subject: Subject, current: dict,
                   writers: dict[SignoffKey, Writer]) -> Iterator[Finding]:
        """GP216: sign-offs written in the range whose reviewed commit (``commit:``) is not
        in the branch's history — the branch was rewritten after the approval."""
        for key, signoff in current.items():
            writer = writers.get(key)
            reviewer = self.policy.reviewers.get(signoff.reviewer)
            if writer is None or writer.commit is None or reviewer is None:
                continue
            if signoff.commit and not self._in_branch(signoff.commit):
                yield self.finding(
                    RewrittenAfterApproval, subject.record_site_path, signoff.line,
                    _("{reviewer} signed off on commit {commit}, which is no longer part of "
                      "this branch: the branch was rebased or squashed after the approval, "
                      "and the rewritten commits are no longer the reviewer's — restore the "
                      "original commits (git reflog) and merge instead of rebasing, or have "
                      "{reviewer} approve again").format(reviewer=reviewer.id,
                                                         commit=signoff.commit[:12]))

    def _in_branch(self, commit: str) -> bool:
        known = self._ancestry.get(commit)
        if known is None:
            known = self._ancestry[commit] = self.repo.ok(
                "merge-base", "--is-ancestor", commit, "HEAD")
        return known

    def _times(self, record: SignoffRecord, subject: Subject, signoffs: list):
        """(sign-off, GP215 finding) for each sign-off dated before the first commit of the
        range that produced the version it approves (when the range produced it)."""
        if not signoffs:
            return
        changes = self._range_history(subject.site_path)
        blobs = self.repo.read_blobs([c.blob for c in changes if c.blob])
        producers = [c for c in changes if c.blob in blobs
                     and digest_for(subject.path, blobs[c.blob]) == record.digest]
        if not producers:
            return
        first = min(producers, key=lambda c: c.timestamp)
        produced = datetime.fromtimestamp(first.timestamp, UTC)
        for signoff in signoffs:
            when = signoff_time(signoff.at, self.policy.timezone)
            if when is not None and when < produced - CLOCK_SKEW:
                shown = produced.astimezone(self.policy.timezone).isoformat()
                yield signoff, self.finding(
                    SignoffTime, subject.record_site_path, signoff.line,
                    _("the sign-off by {reviewer} is dated {at}, before the version it "
                      "approves was committed ({commit}, {committed}) — the reviewer approves "
                      "the current version again").format(
                        reviewer=signoff.reviewer, at=when.isoformat(),
                        commit=first.commit[:12], committed=shown))

    def _authors(self, subject: Subject, public, failed) -> Iterator[Finding]:
        file = self.policy.root / subject.site_path
        if subject.signers is None and not file.is_file():
            return  # a deleted page: nothing is published, nothing to author
        path = subject.record_site_path
        authorship: Authorship = signed_authorship(
            self.repo, self.policy, subject, self.facts.base, in_range=self.facts.in_range,
            base_record=self.facts.at(self.facts.base, self.repo, path))
        if authorship.approved_commit == self.facts.base:  # the common case: reuse it
            self._ranges.setdefault(subject.site_path, authorship.changes)
        people = people_of(self.repo, self.policy, authorship.changes)
        for signoff in public:
            reviewer = self.policy.reviewers[signoff.reviewer]
            evidence = people.get(reviewer.id)
            if evidence:
                failed.add(reviewer.id)
                message = (_("{reviewer} approved {path} but made changes to it since the "
                             "approved version of commit {commit} as {who} — another reviewer "
                             "must approve it") if authorship.approved_commit else
                           _("{reviewer} approved {path} but made changes to it (no earlier "
                             "approved version) as {who} — another reviewer must approve it"))
                yield self.finding(ReviewerAuthoredChange, path, signoff.line, message.format(
                    reviewer=reviewer.id, path=subject.site_path, who=describe(evidence),
                    commit=(authorship.approved_commit or "")[:12]))

    def _levels(self, subject: Subject, public, failed) -> Iterator[Finding]:
        path = subject.record_site_path
        levels = subject.levels
        if levels < 2:
            return
        named = {s.reviewer for s in public}
        valid = named - failed
        if len(named) >= levels > len(valid):
            line = min(s.line for s in public)
            yield self.finding(
                TwoLevelReview, path, line,
                _("{levels}-level review needs {levels} distinct reviewers who did not author "
                  "the change and whose sign-offs verify; valid: {valid} (set aside: {aside}) "
                  "— another reviewer signs off").format(
                    levels=levels, valid=", ".join(sorted(valid)) or _("none"),
                    aside=", ".join(sorted(named - valid))))


__all__ = ["RULES", "RangeFacts", "Verifier", "attribute_signoffs"]
