"""GP602: a plain-http link where the approval requires https."""

from __future__ import annotations

from ..findings import Severity
from ..i18n import _
from ..links.rulebase import external_links
from . import Rule, register


@register
class InsecureExternalLink(Rule):
    """An approved external site is linked over plain http.

    What it checks: links to approved sites whose scheme is not https, when
    the site's entry in `site_config/links.yml` does not say `allow_http: true`.
    Why: plain http can be altered on the way; visitors sent from a
    government site must land on the page the agency approved.
    Example: `http://www.gov.cn/zhengce/` while `www.gov.cn` is approved
    without `allow_http`.
    Fix: write `https://`. If the site has no https, the General Office sets
    `allow_http: true` on its entry.
    """

    id = "GP602"
    name = "external-link-http"
    local = True
    cacheable = True
    severity = Severity.ERROR
    allowable = True

    def check(self, ctx):
        for ext in external_links(ctx):
            if ext.approval is not None and ext.target.scheme != "https" \
                    and not ext.approval.allow_http:
                yield ctx.finding(self, ext.doc, ext.link.line,
                                  _("link to {host} uses {scheme}:// — write https:// (the "
                                    "approval of this site in site_config/links.yml does not "
                                    "allow http)").format(host=ext.target.host,
                                                          scheme=ext.target.scheme),
                                  column=ext.link.column)
