"""GP603: an external-link approval is past its review date."""

from __future__ import annotations

from ..config import CONFIG_DIR
from ..findings import Severity
from ..i18n import _
from ..links.approval import LINKS_FILE
from ..links.rulebase import links_config
from . import Rule, register


@register
class ExpiredLinkApproval(Rule):
    """An entry of `site_config/links.yml` is due for its periodic review.

    What it checks: `approved_at` + `review_interval_days` (default 365) is in
    the past. Reported once per entry, on its line in `links.yml`.
    Why: an approved site can change owner or content; the approval system
    only works if approvals are looked at again.
    Example: `approved_at: 2024-01-10` with `review_interval_days: 180`.
    Fix: the General Office checks the site again and updates `approved_at`,
    or removes the entry (links to it then block, GP601).
    """

    id = "GP603"
    name = "external-link-approval-expired"
    severity = Severity.WARNING
    clock = "now"

    def check(self, ctx):
        config = links_config(ctx.policy)
        for entry in config.approvals:
            ctx.changes_at(self, entry.expires)
            if entry.expires < ctx.now:
                yield ctx.finding(
                    self, f"{CONFIG_DIR}/{LINKS_FILE}", entry.line,
                    _("approval of {site} (by {approver}) was due for review on {date} — check "
                      "the site and update approved_at, or remove the entry").format(
                          site=entry.site, approver=entry.approved_by,
                          date=entry.expires.date().isoformat()))
