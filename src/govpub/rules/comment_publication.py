"""GP108: a public comment is published only once it has been answered."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from ..i18n import _
from . import DocumentRule, register


@register
class CommentPublication(DocumentRule):
    """A public comment is held back: it is not answered yet, or it is withheld.

    What it checks: a page in a `comment` column is published only when
    `outcome: answered` and `replied` is set. Open comments wait for their
    reply; withheld comments (`outcome: withheld`, e.g. an inauthentic
    report) are counted on the comments page, never shown.
    Why: the work plan (items xxiii–xxiv) asks that replies be published with
    the message; an unanswered message on its own, or one withheld for a
    reason, must not appear on the public site.
    Example: a comment received yesterday without `replied:`.
    Fix: nothing, if intended; answer it (`replied`, `reply`, `outcome:
    answered`) and have the new version reviewed to publish it.
    """

    id = "GP108"
    name = "comment-publication"
    severity = Severity.INFO
    holds_back = True
    locked = True
    local = True
    cacheable = True

    def check_document(self, doc, ctx) -> Iterator:
        if ctx.type_of(doc) != "comment":
            return
        outcome = doc.meta.get("outcome")
        if outcome == "withheld":
            yield ctx.finding(self, doc, doc.line_of("outcome"),
                              _("withheld comment: counted on the comments page, never shown"))
        elif outcome != "answered" or not doc.meta.get("replied"):
            # no outcome yet: point at when it was received, not at the `---` line
            yield ctx.finding(self, doc, doc.line_of("outcome", default=doc.line_of("received")),
                              _("not answered yet: published once the reply is recorded"))
