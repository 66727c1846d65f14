"""The shared shape of the GP5xx rules: scan every text segment of a document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from ..findings import Severity
from ..i18n import N_, _
from ..rules import DocumentRule
from . import Hit
from .sources import Segment, segments

if TYPE_CHECKING:
    from ..checker import CheckContext
    from ..content import Document
    from ..findings import Finding


class SensitiveRule(DocumentRule):
    """Base: subclasses name ``what`` they find and implement ``detect``."""

    severity = Severity.ERROR
    allowable = True
    attachments = True
    local = True
    cacheable = True  # a rule that reads the clock says otherwise (GP501)
    #: what the rule finds and how to fix it: English, marked with N_(), translated when shown
    what: ClassVar[str] = N_("sensitive data")
    fix: ClassVar[str] = N_("remove or mask it")

    def detect(self, text: str, ctx: CheckContext) -> Iterable[Hit]:
        """Hits in ``text``, which may span many lines (offsets into ``text``)."""
        raise NotImplementedError

    def detect_segment(self, segment: Segment, ctx: CheckContext) -> Iterable[Hit]:
        """Hits in one segment: ``detect`` on its text, unless the rule can do less."""
        return self.detect(segment.text, ctx)

    def message(self, hit: Hit, where: str, doc: Document) -> str:
        place = _(" in the {where}").format(where=where) if where else ""
        detail = _(" ({detail})").format(detail=_(hit.detail)) if hit.detail else ""
        if doc.is_page:
            escape = _("; if publishing it is lawful and reviewed, add "
                       "`allow: [{{rule: {rule}, reason: ...}}]` to the front matter").format(
                           rule=self.id)
        else:
            escape = _("; redact the attachment and export it again")
        return _("{what} {shown}{detail}{place} — {fix}{escape}").format(
            what=_(self.what), shown=hit.shown, detail=detail, place=place, fix=_(self.fix),
            escape=escape)

    def check_document(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        seen = set()
        for segment in segments(doc):
            for hit in self.detect_segment(segment, ctx):
                line, column, where = segment.locate(hit.start)
                key = (line, where, hit.shown)
                if key in seen:
                    continue
                seen.add(key)
                yield ctx.finding(self, doc, line, self.message(hit, where, doc), column=column)
