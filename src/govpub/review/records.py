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

import os
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from ..atomic import write_atomic
from ..checkcache import record_reader
from ..config import REVIEW_DIR, Policy, describe_schema_error
from ..digest import digest_for
from ..errors import BlockedError, UsageError
from ..i18n import _
from ..safepath import check_relative
from ..typeschema import plain_schema
from ..yamlsimple import takes_characters
from ..yamlstrict import one_line_text, parse_yaml
from .subjects import Subject, content_subject

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
                    "reason_code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                    "reason": {"type": "string"},
                    "commit": {"type": "string", "pattern": "^[0-9a-f]{40}([0-9a-f]{24})?$",
                               "description": "The commit the reviewer reviewed."},
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
    #: a rejection's reason code (reviewers.yml ``reject_reasons``); "" on approvals
    reason_code: str = ""
    commit: str = ""  # the commit the reviewer reviewed (written by `govpub review approve`)

    def as_dict(self) -> dict:
        data = {"reviewer": self.reviewer, "at": self.at, "decision": self.decision}
        if self.reason_code:
            data["reason_code"] = self.reason_code
        if self.note:
            data["note" if self.decision == "public" else "reason"] = self.note
        if self.commit:
            data["commit"] = self.commit
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


def _unreadable(exc: Exception) -> tuple[None, list[RecordProblem]]:
    return None, [RecordProblem(1, _("cannot read the sign-off record: {error}").format(
        error=exc))]


#: the lines of a record as ``govpub review approve`` writes it (SignoffRecord.to_yaml)
_HEAD = re.compile(r"content: ([^\n]*)\ndigest: ([^\n]*)\nsignoffs:\n")
_SIGNOFF = re.compile(r"- reviewer: ([^\n]*)\n  at: ([^\n]*)\n  decision: ([^\n]*)\n"
                      r"(?:  reason_code: ([^\n]*)\n)?(?:  (note|reason): ([^\n]*)\n)?"
                      r"(?:  commit: ([^\n]*)\n)?")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_REASON_CODE = re.compile(r"[a-z0-9][a-z0-9-]*")
_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def _written_shape(text: str) -> SignoffRecord | None:
    """The record, when ``text`` has exactly the shape SignoffRecord.to_yaml writes and
    every value is valid; None for anything else (the full reading then decides).

    Most of a 10,000-page check's records are read here, at a fifth of the cost of
    the general YAML reader; ``tests/test_record_fast_path.py`` holds the two to the
    same result.
    """
    head = _HEAD.match(text)
    if head is None or not takes_characters(text):
        return None
    content, digest = one_line_text(head.group(1), True), one_line_text(head.group(2), True)
    if content is None or digest is None or not _DIGEST.fullmatch(digest):
        return None
    at, end, line = head.end(), len(text), 4
    signoffs = []
    while at < end:
        item = _SIGNOFF.match(text, at)
        if item is None:
            return None
        reviewer, when, decision, code, _note_key, note, commit = item.groups()
        values = [one_line_text(v, True) for v in (reviewer, when, decision)]
        if None in values or values[2] not in DECISIONS:
            return None
        extra = {}
        for name, raw, pattern in (("reason_code", code, _REASON_CODE), ("note", note, None),
                                   ("commit", commit, _COMMIT)):
            if raw is not None:
                value = one_line_text(raw, True)
                if value is None or (pattern is not None and not pattern.fullmatch(value)):
                    return None
                extra[name] = value
        signoffs.append(Signoff(reviewer=values[0], at=values[1], decision=values[2],
                                line=line, **extra))
        line += text.count("\n", at, item.end())
        at = item.end()
    if not signoffs:
        return None
    return SignoffRecord(content, digest, signoffs)


def parse_record(raw: bytes) -> tuple[SignoffRecord | None, list[RecordProblem]]:
    """A sign-off record from its bytes: (record, []) or (None, the problems)."""
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        return _unreadable(exc)
    quick = _written_shape(text)
    if quick is not None:
        return quick, []
    return parse_record_fully(text)


def parse_record_fully(text: str) -> tuple[SignoffRecord | None, list[RecordProblem]]:
    """:func:`parse_record` through the general YAML reader and the schema (the fast
    path's reference)."""
    result = parse_yaml(text)
    if result.problems:
        return None, [RecordProblem(p.line, p.message) for p in result.problems]
    errors = sorted(_RECORD_VALIDATOR.iter_errors(result.data),
                    key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        return None, [RecordProblem(result.line_of(tuple(e.absolute_path)),
                                    _("malformed sign-off record: {problem}").format(
                                        problem=describe_schema_error(e)))
                      for e in errors]
    data = result.data
    signoffs = [Signoff(reviewer=s["reviewer"], at=s["at"], decision=s["decision"],
                        note=s.get("note", s.get("reason", "")),
                        line=result.line_of(("signoffs", i)),
                        reason_code=s.get("reason_code", ""), commit=s.get("commit", ""))
                for i, s in enumerate(data["signoffs"])]
    return SignoffRecord(data["content"], data["digest"], signoffs), []


#: ``read_record(record_file)`` → (record, []) or (None, problems). A pure function of
#: the file's bytes, read once: while a check runs, the check cache keeps its results.
read_record = record_reader(parse_record, _unreadable)


def load_records(policy: Policy) -> dict[str, tuple[Path, SignoffRecord | None,
                                                     list[RecordProblem]]]:
    """Every record under ``review/``, keyed by the content path its location names."""
    records = {}
    if not policy.review_dir.is_dir():
        return records
    policy_records = policy.review_dir / "_policy"  # review.subjects.POLICY_RECORDS
    for record_file in sorted(policy.review_dir.rglob("*" + RECORD_SUFFIX)):
        if record_file.is_symlink() or not record_file.is_file() \
                or record_file.is_relative_to(policy_records):
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
            raise UsageError(_("{path} is not a file under content/").format(path=path),
                             hint=_("give the path of a page or attachment in content/"))
    if not candidate.is_file():
        raise UsageError(_("{path} does not exist or is not a file").format(path=path))
    rel = candidate.relative_to(content_dir).as_posix()
    if not _CONTENT_PATH.match(rel):
        raise UsageError(_("{path} is not a valid content path").format(path=path))
    return rel


def add_signoff(policy: Policy, content_path: str, reviewer_id: str, decision: str,
                note: str, now: datetime, *, expect_digest: str | None = None,
                reason_code: str = "", subject: Subject | None = None,
                data: bytes | None = None, commit: str = "") -> SignoffRecord:
    """Record a decision on the file's current version and write the record atomically.

    ``subject`` (default: the content file ``content_path``) may be a policy
    file; ``data`` the bytes already read and shown to the reviewer (default:
    read them now; a policy file that is gone is signed off as no bytes).
    ``commit``: the commit the reviewer reviewed (HEAD), kept with the sign-off
    so that a branch rewritten after approval can be told apart (GP216).
    Sign-offs on an older digest are void and dropped; a reviewer's earlier
    decision on this digest is replaced by the new one. ``expect_digest``: the
    version the reviewer was shown; if the file no longer has it, nothing is
    written (BlockedError).
    """
    if reviewer_id not in policy.reviewers:
        raise UsageError(_("{reviewer} is not a reviewer in site_config/reviewers.yml").format(
            reviewer=repr(reviewer_id)))
    if decision not in DECISIONS:
        raise UsageError(_("decision must be one of {choices}").format(
            choices=", ".join(DECISIONS)))
    subject = subject or content_subject(policy, content_path)
    if data is None:
        file = policy.root / subject.site_path
        data = read_regular(file) if file.exists() or not subject.is_policy else b""
    digest = digest_for(subject.path, data)
    if expect_digest is not None and digest != expect_digest:
        raise changed_since_shown(subject.path, expect_digest, digest)
    record_file = policy.root / subject.record_site_path
    existing = None
    if record_file.exists():
        existing, _problems = read_record(record_file)
    keep = [s for s in (existing.signoffs if existing and existing.digest == digest
                        and existing.content == subject.path else [])
            if s.reviewer != reviewer_id]
    at = now.astimezone(policy.timezone).replace(microsecond=0).isoformat()
    record = SignoffRecord(content=subject.path, digest=digest,
                           signoffs=[*keep, Signoff(reviewer_id, at, decision, note,
                                                    reason_code=reason_code,
                                                    commit=commit)])
    write_atomic(record_target(policy, subject.record_site_path), record.to_yaml())
    return record


def changed_since_shown(content_path: str, shown: str, now: str) -> BlockedError:
    """The refusal when a file is no longer the version the reviewer was shown."""
    return BlockedError(
        _("content/{path} changed after it was shown to you (shown {shown}…, now {now}…); "
          "nothing was written").format(path=content_path, shown=shown[:19], now=now[:19]),
        hint=_("look at the change again (govpub review diff) and decide on what you see"))


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file, never through a symbolic link."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise UsageError(_("{name}: cannot be read without following a link or at all "
                           "({error})").format(name=path.name, error=exc.strerror),
                         hint=_("approve regular files only")) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UsageError(_("{name} is not a regular file").format(name=path.name),
                             hint=_("approve regular files only"))
        return handle.read()


def record_target(policy: Policy, record_site_path: str) -> Path:
    """Where a record is written, refusing a symbolic link anywhere on the way: a link
    planted in review/ must not redirect the write out of the repository."""
    check_relative(record_site_path)
    current = policy.root
    for part in record_site_path.split("/"):
        current = current / part
        if current.is_symlink():
            raise UsageError(_("cannot write {record}: {link} is a symbolic link").format(
                record=record_site_path, link=current.relative_to(policy.root).as_posix()),
                hint=_("replace the link with a plain folder (review/ holds records only)"))
    return current


def write_record(policy: Policy, record: SignoffRecord) -> Path:
    record_file = record_path_for(policy, record.content)
    write_atomic(record_file, record.to_yaml())
    return record_file


__all__ = ["REVIEW_DIR", "RecordProblem", "Signoff", "SignoffRecord", "add_signoff",
           "changed_since_shown",
           "content_path_for", "content_path_of", "load_records", "read_record",
           "record_path_for", "write_record"]
