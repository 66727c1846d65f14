"""GP505: classification and internal-use markings."""

from __future__ import annotations

from ..i18n import N_
from ..sensitive.markings import find_markings_in_text
from ..sensitive.rulebase import SensitiveRule
from . import register


@register
class ClassificationMarking(SensitiveRule):
    """A classification or internal-use marking appears in a page or attachment.

    What it checks: 绝密/机密/秘密 with ★ and a period (`秘密★1年`), `密级：…`,
    仅供内部使用, 内部资料 and 注意保存, "internal use only", "not for
    publication", an upper-case CONFIDENTIAL — and the bare words when they
    stand where a marking stands (alone on a line, in a bracket, opening a
    line followed by a space, a whole front-matter value). Ordinary words
    such as 商业秘密 and 国家秘密 in running text are not flagged.
    Why: a marked document must never be published; the marking is the
    clearest sign that a file slipped past the confidentiality review.
    Example: a DOCX whose header reads `秘密★5年`.
    Fix: do not publish the document. If the marking is quoted on purpose
    (an example in a training page), the reviewer adds
    `allow: [{rule: GP505, reason: ...}]`.
    """

    id = "GP505"
    name = "classification-marking"
    what = N_("classification or internal-use marking")
    fix = N_("classified or internal documents must not be published")

    def detect(self, text, ctx):
        return find_markings_in_text(text)
