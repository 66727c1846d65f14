"""``govpub report annual YEAR [--now T] [--force]``."""

from __future__ import annotations

import click

from .common import now_option, policy_of, resolve_now


@click.group("report")
def report() -> None:
    """Reports generated from the repository."""


@report.command("annual")
@click.argument("year", type=int)
@now_option
@click.option("--force", is_flag=True, help="Overwrite an existing report for YEAR.")
@click.pass_context
def annual(ctx: click.Context, year: int, now_text: str | None, force: bool) -> int:
    """Write the annual website work report for YEAR as a draft page plus CSV and charts.

    The page goes through review like any other page before it is published
    (due by 31 January).
    """
    from ..report import write_annual_report

    policy = policy_of(ctx)
    now = resolve_now(policy.timezone, now_text)
    files = write_annual_report(policy, year, now, force=force)
    for path in files.all():
        click.echo(f"wrote {path.relative_to(policy.root)}")
    click.echo(f"next: review the draft (govpub review status {files.page.relative_to(policy.root)}"
               f"), sign off the page, the CSV and the charts, and publish before 31 January")
    return 0
