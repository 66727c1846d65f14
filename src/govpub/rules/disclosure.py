"""GP103: only proactively disclosed pages are published."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import _
from . import DocumentRule, register


@register
class Disclosure(DocumentRule):
    """The page's disclosure decision is not `proactive`.

    What it checks: `disclosure: proactive` (主动公开).
    Why: `on-request` (依申请公开) and `withheld` (不予公开) information must
    not appear on the public site; the decision is part of the reviewed bytes.
    Example: `disclosure: on-request`.
    Fix: publish only after the disclosure review decides `proactive`;
    otherwise keep the file out of `content/`.
    """

    id = "GP103"
    name = "disclosure"
    local = True
    cacheable = True
    locked = True

    def check_document(self, doc, ctx) -> Iterator:
        value = doc.meta.get("disclosure")
        if value not in (None, "", "proactive"):
            yield ctx.finding(self, doc, doc.line_of("disclosure"),
                              _("disclosure is {value!r}: only `proactive` pages are "
                                "published — this page is held back").format(value=value))
