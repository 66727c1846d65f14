"""The audit's checks (GP7xx): what an inspection of a government website looks at.

Each check is a class with an ``id``, a ``name`` and a docstring written as
*What it checks / Why / Fix*, and a ``run(ctx)`` that yields findings. A
finding is an ERROR when a threshold is breached (``govpub audit`` exits 1)
and a WARNING ``warn_days`` before (``site_config/audit.yml``).

These are not gate rules: a stale column must not stop an urgent notice
from being published, so they run only in ``govpub audit``.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from ..comments.model import open_statuses, read_comments
from ..findings import Finding, Severity
from ..i18n import _
from ..platforms import PLATFORMS_FILE
from ..timeparse import parse_datetime
from .context import COLUMNS_FILE, AuditContext

DAY_SECONDS = 86400


class AuditCheck:
    id: str
    name: str
    #: needs the internet: runs only with ``govpub audit --links``
    online: bool = False

    def run(self, ctx: AuditContext) -> Iterator[Finding]:
        raise NotImplementedError

    @classmethod
    def source_doc(cls) -> str:
        """The docstring as written (English): the message id of its translations."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc(cls) -> str:
        """The documentation in the current language (``govpub audit --list``)."""
        return _(cls.source_doc())


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / DAY_SECONDS


def _local_date(ctx: AuditContext, moment: datetime) -> str:
    return moment.astimezone(ctx.policy.timezone).strftime("%Y-%m-%d")


def column_state(ctx: AuditContext) -> dict[str, tuple[datetime | None, int | None]]:
    """Per column: newest approved modification (None if empty) and its cadence in days.

    The home page lists the newest items of the whole site, so the home column
    is as fresh as the newest approved page anywhere. Undated pages never reach
    the site model (the gate holds them back), so they count as not updated.
    """
    newest: dict[str, datetime] = {}
    for page in ctx.model.pages:
        folder = page.doc.column
        if folder not in newest or page.modified > newest[folder]:
            newest[folder] = page.modified
    overall = max(newest.values(), default=None)
    state = {}
    for folder, column in ctx.policy.columns.items():
        last = overall if column.kind == "home" else newest.get(folder)
        state[folder] = (last, ctx.cadence_of(column))
    return state


def _undated_count(ctx: AuditContext, folder: str) -> int:
    return sum(1 for doc in ctx.corpus.pages()
               if doc.column == folder and doc.has_meta
               and ctx.result.context.published(doc) is None)


def _column_label(ctx: AuditContext, folder: str) -> str:
    column = ctx.policy.columns[folder]
    if not folder:
        return _("the home page ({title}, owner {owner})").format(title=column.title,
                                                                  owner=column.owner)
    return _("column {folder!r} ({title}, owner {owner})").format(
        folder=folder, title=column.title, owner=column.owner)


class StaleColumn(AuditCheck):
    """A column not updated within its cadence.

    What it checks: the newest approved page of each column with a cadence
    (``cadence_days`` in columns.yml, else by kind: home and dynamic 14 days,
    notices and policies 180 days) against the current time.
    Why: inspections count a home page or dynamic column not updated for two
    weeks, or a notices or policies column not updated for six months, as a
    failure; undated content counts as not updated.
    Fix: publish an update, or merge the column into another, or close it.
    """

    id = "GP701"
    name = "stale-column"

    def run(self, ctx):
        for folder, (last, cadence) in column_state(ctx).items():
            if cadence is None or last is None:
                continue
            age = _days(ctx.now - last)
            severity = ctx.by_threshold(age - cadence)
            if severity is None:
                continue
            undated = _undated_count(ctx, folder)
            note = (_("; {count} undated page(s) there count as not updated").format(
                count=undated) if undated else "")
            message = (_("{column} is stale: last updated {date}, {age} days ago, cadence "
                         "{cadence} days{note} — publish an update, or merge the column into "
                         "another or close it") if severity is Severity.ERROR else
                       _("{column} will be stale soon: last updated {date}, {age} days ago, "
                         "cadence {cadence} days{note} — publish an update, or merge the "
                         "column into another or close it"))
            yield ctx.finding(self, COLUMNS_FILE, ctx.column_line(folder), severity,
                              message.format(column=_column_label(ctx, folder),
                                             date=_local_date(ctx, last), age=int(age),
                                             cadence=cadence, note=note))


class EmptyColumn(AuditCheck):
    """A column with no approved page.

    What it checks: every column in columns.yml has at least one published page.
    Why: an empty column is counted against the site in inspections.
    Fix: publish content in it, or close the column (remove it from columns.yml).
    """

    id = "GP702"
    name = "empty-column"

    def run(self, ctx):
        for folder, (last, _cadence) in column_state(ctx).items():
            if last is None:
                undated = _undated_count(ctx, folder)
                note = (_(" ({count} undated page(s) count as no content)").format(
                    count=undated) if undated else "")
                yield ctx.finding(self, COLUMNS_FILE, ctx.column_line(folder), Severity.ERROR,
                                  _("{column} has no published page{note} — publish content "
                                    "in it, or close the column").format(
                                      column=_column_label(ctx, folder), note=note))


class TooManyStaleColumns(AuditCheck):
    """Five or more stale or empty columns.

    What it checks: the number of columns found by GP701 (stale) and GP702 (empty).
    Why: five or more stale or empty columns fails an inspection outright.
    Fix: consolidate: merge or close the columns nobody updates.
    """

    id = "GP703"
    name = "too-many-stale-columns"

    def run(self, ctx):
        bad = []
        for folder, (last, cadence) in column_state(ctx).items():
            if last is None or (cadence is not None and _days(ctx.now - last) > cadence):
                bad.append(folder or _("(home)"))
        limit = ctx.settings.stale_column_limit
        if len(bad) >= limit:
            yield ctx.finding(self, COLUMNS_FILE, 1, Severity.ERROR,
                              _("{count} columns are stale or empty ({columns}); {limit} or "
                                "more fails an inspection — merge or close the columns nobody "
                                "updates").format(count=len(bad), columns=", ".join(bad),
                                                  limit=limit))


class ExpiredPage(AuditCheck):
    """A published page past its ``expires`` time.

    What it checks: the ``expires`` field of every approved page.
    Why: out-of-date content on a government site misleads the public.
    Fix: update the page and its ``expires``, or withdraw it (``status: withdrawn``).
    """

    id = "GP704"
    name = "expired-page"

    def run(self, ctx):
        for page in ctx.model.pages:
            if "expires" not in page.meta:
                continue
            line = page.doc.line_of("expires")
            try:
                expires = parse_datetime(page.meta["expires"], ctx.policy.timezone)
            except ValueError as exc:
                yield ctx.finding(self, page.doc.repo_path, line, Severity.ERROR,
                                  _("`expires` cannot be read: {error}").format(error=exc))
                continue
            severity = ctx.by_threshold(_days(ctx.now - expires))
            if severity is not None:
                message = (_("page expired on {date} — update it and its `expires`, or withdraw "
                             "it (status: withdrawn)") if severity is Severity.ERROR else
                           _("page expires on {date} — update it and its `expires`, or "
                             "withdraw it (status: withdrawn)"))
                yield ctx.finding(self, page.doc.repo_path, line, severity,
                                  message.format(date=_local_date(ctx, expires)))


class OldSignoff(AuditCheck):
    """A published file whose confidentiality sign-off is older than allowed.

    What it checks: the newest ``public`` sign-off of every approved file against
    ``review_max_age_days`` in site.yml (not checked when unset).
    Why: a page signed off years ago may no longer be right to publish.
    Fix: have a reviewer look at it again and sign it off (``govpub review approve``).
    """

    id = "GP705"
    name = "old-signoff"

    def run(self, ctx):
        max_age = ctx.policy.site.get("review_max_age_days")
        if not max_age:
            return
        from ..review.records import load_records

        records = load_records(ctx.policy)
        published = [p.doc for p in ctx.model.pages] + list(ctx.model.attachments)
        for doc in published:
            entry = records.get(doc.path)
            record = entry[1] if entry else None
            if record is None:
                continue
            times = []
            for signoff in record.signoffs:
                if signoff.decision != "public":
                    continue
                try:
                    times.append(parse_datetime(signoff.at, ctx.policy.timezone))
                except ValueError:
                    continue
            if not times:
                continue
            newest = max(times)
            age = _days(ctx.now - newest)
            severity = ctx.by_threshold(age - max_age)
            if severity is not None:
                yield ctx.finding(self, doc.repo_path, 1, severity,
                                  _("last signed off {date}, {age} days ago (limit {limit} "
                                    "days) — have a reviewer check it again and sign it "
                                    "off").format(date=_local_date(ctx, newest), age=int(age),
                                                  limit=max_age))


class LinkApprovals(AuditCheck):
    """External link approvals that are expired, expiring or missing.

    What it checks: ``site_config/links.yml`` through :mod:`govpub.links.approval`.
    Why: the work plan requires an approval system for external links.
    Fix: renew the approval in links.yml, or remove the links.
    """

    id = "GP706"
    name = "link-approvals"

    def run(self, ctx):
        from .links import link_findings

        yield from link_findings(self, ctx)


class LinkHealth(AuditCheck):
    """An approved external site that no longer answers (only with ``--links``).

    What it checks: one request to every site approved in ``site_config/links.yml``.
    Why: a broken external link counts against the site in inspections.
    Fix: find the site's new address and update links and approval, or remove them.
    """

    id = "GP713"
    name = "link-health"
    online = True

    def run(self, ctx):
        from .links import health_findings

        yield from health_findings(self, ctx)


class UnapprovedPlatform(AuditCheck):
    """An active platform without a recorded approval.

    What it checks: ``approved_by`` and ``approved_at`` of every active entry in
    ``site_config/platforms.yml``.
    Why: every open internet platform must be approved and have a responsible owner.
    Fix: record the approval, or close the platform (``status: closed``).
    """

    id = "GP707"
    name = "unapproved-platform"

    def run(self, ctx):
        if not ctx.platforms.present:
            yield ctx.finding(self, str(PLATFORMS_FILE), 1, Severity.WARNING,
                              _("there is no platforms registry — list every website, WeChat "
                                "and Weibo account, app and mini program in "
                                "site_config/platforms.yml (docs/comments-and-audit.md)"))
        for platform in ctx.platforms.active():
            if not platform.is_approved:
                yield ctx.finding(self, str(PLATFORMS_FILE), platform.line, Severity.ERROR,
                                  _("platform {id!r} ({name}) is active without a recorded "
                                    "approval — add approved_by and approved_at, or close "
                                    "it").format(id=platform.id, name=platform.name))


class ZombiePlatform(AuditCheck):
    """An active platform idle beyond the threshold ("zombie").

    What it checks: ``last_update`` of every active platform against ``idle_days``
    in platforms.yml (default 90).
    Why: the work plan orders idle platforms to be shut down.
    Fix: publish on it (and record ``last_update``), or close it and shut it down.
    """

    id = "GP708"
    name = "zombie-platform"

    def run(self, ctx):
        idle = ctx.platforms.idle_days
        today = ctx.now.astimezone(ctx.policy.timezone).date()
        for platform in ctx.platforms.active():
            if platform.last_update is None:
                yield ctx.finding(self, str(PLATFORMS_FILE), platform.line, Severity.ERROR,
                                  _("platform {id!r} has no last_update — record when it was "
                                    "last updated").format(id=platform.id))
                continue
            age = (today - platform.last_update).days
            severity = ctx.by_threshold(age - idle)
            if severity is not None:
                yield ctx.finding(self, str(PLATFORMS_FILE), platform.line, severity,
                                  _("platform {id!r} ({name}) last updated {date}, {age} days "
                                    "ago (limit {limit}) — update it, or close it and shut it "
                                    "down").format(id=platform.id, name=platform.name,
                                                   date=platform.last_update, age=age,
                                                   limit=idle))


class CommentOverdue(AuditCheck):
    """A public comment whose reply is overdue or due within a working day.

    What it checks: every comment without ``replied`` against its due time
    (``received`` + ``reply_working_days`` working days).
    Why: messages left unanswered fail an inspection.
    Fix: reply, and record ``replied``, ``handled_by`` and ``outcome``.
    """

    id = "GP709"
    name = "comment-overdue"

    def run(self, ctx):
        comments, unreadable = read_comments(ctx.policy, ctx.model.comment_documents, ctx.calendar)
        for item in unreadable:
            yield ctx.finding(self, item.path, item.line, Severity.ERROR,
                              _("reply deadline unknown: {reason}").format(reason=item.reason))
        for status in open_statuses(comments, ctx.now, ctx.calendar):
            c = status.comment
            due = c.due.astimezone(ctx.policy.timezone).strftime("%Y-%m-%d %H:%M")
            if status.state == "overdue":
                yield ctx.finding(self, c.path, c.line, Severity.ERROR,
                                  _("reply to “{subject}” was due {due}, overdue by {overdue} "
                                    "— reply and record it").format(
                                      subject=c.subject, due=due,
                                      overdue=status.left.describe().lstrip("-")))
            elif status.state == "due-soon":
                yield ctx.finding(self, c.path, c.line, Severity.WARNING,
                                  _("reply to “{subject}” is due {due} ({left} left)").format(
                                      subject=c.subject, due=due, left=status.left.describe()))


class AllowedException(AuditCheck):
    """Every reviewed exception (``allow:``) on a page, listed.

    What it checks: the ``allow`` entries of every page.
    Why: an exception to a sensitive-content rule must stay visible.
    Fix: nothing, if the reason still holds; otherwise remove the entry.
    """

    id = "GP710"
    name = "allowed-exception"

    def run(self, ctx):
        for doc in ctx.corpus.pages():
            entries = doc.meta.get("allow") if doc.has_meta else None
            if not isinstance(entries, list):
                continue
            for index, entry in enumerate(entries):
                if isinstance(entry, dict):
                    yield ctx.finding(self, doc.repo_path, doc.line_of("allow", index),
                                      Severity.INFO,
                                      _("exception to {rule}: {reason}").format(
                                          rule=entry.get("rule"),
                                          reason=str(entry.get("reason", "")).strip()
                                          or _("(no reason)")))


class AnnualReport(AuditCheck):
    """Last year's annual website work report not published.

    What it checks: an approved page of type ``report`` with ``year`` = last year.
    Why: the annual report must be published before 31 January.
    Fix: ``govpub report annual YEAR``, then review and publish the draft.
    """

    id = "GP711"
    name = "annual-report"

    def run(self, ctx):
        local = ctx.now.astimezone(ctx.policy.timezone)
        year = local.year - 1
        month, day = ctx.settings.annual_report_due
        due = datetime.combine(date(local.year, month, day), time(23, 59, 59),
                               tzinfo=ctx.policy.timezone)
        published = [p for p in ctx.model.of_type("report")
                     if _report_year(p.meta) == year]
        if published:
            return
        drafts = [d for d in ctx.corpus.pages()
                  if d.has_meta and _report_year(d.meta) == year
                  and ctx.result.context.type_of(d) == "report"]
        state = (_("a draft exists ({path}) but is not approved").format(
            path=drafts[0].repo_path) if drafts else
            _("run `govpub report annual {year}`").format(year=year))
        if local > due:
            yield ctx.finding(self, f"content/reports/{year}-annual-report.md", 1,
                              Severity.ERROR,
                              _("the annual website work report for {year} is overdue (due "
                                "{due}): {state}, then review and publish it").format(
                                  year=year, due=f"{due:%Y-%m-%d}", state=state))
        else:
            yield ctx.finding(self, f"content/reports/{year}-annual-report.md", 1,
                              Severity.WARNING,
                              _("the annual website work report for {year} is due {due}: "
                                "{state}, then review and publish it").format(
                                  year=year, due=f"{due:%Y-%m-%d}", state=state))


def _report_year(meta: dict) -> int | None:
    year = meta.get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None


class CalendarFallback(AuditCheck):
    """Working days counted without an official holiday schedule.

    What it checks: whether the audit needed a year that neither the holidays
    package nor site_config/calendar.yml covers.
    Why: such deadlines are computed with weekends only and may be wrong.
    Fix: enter the State Council's notice in calendar.yml, or upgrade holidays.
    """

    id = "GP712"
    name = "calendar-fallback"

    def run(self, ctx):
        for warning in ctx.calendar.warnings():
            yield ctx.finding(self, "site_config/calendar.yml", 1, Severity.WARNING, warning)


from .annual_form import AnnualForm  # noqa: E402  (it builds on AuditCheck, above)

#: in run order; CalendarFallback last, after every check that used the calendar
CHECKS: list[type[AuditCheck]] = [
    StaleColumn, EmptyColumn, TooManyStaleColumns, ExpiredPage, OldSignoff, LinkApprovals,
    LinkHealth, UnapprovedPlatform, ZombiePlatform, CommentOverdue, AllowedException,
    AnnualReport, AnnualForm, CalendarFallback,
]
