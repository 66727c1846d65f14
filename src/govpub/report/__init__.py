"""``govpub report annual YEAR``: the annual website work report as a draft page.

Writes, under the reports column (``content/reports/``):

- ``<YEAR>-annual-report.md`` — the draft page (type ``report``), which goes
  through review like any other page;
- ``<YEAR>-annual-report.csv`` — every figure, for the General Office's forms;
- three SVG charts beside it (publications per month, reproduction lead
  times, reply times).

Figures come from the approved site (what the public saw), every comment in
the repository, ``site_config/`` and, when it exists, the watcher's state.
Nothing is overwritten without ``--force``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..atomic import write_atomic
from ..calendar import load_calendar
from ..checker import check_repository
from ..comments.alerts import state_path
from ..comments.model import read_comments, reply_working_days
from ..comments.stats import comment_stats
from ..config import Policy
from ..errors import ConfigError, UsageError
from ..platforms import load_platforms
from ..sitemodel import build_site_model
from . import charts
from .figures import AnnualFigures, platform_figures, publication_figures
from .render import figures_csv, report_markdown
from .watcherdata import read_watcher

LEAD_LIMIT_HOURS = 12
TAMPER_NOTE = "未记录 not recorded (govpub verify keeps no history yet)"


@dataclass(frozen=True)
class ReportFiles:
    page: Path
    csv: Path
    charts: tuple[Path, ...]

    def all(self) -> list[Path]:
        return [self.page, self.csv, *self.charts]


def report_folder(policy: Policy) -> str:
    for folder, column in policy.columns.items():
        if column.type == "report" and folder:
            return folder
    raise ConfigError("no column of type `report` in site_config/columns.yml",
                      path="site_config/columns.yml",
                      hint="add e.g. `reports: {type: report, title: 网站年度工作报表, ...}`")


def report_files(policy: Policy, year: int) -> ReportFiles:
    base = policy.content_dir / report_folder(policy)
    stem = f"{year}-annual-report"
    return ReportFiles(page=base / f"{stem}.md", csv=base / f"{stem}.csv",
                       charts=tuple(base / f"{stem}-{name}.svg"
                                    for name in ("months", "leads", "replies")))


def _link_figures(policy: Policy, start: datetime, end: datetime) -> tuple[int, int]:
    from ..links.approval import load_links_config

    approvals = load_links_config(policy.root, policy.timezone).approvals
    in_force = sum(1 for a in approvals if a.approved_at < end <= a.expires)
    new = sum(1 for a in approvals if start <= a.approved_at < end)
    return in_force, new


def compute_figures(policy: Policy, year: int, now: datetime) -> AnnualFigures:
    tz = policy.timezone
    start, end = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    result = check_repository(policy, now)
    model = build_site_model(result)
    calendar = load_calendar(policy.root, tz)
    comments, _unreadable = read_comments(policy, model.comment_documents, calendar)
    stats = comment_stats(comments, calendar, start=start, end=end)
    watcher, note = read_watcher(state_path(policy.root), start, end)
    links_in_force, links_new = _link_figures(policy, start, end)
    return AnnualFigures(
        year=year, site=policy.site, **publication_figures(model, year, start, end),
        watcher=watcher, watcher_note=note, comments=stats, links_approved=links_in_force,
        links_approved_in_year=links_new,
        platforms_by_kind=platform_figures(load_platforms(policy.root), end),
        tamper_note=TAMPER_NOTE, warnings=calendar.warnings())


def render_charts(figures: AnnualFigures, reply_days: int) -> list[bytes]:
    months = charts.bar_chart([str(m) for m in range(1, 13)], figures.per_month,
                              title=f"{figures.year} 各月发布数 Pages published per month",
                              ylabel="pages 条", xlabel="month 月")
    leads = list(figures.watcher.lead_hours if figures.watcher
                 else figures.reproduction_page_leads)
    source = "watcher" if figures.watcher else "pages"
    lead_chart = charts.histogram(
        [min(v, 47.9) for v in leads], bins=[float(b) for b in range(0, 50, 2)],
        limit=LEAD_LIMIT_HOURS, title=f"转载用时 Reproduction lead times ({source})",
        xlabel="hours 小时 (48+ in the last bar)", empty_text="no reproductions 无转载")
    reply_chart = charts.histogram(
        [min(v, 9.9) for v in figures.comments.reply_days],
        bins=[b / 2 for b in range(0, 21)], limit=reply_days,
        title="留言答复用时 Reply times", xlabel="working days 工作日 (10+ in the last bar)",
        empty_text="no replies 无答复")
    return [months, lead_chart, reply_chart]


def write_annual_report(policy: Policy, year: int, now: datetime, *,
                        force: bool = False) -> ReportFiles:
    local_now = now.astimezone(policy.timezone)
    if not 2000 <= year <= local_now.year:
        raise UsageError(f"year {year} is not between 2000 and {local_now.year}",
                         hint="give a past year, e.g. `govpub report annual "
                              f"{local_now.year - 1}`")
    files = report_files(policy, year)
    existing = [p for p in files.all() if p.exists() or p.is_symlink()]
    if existing and not force:
        shown = existing[0].relative_to(policy.root)
        raise UsageError(f"{shown} exists already",
                         hint="pass --force to regenerate it (its sign-off will be void and "
                              "it must be reviewed again)")
    figures = compute_figures(policy, year, now)
    names = {"csv": files.csv.name, "months": files.charts[0].name,
             "leads": files.charts[1].name, "replies": files.charts[2].name}
    page = report_markdown(figures, published=local_now.replace(microsecond=0).isoformat(),
                           names=names)
    svgs = render_charts(figures, reply_working_days(policy))
    for path in files.all():
        if path.is_symlink():  # never write through a link out of content/
            path.unlink()
    for path, data in zip(files.charts, svgs, strict=True):
        write_atomic(path, data)
    write_atomic(files.csv, figures_csv(figures))
    write_atomic(files.page, page)  # last: the page only appears once its files are there
    return files


__all__ = ["AnnualFigures", "ReportFiles", "compute_figures", "report_files",
           "write_annual_report"]
