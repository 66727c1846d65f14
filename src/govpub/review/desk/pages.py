"""The desk's HTML: Jinja templates (autoescaped) fed with plain values.

Every word a reviewer reads comes from the message catalog (:data:`LABELS`,
translated at render time); values from the repository — titles, names,
reasons, diff text — are escaped by the template engine, and the diff's
marks are built here from escaped text.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

from ...config import CONTENT_DIR, Policy, Reviewer
from ...i18n import N_, _, current_language, translate_table
from ..changes import ADDED, REMOVED, FileChanges
from ..queue import REJECTED, QueueItem, age_text, state_text
from ..readertext import FIELD
from ..reasons import reason_label
from ..textdiff import DELETE, EQUAL, INSERT, Piece

TEMPLATES = Path(__file__).with_name("templates")

LABELS = {
    "desk": N_("Confidentiality review desk"),
    "skip": N_("Skip to main content"),
    "reviewer": N_("Reviewer: {name} ({id})"),
    "queue": N_("Awaiting review"),
    "queue_caption": N_("Files awaiting review, oldest change first"),
    "filter": N_("Apply filters"),
    "column": N_("Column"),
    "all_columns": N_("All columns"),
    "level": N_("Review level"),
    "all_levels": N_("All levels"),
    "level_n": N_("Level {level}"),
    "title": N_("Title"),
    "type": N_("Content type"),
    "authors": N_("Authors"),
    "waiting": N_("Waiting since the change"),
    "state": N_("Review state"),
    "blocking": N_("Blocking findings"),
    "count": N_("{shown} of {total} files shown"),
    "empty": N_("Nothing awaits review."),
    "yours": N_("changed by you"),
    "back": N_("Back to the queue"),
    "file": N_("File path"),
    "digest": N_("Digest (the version you see)"),
    "download": N_("Download the file"),
    "what_changed": N_("What changed"),
    "reader_view": N_("Reader's text"),
    "source_view": N_("Source diff"),
    "views": N_("How to show the change"),
    "commits": N_("Commits"),
    "commit": N_("Commit id"),
    "author": N_("Commit author"),
    "time": N_("Commit time"),
    "message": N_("Commit message"),
    "changed": N_("What the commit changed"),
    "new_file": N_("No approved version: the whole file is new to review."),
    "since": N_("Changes since the approved version (commit {commit})."),
    "no_change": N_("No change since the approved version."),
    "hidden_change": N_("Nothing a reader sees changed, but the source did (markup, spacing, "
                        "line breaks): see the source diff."),
    "binary": N_("This file has no text to compare ({old} → {new} bytes)."),
    "unreadable": N_("The text of this file cannot be read ({error}); download the file and "
                     "compare it yourself."),
    "uncommitted": N_("The file has uncommitted changes in the work tree."),
    "rendered": N_("The page as it will be published"),
    "rendered_help": N_("Added text is underlined on green, removed text struck through on red. "
                        "Scripts and forms of the page do not run here."),
    "rendered_frame": N_("Rendered page: {title}"),
    "open_rendered": N_("Open the rendered page on its own"),
    "findings": N_("Findings of the check"),
    "no_findings": N_("No findings: the rules pass this file."),
    "rule": N_("Rule id"),
    "severity": N_("Severity"),
    "problem": N_("What the rule says"),
    "where": N_("File and line"),
    "signoffs": N_("Sign-offs on this version"),
    "no_signoffs": N_("Nobody has signed this version yet."),
    "decision": N_("Your decision"),
    "approve": N_("Approve and sign"),
    "approve_legend": N_("Approve this version for publication"),
    "note": N_("Note (optional): what you checked"),
    "reject": N_("Reject this version"),
    "reject_legend": N_("Reject: this version must not be published"),
    "reason_code": N_("Reason for rejecting"),
    "reason_text": N_("Explanation (required for “other”)"),
    "cannot_approve": N_("You cannot approve this version: {why}"),
    "decided_approve": N_("Approved. The sign-off is committed as {commit}."),
    "decided_reject": N_("Rejected. The decision is committed as {commit}."),
    "refused": N_("The decision was refused: {error}"),
    "binding": N_("Your decision applies to exactly this version; if the file changes "
                  "before you decide, the decision is refused."),
}


def labels() -> dict[str, str]:
    """The desk's words in the reviewer's language."""
    return translate_table(LABELS, current_language())


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    return env


def render(template: str, context: dict) -> bytes:
    lang = current_language()
    return _environment().get_template(template).render(lang=lang, **context).encode("utf-8")


# -- the diff as HTML ------------------------------------------------------------------------


def _text(text: str) -> Markup:
    return Markup("<br>").join(escape(line) for line in text.split("\n"))


def pieces_html(pieces, *, trim: bool = True) -> Markup:
    """``<ins>``/``<del>`` marks around escaped text (with words for screen readers)."""
    from ..textdiff import _trim

    pieces = list(pieces)
    out = []
    for index, piece in enumerate(pieces):
        if piece.kind == EQUAL:
            text = _trim(piece.text, first=index == 0, last=index == len(pieces) - 1) \
                if trim else piece.text
            out.append(_text(text))
        elif piece.kind == DELETE:
            out.append(Markup('<del><span class="sr">{}</span>{}</del>').format(
                _("removed: "), _text(piece.text)))
        elif piece.kind == INSERT:
            out.append(Markup('<ins><span class="sr">{}</span>{}</ins>').format(
                _("added: "), _text(piece.text)))
    return Markup("").join(out)


def section_views(fc: FileChanges) -> list[dict]:
    views = []
    for change in fc.changes:
        if change.status == ADDED:
            views.append({"label": _("{section} (added)").format(section=change.label()),
                          "hunks": [{"where": "", "html": pieces_html(
                              [Piece(INSERT, change.new.text)], trim=False)}]})
        elif change.status == REMOVED:
            views.append({"label": _("{section} (removed)").format(section=change.label()),
                          "hunks": [{"where": "", "html": pieces_html(
                              [Piece(DELETE, change.old.text)], trim=False)}]})
        else:
            numbered = change.section.kind != FIELD or "\n" in change.new.text
            views.append({"label": change.label(), "hunks": [
                {"where": _("line {number}").format(number=h.new_start) if numbered else "",
                 "html": pieces_html(h.pieces)} for h in change.hunks]})
    return views


def source_lines(fc: FileChanges) -> list[tuple[str, str]]:
    """(css class, line) of the unified diff of the source."""
    import difflib

    from ...digest import is_text_file

    if not is_text_file(fc.content_path):
        return []
    old = (fc.old_bytes or b"").decode("utf-8", "replace").replace("\r\n", "\n")
    new = fc.new_bytes.decode("utf-8", "replace").replace("\r\n", "\n")
    label = "approved" if fc.old_bytes is not None else "/dev/null"
    out = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), label, "current",
                                     lineterm=""):
        kind = "add" if line.startswith("+") else "del" if line.startswith("-") else \
            "at" if line.startswith("@@") else ""
        out.append((kind, line))
    return out


# -- view models -----------------------------------------------------------------------------


def _names(policy: Policy, ids) -> str:
    return ", ".join(policy.reviewers[i].name if i in policy.reviewers else i for i in ids)


def queue_row(policy: Policy, item: QueueItem, now: datetime, reviewer: Reviewer) -> dict:
    level = _("Level {level}").format(level=item.level) + f" / {item.required}"
    if item.signed_by:
        level += " · " + _names(policy, item.signed_by)
    state = state_text(item)
    if item.state == REJECTED and item.rejections:
        state += " · " + "; ".join(r.label or r.code for r in item.rejections)
    return {
        "path": item.content_path, "repo_path": item.repo_path,
        "title": item.title or item.content_path, "column": item.column_title or item.column,
        "type": item.type, "authors": ", ".join(a.split(" <")[0] for a in item.authors),
        "age": age_text(item.age(now)), "level": level, "state": state,
        "blocking": item.blocking,
        "yours": bool(item.author_emails & set(reviewer.emails)),
    }


def _when(at: str, policy: Policy) -> str:
    """A record's ``at`` as the reviewer reads it (the site's time zone, to the minute)."""
    from ...timeparse import DateFormatError, parse_datetime

    try:
        return f"{parse_datetime(at, policy.timezone).astimezone(policy.timezone):%Y-%m-%d %H:%M}"
    except DateFormatError:
        return at


def _signoff_lines(policy: Policy, signoffs) -> list[str]:
    lines = []
    level = 0
    for s in signoffs:
        name = policy.reviewers[s.reviewer].name if s.reviewer in policy.reviewers else s.reviewer
        at = _when(s.at, policy)
        if s.decision == "public":
            level += 1
            line = _("Level {level}: {name} ({id}), {at}").format(level=level, name=name,
                                                                  id=s.reviewer, at=at)
        else:
            line = _("Rejected by {name} ({id}), {at} — {label}").format(
                name=name, id=s.reviewer, at=at,
                label=reason_label(policy, s.reason_code) or "?")
        if s.note:
            line = _("{statement}: {note}").format(statement=line, note=s.note)
        lines.append(line)
    return lines


def why_not(reviewer: Reviewer, fc: FileChanges, item: QueueItem | None,
            signoffs) -> str | None:
    """Why this reviewer may not approve this version (the workflow decides again)."""
    if fc.uncommitted:
        return _("it has uncommitted changes in your work tree.")
    emails = fc.authorship.emails if fc.authorship else set()
    if emails & set(reviewer.emails):
        return _("you changed it since its approved version — another reviewer must approve it.")
    if any(s.reviewer == reviewer.id and s.decision == "public" for s in signoffs):
        return _("you have already approved it.")
    return None


def item_view(policy: Policy, reviewer: Reviewer, fc: FileChanges, item: QueueItem | None,
              signoffs, now: datetime) -> dict:
    column = policy.column_for(fc.content_path)
    return {
        "fc": fc,
        "title": fc.title or fc.content_path.rsplit("/", 1)[-1],
        "repo_path": f"{CONTENT_DIR}/{fc.content_path}",
        "path": fc.content_path,
        "column": column.title if column else "",
        "type": item.type if item else "",
        "state": state_text(item) if item else _("approved: nothing awaits review"),
        "age": age_text(item.age(now)) if item else "",
        "level": (_("Level {level}").format(level=item.level) + f" / {item.required}")
        if item else "",
        "authors": ", ".join(fc.authorship.names) if fc.authorship else "",
        "commits": [{"sha": c.commit[:12], "author": c.author,
                     "when": f"{c.when:%Y-%m-%d %H:%M}", "subject": c.subject,
                     "what": c.summary()} for c in fc.commits],
        "sections": section_views(fc),
        "full": [{"label": s.label(), "html": _text(s.text)} for s in fc.new_text.sections]
        if fc.is_new else [],
        "source": source_lines(fc),
        "findings": item.findings if item else [],
        "signoff_lines": _signoff_lines(policy, signoffs),
        "why_not": why_not(reviewer, fc, item, signoffs),
        "binary": fc.new_text.binary,
        "text_error": fc.new_text.error,
        "old_size": len(fc.old_bytes or b""), "new_size": len(fc.new_bytes),
    }


__all__ = ["LABELS", "item_view", "labels", "pieces_html", "queue_row", "render"]
