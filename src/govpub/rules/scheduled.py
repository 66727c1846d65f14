"""GP104: pages with a future publication time wait for their time."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from ..i18n import _
from . import DocumentRule, register


@register
class Scheduled(DocumentRule):
    """The page is scheduled: its `published` time is in the future.

    What it checks: `published` is not after the time of the check or build.
    Why: a scheduled page must not appear before its time; it is held back
    and appears in the first build that runs after it.
    Example: `published: 2027-01-05T09:00:00+08:00` checked in 2026.
    Fix: nothing, if intended. Deploy builds should run regularly (the
    scheduled CI workflow) so the page goes live on time.
    """

    id = "GP104"
    name = "scheduled"
    local = True
    severity = Severity.INFO
    holds_back = True
    clock = "now"

    def check_document(self, doc, ctx) -> Iterator:
        published = ctx.published(doc)
        if published is not None:
            ctx.changes_at(self, published)
        if published is not None and published > ctx.now:
            local = published.astimezone(ctx.policy.timezone).isoformat(timespec="minutes")
            yield ctx.finding(self, doc, doc.line_of("published"),
                              _("scheduled: held back until {time}").format(time=local))
