"""Is a file approved? The evaluation the sign-off rules and `review status` share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import Policy
from .records import RecordProblem, SignoffRecord, load_records


@dataclass
class ApprovalState:
    content_path: str
    record_file: Path | None = None
    record: SignoffRecord | None = None
    problems: list[RecordProblem] = field(default_factory=list)
    digest_matches: bool = False
    unknown_reviewers: list[str] = field(default_factory=list)
    rejected_by: list[str] = field(default_factory=list)
    approvers: set[str] = field(default_factory=set)
    required: int = 1

    @property
    def approved(self) -> bool:
        return (self.record is not None and self.digest_matches and not self.rejected_by
                and len(self.approvers) >= self.required)


def evaluate(policy: Policy, documents: dict) -> tuple[dict[str, ApprovalState], dict]:
    """Approval state of every content file, and the records without a content file."""
    records = load_records(policy)
    states: dict[str, ApprovalState] = {}
    for path, doc in documents.items():
        state = ApprovalState(content_path=path, required=policy.levels_for(path))
        entry = records.get(path)
        if entry is not None:
            state.record_file, state.record, problems = entry
            state.problems = list(problems)
            if state.record is not None and state.record.content != path:
                state.problems.append(RecordProblem(
                    1, f"record says content: {state.record.content!r} but is stored for "
                       f"{path!r} — a record must live at review/<content path>.yml"))
                state.record = None
        record = state.record
        if record is not None:
            state.digest_matches = record.digest == doc.digest and bool(doc.digest)
            if state.digest_matches:
                for signoff in record.signoffs:
                    if signoff.reviewer not in policy.reviewers:
                        state.unknown_reviewers.append(signoff.reviewer)
                    elif signoff.decision == "public":
                        state.approvers.add(signoff.reviewer)
                    else:
                        state.rejected_by.append(signoff.reviewer)
        states[path] = state
    orphans = {path: entry for path, entry in records.items() if path not in documents}
    return states, orphans
