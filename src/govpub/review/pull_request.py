"""The pull-request check (``govpub check --changed-since REF``): what changed, judged
by the base side.

* The trusted parts of the policy (reviewers, keys, levels, policy owners,
  rule severities, link approvals) are the base commit's
  (:mod:`govpub.review.base_policy`).
* Every sign-off written in the range is traced to its commit and verified
  (GP210–GP213, :mod:`govpub.review.four_eyes`), content and policy alike.
* Every change to site policy needs the policy owners' sign-off (GP214).
* Changes to govpub's own code and CI are listed for the code owners (GP217).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from ..config import CONTENT_DIR, Policy
from ..digest import digest_for
from ..errors import GovpubError
from ..findings import Finding, Severity
from ..i18n import _
from ..rules.code_change import CodeChange
from ..rules.policy_signoff import PolicySignoff
from ..safepath import UnsafePathError, resolve_inside
from .base_policy import judged_by_base
from .four_eyes import RangeFacts, Verifier
from .gitrun import GitError, GitRepo, find_repo
from .history import ChangedPaths, changed_paths, current_digest
from .records import read_record
from .subjects import (
    Subject,
    content_subject,
    is_code_path,
    is_content_record,
    is_policy_path,
    is_policy_record,
    policy_subject,
    subject_of_record,
)


@dataclass
class PullRequest:
    """The verdict of the history checks on a pull request."""

    policy: Policy  # the policy to judge the pull request's files with (trusted parts: base)
    base: str  # the merge base
    changed: list[str]  # site paths whose verdicts the check reports
    findings: list[Finding]


def open_repo(policy: Policy) -> GitRepo:
    repo = find_repo(policy.root)
    if repo is None:
        raise GitError(_("{root} is not in a git repository; --changed-since needs git "
                         "history").format(root=policy.root),
                       hint=_("run it in a clone of the site repository"))
    return repo


def owners_text(subject: Subject) -> str:
    if subject.group:
        return f"{subject.group} ({', '.join(sorted(subject.signers or ()))})"
    return _("any reviewer (reviewers.yml names no policy_owners group)")


def policy_signoff_problem(policy: Policy, subject: Subject) -> str | None:
    """Why ``subject`` (a policy file) is not signed off by the policy owners; None when
    it is. A deleted file is signed off as no bytes."""
    current = current_digest(policy, subject)
    if current is None:
        current = digest_for(subject.path, b"")
    fix = _("a policy owner who did not make the change runs "
            "`govpub review approve {path} --commit`").format(path=subject.path)
    try:
        record_file = resolve_inside(policy.root, subject.record_site_path)
    except UnsafePathError as exc:
        return _("its sign-off record cannot be read safely: {problem} — {fix}").format(
            problem=exc.message, fix=fix)
    if not record_file.is_file():
        return _("changed in this pull request, and the policy owners, {owners}, have not "
                 "signed it off — {fix}").format(owners=owners_text(subject), fix=fix)
    record, problems = read_record(record_file)
    if record is None or problems:
        problem = problems[0].message if problems else _("unreadable")
        return _("its sign-off record {record} is malformed: {problem} — {fix}").format(
            record=subject.record_site_path, problem=problem, fix=fix)
    if record.content != subject.path:
        return _("its sign-off record {record} says content: {named} — a record signs off "
                 "the file it is stored for").format(record=subject.record_site_path,
                                                    named=repr(record.content))
    if record.digest != current:
        return _("changed since the policy owners signed it off (the record has {old}…, the "
                 "file is {new}…) — {fix}").format(old=record.digest[:19], new=current[:19],
                                                   fix=fix)
    rejected = [s for s in record.signoffs if s.decision != "public"]
    if rejected:
        if rejected[0].note:
            return _("{reviewer} decided not-public on this change: {reason}").format(
                reviewer=rejected[0].reviewer, reason=rejected[0].note)
        return _("{reviewer} decided not-public on this change").format(
            reviewer=rejected[0].reviewer)
    signers = {s.reviewer for s in record.signoffs
               if s.reviewer in policy.reviewers and subject.may_sign(s.reviewer)}
    if len(signers) < subject.levels:
        outsiders = sorted({s.reviewer for s in record.signoffs} - signers)
        aside = (_("; not policy owners here: {ids}").format(ids=", ".join(outsiders))
                 if outsiders else "")
        return _("signed off by {count} of the {levels} policy owner(s) it needs, "
                 "{owners}{aside} — {fix}").format(count=len(signers), levels=subject.levels,
                                                  owners=owners_text(subject), aside=aside,
                                                  fix=fix)
    return None


def _subjects(policy: Policy, paths: ChangedPaths) -> tuple[dict[str, Subject], list[str]]:
    """The sign-off records to verify (record path → subject) and the policy files the
    range changed."""
    subjects: dict[str, Subject] = {}
    for path in paths.present:
        if is_content_record(path) or is_policy_record(path):
            subject = subject_of_record(policy, path)
            if subject is not None:
                subjects[subject.record_site_path] = subject
    policy_files = [p for p in [*paths.present, *paths.deleted] if is_policy_path(p)]
    for path in policy_files:
        subject = policy_subject(policy, path)
        subjects.setdefault(subject.record_site_path, subject)
    return subjects, sorted(policy_files)


def _findings(repo: GitRepo, policy: Policy, base: str, paths: ChangedPaths) -> list[Finding]:
    subjects, policy_files = _subjects(policy, paths)
    findings: list[Finding] = []
    if subjects:
        verifier = Verifier(repo, policy, RangeFacts.gather(repo, base, sorted(subjects)))
        for record_path, subject in sorted(subjects.items()):
            if (policy.root / record_path).is_file():
                try:
                    findings.extend(verifier.verify(subject))
                except GovpubError:
                    raise
                except (OSError, ValueError) as exc:
                    raise GitError(_("cannot verify {path}: {error}").format(
                        path=record_path, error=exc)) from None
    for path in policy_files:
        problem = policy_signoff_problem(policy, policy_subject(policy, path))
        if problem:
            findings.append(Finding(path, 1, 1, PolicySignoff.id, Severity.ERROR, problem))
    for path in [*paths.present, *paths.deleted]:
        if is_code_path(path):
            findings.append(Finding(
                path, 1, 1, CodeChange.id, CodeChange.severity,
                _("govpub's own code or CI changed: this check ran the base's govpub, not this "
                  "change; a code owner reviews it on the platform (CODEOWNERS)")))
    return findings


def _reported(paths: ChangedPaths, policy: Policy) -> list[str]:
    """The site paths whose verdicts the check reports: what changed under content/,
    review/ and site_config/; the page of every changed or deleted record (a page whose
    record is deleted has no sign-off); the record of every deleted page (a record left
    without its page is an orphan)."""
    reported = {p for p in paths.present
                if p.startswith((f"{CONTENT_DIR}/", "review/", "site_config/"))}
    for path in [*paths.present, *paths.deleted]:
        if is_content_record(path):
            page = subject_of_record(policy, path)
            if page is not None and (policy.root / page.site_path).is_file():
                reported.add(page.site_path)
    for path in paths.deleted:
        if path.startswith(f"{CONTENT_DIR}/"):
            record = content_subject(policy, path[len(CONTENT_DIR) + 1:]).record_site_path
            if (policy.root / record).is_file():
                reported.add(record)
    return sorted(reported)


@contextlib.contextmanager
def pull_request(policy: Policy, ref: str) -> Iterator[PullRequest]:
    """Judge the work tree as a pull request into ``ref``, with ``ref``'s policy.

    Raises :class:`GovpubError` (exit 2) for a shallow clone, an unknown REF, no
    git repository, or a base whose site_config/ cannot be read.
    """
    repo = open_repo(policy)
    repo.require_full_history()
    ref_commit = repo.resolve_commit(ref)
    if not repo.has_head():
        raise GitError(_("the repository has no commits yet"), hint=_("commit first"))
    base = repo.merge_base(ref_commit, "HEAD")
    if base is None:
        raise GitError(_("{ref} and HEAD share no history").format(ref=ref),
                       hint=_("compare against the branch this one was made from"))
    with judged_by_base(policy, repo, ref_commit, ref) as judged:
        paths = changed_paths(repo, base)
        findings = _findings(repo, judged, base, paths)
        findings.sort(key=Finding.sort_key)
        yield PullRequest(judged, base, _reported(paths, judged), findings)


def verify_changes(policy: Policy, ref: str) -> tuple[list[str], list[Finding]]:
    """The history part of the pull-request check: the site paths whose verdicts are
    reported, and the findings of GP210–GP214 and GP217."""
    with pull_request(policy, ref) as pr:
        return pr.changed, pr.findings


__all__ = ["PullRequest", "open_repo", "policy_signoff_problem", "pull_request",
           "verify_changes"]
