"""Who made a commit: a reviewer is a person, with every address and key listed for them.

``site_config/reviewers.yml`` lists, per reviewer, every e-mail address they
commit with and their signing keys. A commit is that person's when its
author or committer address is any of their addresses, **or** it carries a
signature made by any of their keys — so an edit under an alias address,
signed with her listed key, is still hers.

The signature evidence costs one ``git log --no-walk`` over the commits in
question, and only when some reviewer has keys listed at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..config import Policy, Reviewer
from ..i18n import _
from .gitrun import GitRepo
from .signatures import CommitSignature, needs_signature, read_signatures, ssh_fingerprint

#: signature statuses that say nothing about who signed (no signature, a signature that
#: does not verify, a key we do not have)
_NO_EVIDENCE = frozenset({"N", "B", "E", ""})


@dataclass(frozen=True)
class Evidence:
    """Why a commit is a reviewer's: an address, or a key that signed it."""

    commit: str
    email: str = ""
    key: str = ""

    def describe(self) -> str:
        return self.email if self.email else _("a signature by key {key}").format(key=self.key)


def signer_of(policy: Policy, sig: CommitSignature | None) -> Reviewer | None:
    """The reviewer whose listed key made this signature (good, expired or revoked: it
    was made with their key all the same); None for no usable signature."""
    if sig is None or sig.status in _NO_EVIDENCE:
        return None
    if sig.key.startswith("SHA256:"):
        for reviewer in policy.reviewers.values():
            if sig.key in {ssh_fingerprint(k) for k in reviewer.keys}:
                return reviewer
        return None
    prints = {sig.fingerprint.upper(), sig.primary_fingerprint.upper()} - {""}
    for reviewer in policy.reviewers.values():
        if prints & {f.upper() for f in reviewer.gpg_fingerprints}:
            return reviewer
    return None


def people_of(repo: GitRepo, policy: Policy, changes: Iterable) -> dict[str, list[Evidence]]:
    """Reviewer id → the evidence that each of these commits (``Change`` records) was
    theirs, by address or by signature."""
    changes = list(changes)
    by_email = {email: reviewer.id for reviewer in policy.reviewers.values()
                for email in reviewer.emails}
    found: dict[str, dict[Evidence, None]] = {}
    for change in changes:
        for email in (change.author_email.lower(), change.committer_email.lower()):
            if email in by_email:
                found.setdefault(by_email[email], {})[Evidence(change.commit, email=email)] = None
    if changes and any(needs_signature(r) for r in policy.reviewers.values()):
        commits = sorted({c.commit for c in changes})
        signatures = read_signatures(repo, policy, commits)
        for commit in commits:
            sig = signatures.get(commit)
            reviewer = signer_of(policy, sig)
            if reviewer is not None and sig is not None:
                found.setdefault(reviewer.id, {})[Evidence(commit, key=sig.key)] = None
    return {rid: list(evidence) for rid, evidence in found.items()}


def describe(evidence: list[Evidence]) -> str:
    """``li.wei@…, a signature by key SHA256:…`` — each address or key once."""
    return ", ".join(dict.fromkeys(e.describe() for e in evidence))


__all__ = ["Evidence", "describe", "people_of", "signer_of"]
