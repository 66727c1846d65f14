"""Terminal text of ``govpub review diff``: what changed, by whom, and the digest to approve."""

from __future__ import annotations

from collections.abc import Iterator

import click

from ..config import CONTENT_DIR
from ..i18n import _
from ..review.changes import ADDED, REMOVED, FileChanges
from ..review.readertext import FIELD
from ..review.textdiff import DELETE, INSERT, Piece, plain_pieces

_COLOURS = {DELETE: "red"}


def _style(kind: str, text: str) -> str:
    return click.style(text, fg=_COLOURS.get(kind, "green"), bold=True)


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


def _size(count: int) -> str:
    return _("{count} bytes").format(count=f"{count:,}")


def header_lines(fc: FileChanges) -> Iterator[str]:
    shown = f"{CONTENT_DIR}/{fc.content_path}"
    yield f"{shown} — {fc.title}" if fc.title else shown
    if fc.is_new:
        yield _("no approved version in git history — the whole file is new to review")
    else:
        yield _("changes since the approved version (commit {commit})").format(
            commit=fc.approved_commit[:12] if fc.approved_commit else "?")
    if fc.commits:
        yield (_("commits that wrote it, oldest first:") if fc.is_new
               else _("commits since the approved version, oldest first:"))
        for c in fc.commits:
            line = f"  {c.commit[:12]}  {c.when:%Y-%m-%d %H:%M}  {c.author}"
            if c.subject:
                line += f"  “{c.subject}”"
            what = c.summary()
            if what:
                line += "  — " + what
            yield line
    if fc.uncommitted:
        yield "  " + _("(uncommitted changes in the work tree)")


def body_lines(fc: FileChanges) -> Iterator[str]:
    text = fc.new_text
    if text.binary:
        yield _("binary file: {old} -> {new}, no text to compare").format(
            old=_size(len(fc.old_bytes or b"")), new=_size(len(fc.new_bytes)))
        return
    if text.error:
        yield _("the text of this file cannot be read ({error}); compare the files "
                "yourself").format(error=text.error)
    if fc.is_new:
        for section in text.sections:
            yield ""
            yield section.label()
            yield _indent(section.text)
        return
    if not fc.changes:
        if fc.hidden_change:
            yield _("nothing a reader sees changed, but the source did (markup, spacing, "
                    "line breaks) — see it with --source")
        else:
            yield _("no change since the approved version")
        return
    for change in fc.changes:
        yield ""
        if change.status == ADDED:
            yield _("{section} (added)").format(section=change.label())
            yield _indent(plain_pieces([Piece(INSERT, change.new.text)], style=_style,
                                       trim=False))
            continue
        if change.status == REMOVED:
            yield _("{section} (removed)").format(section=change.label())
            yield _indent(plain_pieces([Piece(DELETE, change.old.text)], style=_style,
                                       trim=False))
            continue
        yield change.label()
        numbered = change.section.kind != FIELD or "\n" in change.new.text
        for hunk in change.hunks:
            if numbered:
                yield "  " + _("line {number}:").format(number=hunk.new_start)
            yield _indent(plain_pieces(hunk.pieces, style=_style))


def approve_hint(fc: FileChanges) -> str:
    return _("to approve exactly this version: govpub review approve {path} --digest "
             "{digest}").format(path=f"{CONTENT_DIR}/{fc.content_path}", digest=fc.digest)


__all__ = ["approve_hint", "body_lines", "header_lines"]
