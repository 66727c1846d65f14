"""GP507: an attachment whose text cannot be checked."""

from __future__ import annotations

from ..findings import Severity
from ..i18n import _
from ..rules import DocumentRule
from ..sensitive.sources import attachment_text
from . import register


@register
class UnreadableAttachment(DocumentRule):
    """A document attachment's text cannot be extracted, so it cannot be scanned.

    What it checks: PDF, DOCX and other document attachments whose text
    cannot be read: password-protected or corrupt files, scanned PDFs with
    no text layer, legacy binary formats (.doc, .xls, .wps).
    Why: the sensitive-content rules cannot vouch for what they cannot
    read; an unreadable file is sent to manual review, never passed.
    Example: `content/notices/form.pdf` is a scan without OCR.
    Fix: publish a text-bearing PDF (run OCR; it is needed for accessibility
    too) or a .docx. If the file must stay as it is, the General Office may
    lower GP507 in `site_config/rules.yml` after a manual review.
    """

    id = "GP507"
    name = "unreadable-attachment"
    local = True
    cacheable = True
    severity = Severity.ERROR
    allowable = True
    pages = False
    attachments = True

    def check_document(self, doc, ctx):
        extracted = attachment_text(doc)
        if extracted is not None and extracted.error:
            yield ctx.finding(self, doc, 1, _("attachment text cannot be checked for sensitive "
                                              "content: {problem}; it needs manual "
                                              "review").format(problem=extracted.error))
