"""GP714: the office's part of last year's annual report form still has empty fields."""

from __future__ import annotations

from datetime import date, datetime, time

from ..findings import Severity
from ..i18n import _
from ..report import figures
from ..report.officedata import load_office_data, shown_path
from .checks import AuditCheck


class AnnualForm(AuditCheck):
    """A field of last year's annual report form that the office fills in is empty.

    What it checks: from 1 January, every field of
    site_config/annual/<last year>.yml (visits, special columns,
    interpretation products, online cases, surveys, interviews, security
    work, new-media figures, innovation, staff, budget, the signature line)
    has a value (the file itself is written by `govpub report annual YEAR`,
    which GP711 asks for); fields about a kind of account the site does not have
    (Weibo, WeChat) excepted. A warning until the day the report is due
    (annual_report_due, 31 January), an error from that day. Once last
    year's report is published, nothing.
    Why: the report must be published by 31 January (国办函〔2018〕12号) with
    every field of the national form; an empty field keeps the page from
    being approved.
    Fix: fill the field in (zero is a value), then regenerate the report
    with `govpub report annual YEAR --force`.
    """

    id = "GP714"
    name = "annual-form"

    def run(self, ctx):
        local = ctx.now.astimezone(ctx.policy.timezone)
        year = local.year - 1
        if any(_year(p.meta) == year for p in ctx.model.of_type("report")):
            return
        month, day = ctx.settings.annual_report_due
        due = datetime.combine(date(local.year, month, day), time(0, 0),
                               tzinfo=ctx.policy.timezone)
        severity = Severity.ERROR if local >= due else Severity.WARNING
        path = shown_path(year)
        office = load_office_data(ctx.policy, year)
        if not office.exists:
            return  # GP711 says to run `govpub report annual`, which writes the file
        end = datetime(year + 1, 1, 1, tzinfo=ctx.policy.timezone)
        kinds = figures.platform_kinds(figures.platform_figures(ctx.platforms, end))
        for field in office.empty(kinds):
            if field.key == "innovation.features" and figures.languages(ctx.policy.site) >= 2:
                continue  # the site's languages tick 多语言版本 by themselves
            yield ctx.finding(self, path, office.line_of(field), severity, _(
                "{field} ({key}) is empty: fill it in by {due} (zero is a value), then "
                "regenerate the report").format(field=field.label, key=field.key,
                                                due=f"{due:%Y-%m-%d}"))


def _year(meta: dict) -> int | None:
    year = meta.get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None
