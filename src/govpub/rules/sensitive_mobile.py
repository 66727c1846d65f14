"""GP502: mainland mobile phone numbers."""

from __future__ import annotations

from ..i18n import N_
from ..sensitive.phones import find_mobiles
from ..sensitive.rulebase import SensitiveRule
from . import register


@register
class MobileNumber(SensitiveRule):
    """A mainland mobile number appears in a page or attachment.

    What it checks: 11-digit numbers starting 13–19, plain, grouped 3-4-4 or
    with +86, standing alone (not part of a longer number, code or id).
    Public service numbers — hotlines such as 12330 and 12345, office
    landlines such as 010-62356655 — are never flagged.
    Why: a mobile number identifies a person; the site publishes office
    numbers, never an official's or applicant's own phone.
    Example: `联系人：王五 13812345678` (reported as `138****5678`).
    Fix: replace it with the office landline or the hotline.
    """

    id = "GP502"
    name = "mobile-number"
    what = N_("mobile phone number")
    fix = N_("replace it with the office landline or the 12330 hotline")

    def detect(self, text, ctx):
        return find_mobiles(text)

    def detect_segment(self, segment, ctx):
        # only the lines that may hold a number (sensitive.numbers)
        return find_mobiles(segment.text, segment.number_lines)
