"""GP501: PRC resident identity numbers."""

from __future__ import annotations

from ..i18n import N_
from ..sensitive.ids import find_resident_ids
from ..sensitive.rulebase import SensitiveRule
from . import register


@register
class ResidentIdNumber(SensitiveRule):
    """A resident identity number (身份证号) appears in a page or attachment.

    What it checks: the body, every front-matter string and the text of PDF,
    DOCX and other document attachments, for 18-character numbers with a
    correct check character and a real birth date, and 15-digit numbers with
    a real province code and birth date.
    Why: an identity number is personal information; publishing one is a
    data leak that cannot be undone (work plan items xx–xxii).
    Example: `申请人：张三，身份证号 110105199003071234` (masked in the report
    as `1101************34`).
    Fix: remove the number or mask it (`110105********1234`). Where the law
    requires publication, the confidentiality reviewer adds
    `allow: [{rule: GP501, reason: ...}]` to the page.
    """

    id = "GP501"
    cacheable = "day"  # a birth date after today is no ID number: the verdict reads the date
    name = "resident-id-number"
    clock = "now"  # cacheable by the day: the checker names the midnights
    what = N_("resident identity number")
    fix = N_("remove it or mask the middle digits")

    def detect(self, text, ctx):
        return find_resident_ids(text, ctx.now.date())

    def detect_segment(self, segment, ctx):
        # only the lines that may hold a number (sensitive.numbers)
        return find_resident_ids(segment.text, ctx.now.date(), segment.number_lines)
