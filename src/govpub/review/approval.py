"""Is a file approved? The evaluation the sign-off rules and `review status` share."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Policy
from ..filetree import status_of
from ..i18n import _
from .records import (
    RECORD_SUFFIX,
    REVIEW_DIR,
    RecordProblem,
    SignoffRecord,
    read_record,
)
from .subjects import POLICY_RECORDS


@dataclass
class ApprovalState:
    content_path: str
    #: the record's file name (see record_file): text, made into a Path only when asked
    #: (making one for each of 10,000 records was a tenth of the sign-off rules' time)
    record_text: str | None = None
    record: SignoffRecord | None = None
    problems: list[RecordProblem] = field(default_factory=list)
    digest_matches: bool = False
    unknown_reviewers: list[str] = field(default_factory=list)
    rejected_by: list[str] = field(default_factory=list)
    approvers: set[str] = field(default_factory=set)
    required: int = 1

    @property
    def record_file(self) -> Path | None:
        """``review/<path>.yml`` when it exists as a regular file, else None."""
        return None if self.record_text is None else Path(self.record_text)

    @property
    def approved(self) -> bool:
        return (self.record is not None and self.digest_matches and not self.rejected_by
                and len(self.approvers) >= self.required)


def evaluate_one(policy: Policy, doc) -> ApprovalState:
    """Approval state of one content file, from its own record only."""
    state = ApprovalState(content_path=doc.path, required=policy.levels_for(doc.path))
    # the file record_path_for names, as text (see ApprovalState.record_text)
    record_text = os.path.join(policy.root, REVIEW_DIR, doc.path + RECORD_SUFFIX)
    try:
        found = os.lstat(record_text)
    except OSError:
        return state
    if not stat.S_ISREG(found.st_mode):  # a symlink is not a record
        return state
    state.record_text = record_text
    # the status just taken: the check cache knows the record by it (not taken twice)
    state.record, problems = read_record(record_text, status_of(found))
    state.problems = list(problems)
    if state.record is not None and state.record.content != doc.path:
        state.problems.append(RecordProblem(
            1, _("record says content: {named} but is stored for {path} — a record must "
                 "live at review/<content path>.yml").format(named=repr(state.record.content),
                                                             path=repr(doc.path))))
        state.record = None
    record = state.record
    if record is None:
        return state
    state.digest_matches = bool(doc.digest) and record.digest == doc.digest
    if state.digest_matches:
        for signoff in record.signoffs:
            if signoff.reviewer not in policy.reviewers:
                state.unknown_reviewers.append(signoff.reviewer)
            elif signoff.decision == "public":
                state.approvers.add(signoff.reviewer)
            else:
                state.rejected_by.append(signoff.reviewer)
    return state


def orphan_records(policy: Policy, documents: dict) -> list[tuple[str, Path]]:
    """(content path, record file) of every record whose content file does not exist."""
    orphans = []
    for folder, dirs, names in os.walk(policy.review_dir):
        prefix = Path(folder).relative_to(policy.review_dir).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        if not prefix and POLICY_RECORDS in dirs:
            dirs.remove(POLICY_RECORDS)  # the policy files' records: see review.subjects
        for name in names:
            if name.endswith(RECORD_SUFFIX) and prefix + name[:-len(RECORD_SUFFIX)] \
                    not in documents:
                orphans.append((prefix + name[:-len(RECORD_SUFFIX)], Path(folder) / name))
    return sorted(orphans)


def evaluate(policy: Policy, documents: dict) -> tuple[dict[str, ApprovalState],
                                                       list[tuple[str, Path]]]:
    """Approval state of every content file, and the records without a content file."""
    return ({path: evaluate_one(policy, doc) for path, doc in documents.items()},
            orphan_records(policy, documents))
