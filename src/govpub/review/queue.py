"""The review queue: what awaits review, told so that a reviewer knows what it is.

``review status`` prints it and the review desk shows it: each file's title,
column, type, authors since its approved version, age, review level and
who signed the levels already, rejections with their reasons, and the
number of blocking findings (the rules run once over the whole site, so a
reviewer sees at the moment of decision what the check will say).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from ..checker import CheckResult, check_repository
from ..config import CONTENT_DIR, Policy
from ..findings import Finding
from ..i18n import _, ngettext
from .approval import ApprovalState, evaluate
from .gitrun import GitRepo, find_repo
from .history import content_authorship
from .reasons import reason_label
from .workflow import awaiting_review

#: the sign-off rules whose findings *are* the review state (no record, stale record,
#: rejected, too few levels): a queue item has them by definition, so they are not
#: counted among its findings
REVIEW_STATE_RULES = frozenset({"GP201", "GP202", "GP204", "GP205", "GP209"})

#: the state of an item, for machines (``--format json``); words for people come from
#: :func:`state_text`
UNSIGNED, CHANGED, PARTIAL, REJECTED, UNREADABLE = (
    "unsigned", "changed", "partial", "rejected", "unreadable-record")


@dataclass(frozen=True)
class Rejection:
    reviewer: str
    reviewer_name: str
    code: str
    label: str
    reason: str

    def as_dict(self) -> dict:
        return {"reviewer": self.reviewer, "code": self.code, "label": self.label,
                "reason": self.reason}


@dataclass
class QueueItem:
    content_path: str
    state: str
    digest: str
    title: str
    column: str
    column_title: str
    type: str
    level: int  # the level of sign-off this version awaits (1 = first)
    required: int
    signed_by: list[str] = field(default_factory=list)  # reviewer ids, current version
    rejections: list[Rejection] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    author_emails: set[str] = field(default_factory=set)
    changed_at: datetime | None = None
    changed_by: str = ""
    findings: list[Finding] = field(default_factory=list)  # minus the review-state ones

    @property
    def repo_path(self) -> str:
        return f"{CONTENT_DIR}/{self.content_path}"

    @property
    def blocking(self) -> int:
        return sum(1 for f in self.findings if f.blocking)

    def age(self, now: datetime) -> timedelta | None:
        return now - self.changed_at if self.changed_at else None

    def as_dict(self, now: datetime) -> dict:
        age = self.age(now)
        return {
            "path": self.repo_path, "state": self.state, "reason": state_text(self),
            "digest": self.digest, "title": self.title, "column": self.column,
            "column_title": self.column_title, "type": self.type,
            "level": self.level, "required": self.required, "signed_by": self.signed_by,
            "rejections": [r.as_dict() for r in self.rejections],
            "authors": self.authors,
            "changed_at": self.changed_at.isoformat() if self.changed_at else None,
            "changed_by": self.changed_by,
            "age_hours": round(age.total_seconds() / 3600, 1) if age is not None else None,
            "blocking_findings": self.blocking,
            "findings": [f.as_dict() for f in self.findings],
        }


def state_of(state: ApprovalState) -> str:
    if state.record_file is None:
        return UNSIGNED
    if state.record is None:
        return UNREADABLE
    if not state.digest_matches:
        return CHANGED
    if state.rejected_by:
        return REJECTED
    return PARTIAL


def state_text(item: QueueItem) -> str:
    """The state in words."""
    if item.state == UNSIGNED:
        return _("no sign-off record")
    if item.state == UNREADABLE:
        return _("sign-off record unreadable")
    if item.state == CHANGED:
        return _("changed since approval")
    if item.state == REJECTED:
        return _("rejected")
    return _("{have} of {required} sign-off(s)").format(have=len(item.signed_by),
                                                         required=item.required)


def age_text(age: timedelta | None) -> str:
    if age is None:
        return "?"
    hours = int(age.total_seconds() // 3600)
    if hours < 48:
        return ngettext("{count} hour", "{count} hours", max(hours, 0)).format(
            count=max(hours, 0))
    days = hours // 24
    return ngettext("{count} day", "{count} days", days).format(count=days)


def _rejections(policy: Policy, state: ApprovalState) -> list[Rejection]:
    if state.record is None or not state.digest_matches:
        return []
    out = []
    for signoff in state.record.signoffs:
        if signoff.decision != "public" and signoff.reviewer in policy.reviewers:
            out.append(Rejection(signoff.reviewer, policy.reviewers[signoff.reviewer].name,
                                 signoff.reason_code,
                                 reason_label(policy, signoff.reason_code), signoff.note))
    return out


def _describe(policy: Policy, result: CheckResult, path: str, state: ApprovalState) -> QueueItem:
    doc = result.context.corpus.documents[path]
    column = policy.column_for(path)
    if doc.is_page:
        title = str(doc.meta.get("title", "")) if doc.has_meta else ""
        kind = str(doc.meta.get("type", "")) if doc.has_meta and doc.meta.get("type") else (
            column.type if column else "page")
    else:
        title = PurePosixPath(path).name
        kind = "attachment"
    signed = sorted(state.approvers) if state.digest_matches else []
    return QueueItem(
        content_path=path, state=state_of(state), digest=doc.digest, title=title,
        column=doc.column, column_title=column.title if column else "", type=kind,
        level=min(len(signed) + 1, state.required), required=state.required,
        signed_by=signed, rejections=_rejections(policy, state),
        findings=[f for f in result.findings_for(path) if f.rule not in REVIEW_STATE_RULES])


def build_queue(policy: Policy, now: datetime, *, result: CheckResult | None = None,
                repo: GitRepo | None = None, authors: bool = True) -> list[QueueItem]:
    """Every file awaiting review, oldest change first.

    ``authors``: read each file's history since its approved version (the
    four-eyes definition of its authors); this walks history once per file.
    """
    result = result if result is not None else check_repository(policy, now)
    states, _orphans = evaluate(policy, result.context.corpus.documents)
    awaiting = {p: s for p, s in states.items() if not s.approved}
    items = []
    for entry in awaiting_review(policy, awaiting):
        item = _describe(policy, result, entry.content_path, awaiting[entry.content_path])
        item.changed_at, item.changed_by = entry.changed_at, entry.changed_by
        items.append(item)
    if authors:
        repo = repo if repo is not None else find_repo(policy.root)
        if repo is not None and repo.has_head():
            for item in items:
                authorship = content_authorship(repo, policy, item.content_path, base=None)
                item.authors = authorship.names
                item.author_emails = authorship.emails
    return items


def select(items: list[QueueItem], *, column: str | None = None,
           level: int | None = None) -> list[QueueItem]:
    """The items of one column (folder under content/) and/or awaiting one review level."""
    out = items
    if column:
        out = [i for i in out if i.column == column.strip("/")]
    if level:
        out = [i for i in out if i.level == level and i.state != REJECTED]
    return out


__all__ = ["REVIEW_STATE_RULES", "QueueItem", "Rejection", "age_text", "build_queue",
           "select", "state_text"]
