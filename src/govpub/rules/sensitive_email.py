"""GP504: e-mail addresses outside the agency's domains."""

from __future__ import annotations

from ..i18n import N_
from ..sensitive.emails import find_foreign_emails
from ..sensitive.rulebase import SensitiveRule
from . import register


@register
class ForeignEmail(SensitiveRule):
    """An e-mail address outside the agency's own domains appears.

    What it checks: every e-mail address whose domain is not one of
    `site.yml` `agency_email_domains` (or their subdomains). Reserved example
    domains (example.com, *.test, *.invalid) pass.
    Why: a private mailbox is personal information, and a page should send
    the public to an office mailbox that outlives any one official.
    Example: `来信请寄 zhangsan@163.com` (reported as `z***@163.com`).
    Fix: use the office mailbox (e.g. an address at the agency's domain), or
    add the domain to `agency_email_domains` if it is the agency's own.
    """

    id = "GP504"
    name = "foreign-email"
    what = N_("e-mail address outside the agency's domains")
    fix = N_("use an office mailbox at the agency's domain")

    def detect(self, text, ctx):
        return find_foreign_emails(text, ctx.policy.site.get("agency_email_domains") or ())
