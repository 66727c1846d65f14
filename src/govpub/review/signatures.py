"""Commit signatures of sign-offs, checked against the keys in ``reviewers.yml``.

Git verifies a signature but does not tie the signer to the commit's author:
a commit "by" a reviewer may carry a perfectly valid signature from somebody
else's key. So we ask git only for the facts — is the signature good, and
which key made it — and compare the key with the keys ``reviewers.yml``
lists for the reviewer the sign-off names.

* SSH: the allowed-signers file is generated from ``reviewers.yml`` into a
  temporary file (principal = reviewer id), and git is run with
  ``gpg.ssh.allowedSignersFile`` pointing at it. Only status ``G`` with the
  reviewer's own principal and one of the reviewer's key fingerprints
  passes; a valid signature by an unlisted key comes back ``U`` and fails.
* GPG: where ``gpg_fingerprints`` are listed, the signing key's fingerprint
  (or its primary key's) must be one of them and the status ``G`` or ``U``
  (trust levels are the keyring's business, the fingerprint is ours). The
  reviewers' public keys must be in the keyring of the machine that checks
  (``gpg --import`` in CI); a missing key is reported as such.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..config import Policy, Reviewer
from ..i18n import N_, _
from .gitrun import GitRepo

#: git's %G? letters, in words
STATUS_WORDS = {
    "G": N_("a good signature"),
    "B": N_("a BAD signature (the commit was altered after signing)"),
    "U": N_("a valid signature by a key that is not listed for any reviewer"),
    "X": N_("an expired signature"), "Y": N_("a signature by an expired key"),
    "R": N_("a signature by a revoked key"),
    "E": N_("a signature that cannot be checked (the public key is missing here)"),
    "N": N_("no signature"),
}


def status_words(status: str) -> str:
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


@dataclass(frozen=True)
class CommitSignature:
    commit: str
    status: str  # git's %G?
    key: str  # %GK: the SSH key fingerprint or GPG key id
    fingerprint: str  # %GF
    primary_fingerprint: str  # %GP
    signer: str  # %GS: the SSH principal (reviewer id) or GPG user id


def ssh_fingerprint(public_key: str) -> str | None:
    """``SHA256:…`` fingerprint of an OpenSSH public key line, as ``ssh-keygen -l`` prints it."""
    parts = public_key.split()
    if len(parts) < 2:
        return None
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return None
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def allowed_signers_text(policy: Policy) -> str:
    """An allowed-signers file: one line per reviewer key, principal = reviewer id."""
    lines = []
    for reviewer in policy.reviewers.values():
        for key in reviewer.keys:
            # only the key type and data: a comment could smuggle options in
            kind, data = [*key.split(), "", ""][:2]
            lines.append(f'{reviewer.id} namespaces="git" {kind} {data}')
    return "\n".join(lines) + ("\n" if lines else "")


def read_signatures(repo: GitRepo, policy: Policy, commits: list[str]) -> dict[str, CommitSignature]:
    """The signature facts of each commit, in one ``git log --no-walk`` run."""
    if not commits:
        return {}
    with tempfile.TemporaryDirectory(prefix="govpub-signers-") as tmp:
        signers = Path(tmp) / "allowed_signers"
        signers.write_text(allowed_signers_text(policy), encoding="utf-8")
        out = repo.run("-c", f"gpg.ssh.allowedSignersFile={signers}", "log",
                       "--no-walk=unsorted", "--format=%H%x00%G?%x00%GK%x00%GF%x00%GP%x00%GS%x1e",
                       *commits, "--")
    result = {}
    for record in out.decode("utf-8", "replace").split("\x1e"):
        fields = record.strip("\n").split("\0")
        if len(fields) == 6:
            sig = CommitSignature(*fields)
            result[sig.commit] = sig
    return result


def needs_signature(reviewer: Reviewer) -> bool:
    return bool(reviewer.keys or reviewer.gpg_fingerprints)


def signature_problem(reviewer: Reviewer, sig: CommitSignature | None) -> str | None:
    """Why this commit's signature does not prove ``reviewer`` made it; None when it does."""
    if sig is None or sig.status == "N":
        return _("the sign-off commit is not signed, but reviewers.yml lists signing keys "
                 "for {reviewer}").format(reviewer=reviewer.id)
    ssh_prints = {p for p in (ssh_fingerprint(k) for k in reviewer.keys) if p}
    gpg_prints = {f.upper() for f in reviewer.gpg_fingerprints}
    if sig.key.startswith("SHA256:"):
        if sig.key not in ssh_prints:
            return _("the sign-off commit is signed with SSH key {key}, which is not one of "
                     "{reviewer}'s keys in reviewers.yml ({status})").format(
                key=sig.key, reviewer=reviewer.id, status=status_words(sig.status))
        if sig.status != "G" or sig.signer != reviewer.id:
            return _("the sign-off commit carries {status} from {reviewer}'s key").format(
                status=status_words(sig.status), reviewer=reviewer.id)
        return None
    prints = {sig.fingerprint.upper(), sig.primary_fingerprint.upper()} - {""}
    if not prints:
        return _("the sign-off commit carries {status}; import the reviewers' public GPG keys "
                 "(gpg --import) where the check runs").format(status=status_words(sig.status))
    if not prints & gpg_prints:
        return _("the sign-off commit is signed with GPG key {key}, which is not one of "
                 "{reviewer}'s fingerprints in reviewers.yml").format(
            key=sig.fingerprint or sig.key, reviewer=reviewer.id)
    if sig.status not in ("G", "U"):
        return _("the sign-off commit carries {status}").format(status=status_words(sig.status))
    return None


__all__ = ["CommitSignature", "allowed_signers_text", "needs_signature", "read_signatures",
           "signature_problem", "ssh_fingerprint", "status_words"]
