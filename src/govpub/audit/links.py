"""External-link approvals in the audit, through :mod:`govpub.links` (another part of govpub).

Reads the approval list (``site_config/links.yml``) and the links of the
published pages with that package's own parser, so the audit and the gate
agree on what a link and an approval are.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from ..findings import Finding, Severity
from ..i18n import _
from ..links import body_links
from ..links.approval import load_links_config, parse_external

LINKS_FILE = "site_config/links.yml"


def link_findings(check, ctx) -> Iterator[Finding]:
    config = load_links_config(ctx.policy.root, ctx.policy.timezone)
    tz = ctx.policy.timezone
    for approval in config.approvals:
        days_past = (ctx.now - approval.expires).total_seconds() / 86400
        severity = ctx.by_threshold(days_past)
        if severity is None:
            continue
        message = (_("approval of {site} (by {approver}, {approved}) expired on {expires} — "
                     "review the site again and renew approved_at, or remove the links to it")
                   if severity is Severity.ERROR else
                   _("approval of {site} (by {approver}, {approved}) expires on {expires} — "
                     "review the site again and renew approved_at, or remove the links to it"))
        yield ctx.finding(check, LINKS_FILE, approval.line, severity, message.format(
            site=approval.site, approver=approval.approved_by,
            approved=f"{approval.approved_at.astimezone(tz):%Y-%m-%d}",
            expires=f"{approval.expires.astimezone(tz):%Y-%m-%d}"))
    own_host = urlsplit(ctx.policy.base_url).hostname
    for page in ctx.model.pages:
        for link in body_links(page.doc):
            target = parse_external(link.url, own_host)
            if target is None:
                continue
            if config.approval_for(target.host, target.path) is None:
                yield ctx.finding(check, page.doc.repo_path, page.doc.body_line + link.line - 1,
                                  Severity.ERROR,
                                  _("published link to {target} has no approval in {file} — "
                                    "have it approved, or remove the link").format(
                                      target=target.host or link.url, file=LINKS_FILE))


def health_findings(check, ctx) -> Iterator[Finding]:
    """``--links``: request every approved site once (needs the internet)."""
    from ..links.approval import load_links_config
    from ..links.health import check_approved_links

    config = load_links_config(ctx.policy.root, ctx.policy.timezone)
    lines = {a.site: a.line for a in config.approvals}
    for result in check_approved_links(config):
        if result.status == "ok":
            continue
        severity = Severity.ERROR if result.status == "broken" else Severity.WARNING
        advice = (_("the site is unreachable: links to it are broken — find its new address "
                    "or remove the links and the approval") if result.status == "broken" else
                  _("the site moved: check the new address and update the approval"))
        yield ctx.finding(check, LINKS_FILE, lines.get(result.site, 1), severity,
                          _("{url}: {detail} — {advice}").format(
                              url=result.url, detail=result.detail, advice=advice))
