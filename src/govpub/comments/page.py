"""The public page on the handling of all comments (a build page generator).

Counts every comment in the repository — open and withheld ones too — but
shows the text only of answered comments whose page passed the gate (they
are in the :class:`SiteModel`, so the sensitive-content rules and the
confidentiality review have been applied). Withheld comments are counted;
their text and the reason they were withheld are never published.
"""

from __future__ import annotations

from ..calendar import load_calendar
from ..sitemodel import SiteModel
from .model import comment_columns, read_comments, reply_working_days
from .stats import CommentStats, comment_stats

PAGE_PATH = "comments/handling.md"


def _fmt(moment, tz) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _mdtext():
    # imported late: the build imports this module as one of its page generators
    from ..build import mdtext

    return mdtext


def _stats_lines(stats: CommentStats, days: int) -> list[str]:
    share = f"{stats.on_time_share:.0%}" if stats.on_time_share is not None else "—"
    average = (f"{stats.average_working_days:.2f}" if stats.average_working_days is not None
               else "—")
    return [
        "| 项目 Item | 数量 Count |", "|---|---|",
        f"| 收到留言 Received | {stats.received} |",
        f"| 已办结 Replied | {stats.replied} |",
        f"| 其中答复 Answered | {stats.answered} |",
        f"| 其中不予公开（只计数） Withheld (counted, not shown) | {stats.withheld} |",
        f"| 办理中 Open | {stats.open} |",
        f"| {days} 个工作日内办结 Replied within {days} working days | {stats.on_time} ({share}) |",
        f"| 平均办理时间（工作日） Average working days to reply | {average} |",
    ]


def comments_markdown(model: SiteModel) -> str:
    mdtext = _mdtext()
    policy = model.policy
    tz = policy.timezone
    calendar = load_calendar(policy.root, tz)
    comments, unreadable = read_comments(policy, model.comment_documents, calendar)
    days = reply_working_days(policy)
    stats = comment_stats(comments, calendar)
    published = {p.doc.repo_path: p for p in model.pages if p.type == "comment"}
    lines = [mdtext.front_matter("留言办理情况 Handling of public comments").rstrip("\n"), "",
             "# 留言办理情况 Handling of public comments", "",
             f"公众留言应在收到后 {days} 个工作日内答复（按国务院办公厅公布的节假日安排计算）。"
             "以下统计包括全部留言；经核实不宜公开的留言（如不实举报）只计数，不公开内容。", "",
             f"Public comments are answered within {days} working days. The figures count every "
             "comment; comments that are not published (e.g. inauthentic reports) are counted "
             "only.", ""]
    lines += _stats_lines(stats, days)
    if unreadable:
        lines += ["", f"另有 {len(unreadable)} 条留言的办理期限无法计算，正在核对。"]
    lines += ["", "## 答复公开 Published replies", ""]
    shown = [c for c in comments if c.outcome == "answered" and c.path in published]
    shown.sort(key=lambda c: (c.replied, c.path), reverse=True)
    if not shown:
        lines.append("暂无公开答复。 No published replies yet.")
    for c in shown:
        page = published[c.path]
        taken = calendar.working_time_between(c.received, c.replied)
        message = page.meta.get("message", "")
        reply = page.meta.get("reply", "")
        lines += [
            f"### {mdtext.link(c.subject, page.path, PAGE_PATH)}", "",
            f"- 收到时间 Received: {_fmt(c.received, tz)}",
            f"- 答复时间 Replied: {_fmt(c.replied, tz)}（{taken.days:.1f} 个工作日"
            f"{'' if c.on_time else '，超期 late'}）",
            f"- 办理部门 Handled by: {mdtext.text(c.handled_by)}", "",
            f"**留言 Message：** {mdtext.text(message)}", "",
            f"**答复 Reply：** {mdtext.text(reply)}", ""]
    warnings = calendar.warnings()
    if warnings:
        lines += ["", "!!! warning", ""] + [f"    {mdtext.text(w)}" for w in warnings]
    return "\n".join(lines) + "\n"


def comments_page(model: SiteModel) -> dict[str, str]:
    """Build-time page generator: staging path → Markdown (nothing without a comment column)."""
    if "comments" not in comment_columns(model.policy):
        return {}
    return {PAGE_PATH: comments_markdown(model)}
