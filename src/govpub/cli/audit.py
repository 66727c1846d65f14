"""``govpub audit [--now T] [--format text|json|github] [--links]``."""

from __future__ import annotations

import click

from ..formatters import FORMATTERS
from ..i18n import _
from .common import format_option, now_option, policy_of, resolve_now


@click.command("audit")
@now_option
@format_option
@click.option("--links", "check_links", is_flag=True,
              help="Also check that approved external sites still answer (needs the internet).")
@click.option("--list", "list_checks", is_flag=True,
              help="List the audit's checks (GP7xx) with their explanations, and exit.")
@click.pass_context
def audit(ctx: click.Context, now_text: str | None, output_format: str,
          check_links: bool, list_checks: bool) -> int:
    """Stale or empty columns, expired pages, old sign-offs, link approvals, platforms,
    overdue comments, reviewed exceptions and the annual report.

    Exit 1 when a threshold is breached; warnings come warn_days before
    (site_config/audit.yml).
    """
    from ..audit import CHECKS, run_audit

    if list_checks:
        for check in sorted(CHECKS, key=lambda c: c.id):
            click.echo(f"{check.id} {check.name}\n" + "".join(
                f"    {line}\n" for line in check.doc().splitlines()))
        return 0
    policy = policy_of(ctx)
    now = resolve_now(policy.timezone, now_text)
    findings = run_audit(policy, now, online=check_links).findings
    click.echo(FORMATTERS[output_format](findings), nl=False)
    if output_format == "text":
        errors = sum(1 for f in findings if f.blocking)
        warnings = sum(1 for f in findings if str(f.severity) == "warning")
        click.echo(_("audit: {errors} breach(es), {warnings} warning(s)").format(
            errors=errors, warnings=warnings), err=True)
    return 1 if any(f.blocking for f in findings) else 0

