"""GP506: raw HTML with active content, or outside the allowed list."""

from __future__ import annotations

from ..i18n import N_, _
from ..sensitive.html import find_raw_html
from ..sensitive.rulebase import SensitiveRule
from . import register


@register
class RawHtml(SensitiveRule):
    """Raw HTML in Markdown carries script, or an element that is not allowed.

    What it checks: outside code blocks, `<script>`, `<iframe>`, `<object>`,
    `<embed>` and other active elements; inline event handlers (`onclick=`,
    `onerror=` …); `javascript:`/`vbscript:` URLs in HTML or Markdown links
    (also when hidden by entities or whitespace); and any element not listed
    in `site.yml` `html_allowed` (default: a small list of text and table
    elements).
    Why: the page is served from the agency's domain; a script there could
    deface the site or steal visitors' sessions.
    Example: `<img src=x onerror="alert(1)">`.
    Fix: use Markdown instead of HTML; embed videos as links; ask the
    General Office to add a harmless element to `html_allowed`.
    """

    id = "GP506"
    name = "raw-html"
    what = N_("raw HTML")
    fix = N_("use Markdown instead")
    attachments = False

    def check_document(self, doc, ctx):
        allowed = ctx.policy.site.get("html_allowed")
        text = doc.body
        if "<" not in text and "](" not in text:
            return  # no tag and no link: nothing to check
        for hit in find_raw_html(text, allowed):
            row = text.count("\n", 0, hit.start)
            column = hit.start - text.rfind("\n", 0, hit.start)
            yield ctx.finding(self, doc, doc.body_line + row,
                              _("{problem}: {shown} — use Markdown instead; active content "
                                "is never allowed, other elements only when listed in "
                                "site.yml html_allowed").format(problem=_(hit.detail),
                                                                shown=hit.shown),
                              column=column)
