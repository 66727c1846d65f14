"""``govpub report annual YEAR``: the 政府网站工作年度报表 (国办函〔2018〕12号), filled in.

Writes, under the reports column (``content/reports/``):

- ``<YEAR>-annual-report.md`` — the form as a page (type ``report``), which
  goes through review like any other page;
- ``<YEAR>-annual-report.csv`` — the same form, one row per row;
- ``<YEAR>-annual-report-months.svg`` — pages published per month (only when
  there were any: an empty chart says nothing, the page says so in words).

What the repository knows is computed from the site as it stood at 31
December 24:00 (:mod:`.snapshot`): later commits do not change the figures.
What it cannot know comes from ``site_config/annual/<YEAR>.yml``
(:mod:`.officedata`), which the first run writes with every field empty; a
field still empty shows as the placeholder marker, so the page cannot be
approved until the office has filled it in. Nothing is overwritten without
``--force``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..atomic import write_atomic
from ..calendar import load_calendar
from ..checker import check_repository
from ..comments.alerts import state_path
from ..comments.model import read_comments
from ..comments.stats import comment_stats
from ..config import Policy, load_policy
from ..errors import ConfigError, GovpubError, UsageError
from ..i18n import _
from ..platforms import load_platforms
from ..sitemodel import build_site_model
from . import charts, figures
from .officedata import OfficeData, load_office_data, office_file, template
from .render import AnnualForm, assemble, figures_csv, report_markdown
from .snapshot import Snapshot, extract, year_end_commit
from .watcherdata import WatcherFigures, read_watcher


@dataclass(frozen=True)
class ReportFiles:
    page: Path
    csv: Path
    chart: Path

    def all(self) -> list[Path]:
        return [self.page, self.csv, self.chart]


@dataclass(frozen=True)
class ReportResult:
    files: list[Path]  # written, in order
    form: AnnualForm
    snapshot: Snapshot
    office: Path
    office_created: bool
    watcher: WatcherFigures | None  # internal figures: printed, never published
    watcher_problem: str | None


def report_folder(policy: Policy) -> str:
    for folder, column in policy.columns.items():
        if column.type == "report" and folder:
            return folder
    raise ConfigError(_("no column of type `report` in site_config/columns.yml"),
                      path="site_config/columns.yml",
                      hint=_("add e.g. `reports: {type: report, title: 网站年度工作报表, ...}`"))


def report_files(policy: Policy, year: int) -> ReportFiles:
    base = policy.content_dir / report_folder(policy)
    stem = f"{year}-annual-report"
    return ReportFiles(page=base / f"{stem}.md", csv=base / f"{stem}.csv",
                       chart=base / f"{stem}-months.svg")


def year_bounds(policy: Policy, year: int) -> tuple[datetime, datetime]:
    tz = policy.timezone
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def compute_form(policy: Policy, year: int, office: OfficeData,
                 snapshot: Snapshot) -> tuple[AnnualForm, dict]:
    """The filled-in form and the site identity, from the site as ``snapshot`` holds it."""
    start, end = year_bounds(policy, year)
    with extract(policy.root, snapshot) as root:
        try:
            then = load_policy(root)
            result = check_repository(then, end)
            calendar = load_calendar(root, then.timezone)
            platforms = load_platforms(root)
        except GovpubError as exc:
            raise ConfigError(
                _("the site as committed in {commit} (the end of {year}) cannot be read: "
                  "{error}").format(commit=snapshot.commit[:12], year=year, error=exc),
                hint=_("name a later commit that holds the same content with --snapshot "
                       "REF")) from None
        model = build_site_model(result)
        comments, _unreadable = read_comments(then, model.comment_documents, calendar)
        computed = {**figures.site_figures(then.site),
                    **figures.publication_figures(model, start, end),
                    **figures.comment_figures(comment_stats(comments, calendar, start=start,
                                                            end=end)),
                    **figures.platform_figures(platforms, end)}
        form = assemble(year, computed, office, platforms=figures.platform_kinds(computed),
                        languages=figures.languages(then.site),
                        per_month=figures.per_month(model, start, end))
        return form, dict(then.site)


def write_annual_report(policy: Policy, year: int, now: datetime, *, force: bool = False,
                        snapshot_ref: str | None = None) -> ReportResult:
    local_now = now.astimezone(policy.timezone)
    if not 2000 <= year < local_now.year:
        raise UsageError(_("year {year} is not a past year between 2000 and {last}").format(
                             year=year, last=local_now.year - 1),
                         hint=_("the report covers a year that has ended, e.g. `govpub report "
                                "annual {year}`").format(year=local_now.year - 1))
    files = report_files(policy, year)
    existing = [p for p in files.all() if p.exists() or p.is_symlink()]
    if existing and not force:
        raise UsageError(_("{path} exists already").format(
                             path=existing[0].relative_to(policy.root).as_posix()),
                         hint=_("pass --force to regenerate it (its sign-off will be void and "
                                "it must be reviewed again)"))
    office_path = office_file(policy, year)
    created = not office_path.exists() and not office_path.is_symlink()
    start, end = year_bounds(policy, year)
    snapshot = year_end_commit(policy.root, end, ref=snapshot_ref)
    if created:  # before the figures: the office can start filling it in whatever happens
        write_atomic(office_path, template(year))
    office = load_office_data(policy, year)
    form, site = compute_form(policy, year, office, snapshot)
    months = sum(form.per_month) > 0
    page = report_markdown(form, site, published=local_now.replace(microsecond=0).isoformat(),
                           names={"csv": files.csv.name,
                                  "months": files.chart.name if months else None})
    for path in files.all():
        if path.is_symlink():  # never write through a link out of content/
            path.unlink()
    written = []
    if months:
        write_atomic(files.chart, charts.months_chart(year, form.per_month))
        written.append(files.chart)
    elif files.chart.exists():
        files.chart.unlink()  # last run's chart: the figures it showed are gone
    write_atomic(files.csv, figures_csv(form))
    write_atomic(files.page, page)  # last: the page only appears once its files are there
    written += [files.csv, files.page]
    watcher, problem = read_watcher(state_path(policy.root), start, end)
    return ReportResult(written, form, snapshot, office_path, created, watcher, problem)


__all__ = ["ReportFiles", "ReportResult", "report_files", "write_annual_report"]
