"""GP601: a link to an external site that is not approved."""

from __future__ import annotations

from ..findings import Severity
from ..i18n import _
from ..links.rulebase import external_links, request_hint
from . import Rule, register


@register
class UnapprovedExternalLink(Rule):
    """A page links to an external site that `site_config/links.yml` does not approve.

    What it checks: every link in the body (inline, reference, autolink, raw
    HTML href/src, bare URL) and every URL in the front matter that points
    to another host than the site's own. The host (and path, for a URL-prefix
    entry) must be covered by an entry of `site_config/links.yml`.
    Why: the work plan requires an external-link approval system: the agency
    vouches for every site it sends the public to (item xvii).
    Example: `[资料](https://unknown.example.com/a)` with no entry for
    `unknown.example.com`.
    Fix: ask the General Office to add the site to `site_config/links.yml`
    (site, approved_by, approved_at, review_interval_days), or remove the link.
    """

    id = "GP601"
    name = "external-link-unapproved"
    local = True
    cacheable = True
    severity = Severity.ERROR
    allowable = True

    def check(self, ctx):
        for ext in external_links(ctx):
            if ext.approval is None:
                shown = ext.link.url if len(ext.link.url) <= 120 else ext.link.url[:117] + "..."
                message = (_("external link {url} in the front matter `{field}` is not approved "
                             "— {hint}") if ext.link.where else
                           _("external link {url} is not approved — {hint}"))
                yield ctx.finding(self, ext.doc, ext.link.line, message.format(
                    url=shown, field=ext.link.where, hint=request_hint(ext.target)),
                    column=ext.link.column)
