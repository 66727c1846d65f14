"""Sign-off records in ``review/`` (DESIGN.md section 5).

A record lives at ``review/<path under content>.yml`` and binds reviewers'
decisions to one exact version of the file through its digest::

    content: notices/2026-11-20-fee-reduction.md
    digest: sha256:<64 hex>
    signoffs:
      - reviewer: li-wei
        at: 2026-11-20T10:00:00+08:00
        decision: public
        note: checked against the official document

Reading never raises for a bad record: problems come back as
``RecordProblem`` values that the sign-off rules turn into findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from ..atomic import write_atomic
from ..checkcache import memoized_record_reader
from ..config import REVIEW_DIR, Policy, describe_schema_error
from ..digest import digest_for
from ..errors import UsageError
from ..typeschema import plain_schema
from ..yamlstrict import parse_yaml

RECORD_SUFFIX = ".yml"
DECISIONS = ("public", "not-public")

RECORD_SCHEMA = {
    "type": "object",
    "required": ["content", "digest", "signoffs"],
    "additionalProperties": False,
    "properties": {
        "content": {"type": "string"},
        "digest": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
        "signoffs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["reviewer", "at", "decision"],
                "additionalProperties": False,
                "properties": {
                    "reviewer": {"type": "string"},
                    "at": {"type": "string"},
                    "decision": {"enum": list(DECISIONS)},
                    "note": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
    },
}


_RECORD_VALIDATOR = plain_schema(RECORD_SCHEMA)


@dataclass(frozen=True)
class Signoff:
    reviewer: str
    at: str
    decision: str
    note: str = ""
    line: int = 1

    def as_dict(self) -> dict:
        data = {"reviewer": self.reviewer, "at": self.at, "decision": self.decision}
        if self.note:
            data["note" if self.decision == "public" else "reason"] = self.note
        return data


@dataclass
class SignoffRecord:
    content: str
    digest: str
    signoffs: list[Signoff] = field(default_factory=list)

    def public_reviewers(self) -> set[str]:
        return {s.reviewer for s in self.signoffs if s.decision == "public"}

    def to_yaml(self) -> str:
        data = {"content": self.content, "digest": self.digest,
                "signoffs": [s.as_dict() for s in self.signoffs]}
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


@dataclass(frozen=True)
class RecordProblem:
    line: int
    message: str


def record_path_for(policy: Policy, content_path: str) -> Path:
    return policy.review_dir / (content_path + RECORD_SUFFIX)


def content_path_for(policy: Policy, record_file: Path) -> str:
    rel = record_file.relative_to(policy.review_dir).as_posix()
    return rel.removesuffix(RECORD_SUFFIX)


@memoized_record_reader  # a pure function of the file's bytes: the check cache keeps it
def read_record(record_file: Path) -> tuple[SignoffRecord | None, list[RecordProblem]]:
    try:
        raw = record_file.read_bytes()
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [RecordProblem(1, f"cannot read the sign-off record: {exc}")]
    result = parse_yaml(text)
    if result.problems:
        return None, [RecordProblem(p.line, p.message) for p in result.problems]
    errors = sorted(_RECORD_VALIDATOR.iter_errors(result.data),
                    key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        return None, [RecordProblem(result.line_of(tuple(e.absolute_path)),
                                    "malformed sign-off record: " + describe_schema_error(e))
                      for e in errors]
    data = result.data
    signoffs = [Signoff(reviewer=s["reviewer"], at=s["at"], decision=s["decision"],
                        note=s.get("note", s.get("reason", "")),
                        line=result.line_of(("signoffs", i)))
                for i, s in enumerate(data["signoffs"])]
    return SignoffRecord(data["content"], data["digest"], signoffs), []


def load_records(policy: Policy) -> dict[str, tuple[Path, SignoffRecord | None,
                                                     list[RecordProblem]]]:
    """Every record under ``review/``, keyed by the content path its location names."""
    records = {}
    if not policy.review_dir.is_dir():
        return records
    for record_file in sorted(policy.review_dir.rglob("*" + RECORD_SUFFIX)):
        if record_file.is_symlink() or not record_file.is_file():
            continue
        record, problems = read_record(record_file)
        records[content_path_for(policy, record_file)] = (record_file, record, problems)
    return records


_CONTENT_PATH = re.compile(r"^[^/\0][^\0]*$")


def content_path_of(policy: Policy, path: str | Path) -> str:
    """Map a user-given path (``content/x.md``, ``x.md`` or absolute) to a content path."""
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = Path.cwd() / candidate
    candidate = candidate.resolve()
    content_dir = policy.content_dir.resolve()
    if not candidate.is_relative_to(content_dir):
        alt = (content_dir / Path(path)).resolve()
        if alt.is_relative_to(content_dir) and alt.exists():
            candidate = alt
        else:
            raise UsageError(f"{path} is not a file under content/",
                             hint="give the path of a page or attachment in content/")
    if not candidate.is_file():
        raise UsageError(f"{path} does not exist or is not a file")
    rel = candidate.relative_to(content_dir).as_posix()
    if not _CONTENT_PATH.match(rel):
        raise UsageError(f"{path} is not a valid content path")
    return rel


def add_signoff(policy: Policy, content_path: str, reviewer_id: str, decision: str,
                note: str, now: datetime) -> SignoffRecord:
    """Record a decision on the file's current version and write the record atomically.

    Sign-offs on an older digest are void and dropped; a reviewer's earlier
    decision on this digest is replaced by the new one.
    """
    if reviewer_id not in policy.reviewers:
        raise UsageError(f"{reviewer_id!r} is not a reviewer in site_config/reviewers.yml")
    if decision not in DECISIONS:
        raise UsageError(f"decision must be one of {', '.join(DECISIONS)}")
    file = policy.content_dir / content_path
    digest = digest_for(content_path, file.read_bytes())
    record_file = record_path_for(policy, content_path)
    existing = None
    if record_file.exists():
        existing, _problems = read_record(record_file)
    keep = [s for s in (existing.signoffs if existing and existing.digest == digest else [])
            if s.reviewer != reviewer_id]
    at = now.astimezone(policy.timezone).replace(microsecond=0).isoformat()
    record = SignoffRecord(content=content_path, digest=digest,
                           signoffs=[*keep, Signoff(reviewer_id, at, decision, note)])
    write_record(policy, record)
    return record


def write_record(policy: Policy, record: SignoffRecord) -> Path:
    record_file = record_path_for(policy, record.content)
    write_atomic(record_file, record.to_yaml())
    return record_file


__all__ = ["REVIEW_DIR", "RecordProblem", "Signoff", "SignoffRecord", "add_signoff",
           "content_path_for", "content_path_of", "load_records", "read_record",
           "record_path_for", "write_record"]
