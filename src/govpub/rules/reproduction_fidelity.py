"""GP408 / GP409: a reproduction carries the original's text, word for word."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from ..i18n import _
from ..watch.fidelity import (
    differing_passages,
    original_copy_path,
    split_header_note,
    text_digest,
)
from . import DocumentRule, register

MAX_PASSAGES = 5


def _reproduces(doc, ctx) -> dict | None:
    if ctx.type_of(doc) != "reproduction":
        return None
    value = doc.meta.get("reproduces")
    return value if isinstance(value, dict) else None


def _deviation_problem(deviation, digest: str, ctx) -> str | None:
    """None when the deviation note covers this exact text; else what is wrong with it."""
    if not isinstance(deviation, dict):
        return _("'reproduces.deviation' must be a mapping with reason, reviewer and digest")
    if not str(deviation.get("reason") or "").strip():
        return _("the deviation note gives no reason")
    if deviation.get("reviewer") not in ctx.policy.reviewers:
        return _("the deviation note's reviewer {reviewer!r} is not a reviewer in "
                 "reviewers.yml").format(reviewer=deviation.get("reviewer"))
    if deviation.get("digest") != digest:
        return _("the deviation note covers another version of the text ({noted}); this one "
                 "is {digest}").format(noted=deviation.get("digest"), digest=digest)
    return None


def _shown(passage) -> str:
    if passage.kind == "missing":
        return _("missing «{original}»").format(original=passage.original)
    if passage.kind == "added":
        return _("added «{copy}»").format(copy=passage.copy)
    return _("original «{original}», here «{copy}»").format(original=passage.original,
                                                            copy=passage.copy)


@register
class ReproductionFidelity(DocumentRule):
    """A reproduction's text differs from the original it reproduces.

    What it checks: on a page of the reproduction column whose
    `reproduces.text_digest` records the original (written by
    `govpub reproduce`), the text after the site's own header note (a
    leading block quote) must be the original's text: whitespace, line
    wrapping and paragraph breaks may differ, nothing else. The differing
    passages are shown against the original's text kept at
    `review/<path>.original.md`.
    Why: the work plan requires Central Government policy to be reproduced
    faithfully within 12 hours; a changed word, a dropped paragraph or a
    changed figure in a reproduced State Council document misinforms the
    public under the agency's name.
    Example: the original says 压缩30%, the reproduction says 压缩50%.
    Fix: restore the original's wording (run `govpub reproduce` again for a
    fresh draft), or — when a difference is required, e.g. a personal phone
    number left out — add a reviewed note `reproduces.deviation: {reason:
    …, reviewer: <reviewer id>, digest: <the digest this finding shows>}`.
    """

    id = "GP408"
    name = "reproduction-fidelity"
    severity = Severity.ERROR
    locked = True
    # runs where the page's text is loaded; besides the page it reads only the original's
    # text beside the page's sign-off record (review/<path>.original.md)
    local = True

    def check_document(self, doc, ctx) -> Iterator:
        reproduces = _reproduces(doc, ctx)
        if reproduces is None or not reproduces.get("text_digest"):
            return
        note_lines, text = split_header_note(doc.body)
        digest = text_digest(text)
        recorded = reproduces["text_digest"]
        if digest == recorded:
            return
        line = doc.line_of("reproduces", "text_digest")
        deviation = reproduces.get("deviation")
        if deviation is not None:
            problem = _deviation_problem(deviation, digest, ctx)
            if problem is None:
                return
            yield ctx.finding(self, doc, doc.line_of("reproduces", "deviation"), problem)
        copy_file = original_copy_path(ctx.policy.review_dir, doc.path)
        try:
            original = copy_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            original = None
        if original is None or text_digest(original) != recorded:
            yield ctx.finding(self, doc, line, _(
                "the text differs from the original's (digest {digest}, recorded {recorded}); "
                "the original's text {file} is missing or does not match the recorded digest, "
                "so the passages cannot be shown — run govpub reproduce again").format(
                digest=digest, recorded=recorded, file=f"review/{doc.path}.original.md"))
            return
        passages = differing_passages(original, text)
        first = passages[0].line if passages else 1
        shown = _("; ").join(_shown(p) for p in passages[:MAX_PASSAGES])
        more = len(passages) - MAX_PASSAGES
        if more > 0:
            shown += _(" (and {count} more)").format(count=more)
        yield ctx.finding(self, doc, doc.body_line + note_lines + first - 1, _(
            "the text differs from the original ({url}): {passages} — restore the original's "
            "wording, or add a reviewed reproduces.deviation with digest {digest}").format(
            url=reproduces.get("url"), passages=shown, digest=digest))


@register
class ReproductionUnverified(DocumentRule):
    """A reproduction records no original text to check it against.

    What it checks: a page of the reproduction column without
    `reproduces.text_digest`.
    Why: without the original's text on record, nothing checks that the page
    reproduces the original word for word (rule GP408); the watcher still
    closes the obligation only when the live page carries the original.
    Example: a reproduction typed in by hand.
    Fix: draft reproductions with `govpub reproduce ID`, which fetches the
    original and records its text.
    """

    id = "GP409"
    name = "reproduction-unverified"
    # information, not a warning: a reproduction made by hand (or with govpub new) is
    # legitimate; the watcher's check of the live page still guards the obligation
    severity = Severity.INFO
    local = True

    def check_document(self, doc, ctx) -> Iterator:
        reproduces = _reproduces(doc, ctx)
        if reproduces is not None and not reproduces.get("text_digest"):
            yield ctx.finding(self, doc, doc.line_of("reproduces"), _(
                "no original text is recorded (reproduces.text_digest): the page cannot be "
                "checked against the original — draft reproductions with govpub reproduce"))
