"""``govpub report annual YEAR [--now T] [--force] [--snapshot REF]``."""

from __future__ import annotations

import statistics

import click

from ..hints import next_step
from ..i18n import _, ngettext
from .common import now_option, policy_of, resolve_now


@click.group("report")
def report() -> None:
    """Reports generated from the repository."""


@report.command("annual")
@click.argument("year", type=int)
@now_option
@click.option("--force", is_flag=True, help="Overwrite an existing report for YEAR.")
@click.option("--snapshot", "snapshot_ref", metavar="REF", default=None,
              help="The commit that holds the site as it stood at the end of YEAR (default: "
                   "the last commit of the current branch made before 1 January).")
@click.pass_context
def annual(ctx: click.Context, year: int, now_text: str | None, force: bool,
           snapshot_ref: str | None) -> int:
    """Fill in the annual website work report (政府网站工作年度报表) for YEAR.

    Writes the form as a draft page, its CSV and a chart under content/reports/;
    the figures are those of the site at 31 December 24:00. What the repository
    cannot know is read from site_config/annual/YEAR.yml, written empty on the
    first run for the office to fill in. The page is reviewed like any other
    page before it is published (due by 31 January).
    """
    from ..report import write_annual_report

    policy = policy_of(ctx)
    now = resolve_now(policy.timezone, now_text)
    result = write_annual_report(policy, year, now, force=force, snapshot_ref=snapshot_ref)
    root = policy.root
    office = result.office.relative_to(root).as_posix()
    if result.office_created:
        click.echo(_("wrote {path} (the office fills it in)").format(path=office))
    for path in result.files:
        click.echo(_("wrote {path}").format(path=path.relative_to(root).as_posix()))
    click.echo(_("figures as of the end of {year}: commit {commit} of {when}").format(
        year=year, commit=result.snapshot.commit[:12],
        when=result.snapshot.committed.isoformat()))
    _internal_figures(result)
    page = result.files[-1].relative_to(root).as_posix()
    missing = result.form.missing
    if missing:
        click.echo(ngettext(
            "{count} field of the form is still empty in {path}: {fields}",
            "{count} fields of the form are still empty in {path}: {fields}",
            len(missing)).format(count=len(missing), path=office,
                                 fields="、".join(f.label for f in missing[:8])
                                 + ("……" if len(missing) > 8 else "")), err=True)
        click.echo(_("fill them in, then write the report again:"), err=True)
        if result.snapshot.chosen:  # the same figures again: the same commit, not a moving ref
            again = next_step("govpub report annual {year} --force --snapshot {commit}",
                              root=root, year=year, commit=result.snapshot.commit)
        else:
            again = next_step("govpub report annual {year} --force", root=root, year=year)
        click.echo(again, err=True)
    click.echo(_("have the page, the CSV and the chart reviewed and publish them before 31 "
                 "January:"), err=True)
    click.echo(next_step("govpub check {path}", root=root, path=page), err=True)
    click.echo(next_step("govpub review status", root=root), err=True)
    return 0


def _internal_figures(result) -> None:
    """The 12-hour reproduction figures: for the General Office, never on the page."""
    watcher = result.watcher
    if watcher is None:
        click.echo(_("internal (not published): no reproduction figures — {reason}").format(
            reason=result.watcher_problem))
        return
    median = (f"{statistics.median(watcher.lead_hours):.1f}" if watcher.lead_hours else "—")
    click.echo(_("internal (not published): {watched} central documents watched, {reproduced} "
                 "reproduced ({on_time} within the deadline, {late} late, median {median} hours), "
                 "{dismissed} dismissed").format(
                     watched=watcher.watched, reproduced=watcher.reproduced,
                     on_time=watcher.on_time, late=watcher.late, median=median,
                     dismissed=watcher.dismissed))
