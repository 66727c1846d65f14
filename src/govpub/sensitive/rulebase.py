"""The shared shape of the GP5xx rules: scan every text segment of a document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from ..findings import Severity
from ..rules import DocumentRule
from . import Hit
from .sources import segments

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
    what: ClassVar[str] = "sensitive data"
    fix: ClassVar[str] = "remove or mask it"

    def detect(self, text: str, ctx: CheckContext) -> Iterable[Hit]:
        """Hits in ``text``, which may span many lines (offsets into ``text``)."""
        raise NotImplementedError

    def message(self, hit: Hit, where: str, doc: Document) -> str:
        place = f" in the {where}" if where else ""
        detail = f" ({hit.detail})" if hit.detail else ""
        if doc.is_page:
            escape = (f"; if publishing it is lawful and reviewed, add "
                      f"`allow: [{{rule: {self.id}, reason: ...}}]` to the front matter")
        else:
            escape = "; redact the attachment and export it again"
        return f"{self.what} {hit.shown}{detail}{place} — {self.fix}{escape}"

    def check_document(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        seen = set()
        for segment in segments(doc):
            for hit in self.detect(segment.text, ctx):
                line, column, where = segment.locate(hit.start)
                key = (line, where, hit.shown)
                if key in seen:
                    continue
                seen.add(key)
                yield ctx.finding(self, doc, line, self.message(hit, where, doc), column=column)
