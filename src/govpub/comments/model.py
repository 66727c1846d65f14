"""Public comments as data: received, due, replied, on time (pure, no I/O).

A comment page (type ``comment``) is *open* until it has a ``replied`` time;
its reply is due ``reply_working_days`` working days after ``received``
(``site.yml``, default 3) on the official calendar. Every comment in the
repository counts, approved or not: an open comment is never publishable,
yet it is exactly the one whose deadline matters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ..calendar import WorkCalendar, WorkingTime
from ..config import Policy
from ..content import Corpus, Document
from ..i18n import _
from ..timeparse import parse_datetime

DEFAULT_REPLY_WORKING_DAYS = 3
INDEX_NAMES = frozenset({"index.md", "README.md"})


@dataclass(frozen=True)
class Comment:
    path: str  # repository path, content/comments/...
    line: int
    subject: str
    channel: str
    received: datetime
    due: datetime
    replied: datetime | None
    outcome: str | None  # answered | withheld | None while open
    handled_by: str
    withheld_reason: str

    @property
    def is_open(self) -> bool:
        return self.replied is None

    @property
    def is_withheld(self) -> bool:
        return self.outcome == "withheld"

    @property
    def on_time(self) -> bool | None:
        return None if self.replied is None else self.replied <= self.due


@dataclass(frozen=True)
class UnreadableComment:
    """A comment whose deadline cannot be computed: tracked as a problem, never dropped."""

    path: str
    line: int
    reason: str


def reply_working_days(policy: Policy) -> int:
    return int(policy.site.get("reply_working_days", DEFAULT_REPLY_WORKING_DAYS))


def comment_columns(policy: Policy) -> set[str]:
    return {folder for folder, column in policy.columns.items() if column.type == "comment"}


def comment_documents(policy: Policy, corpus: Corpus) -> list[Document]:
    folders = comment_columns(policy)
    return [doc for doc in corpus.pages()
            if doc.column in folders and doc.path.rsplit("/", 1)[-1] not in INDEX_NAMES]


#: a comment's times must be plausible; anything else is a typo (or hostile)
YEARS = range(2000, 2101)


def _text(meta: dict, key: str) -> str:
    # one line: a subject must not forge extra lines in the listing or an alert
    value = meta.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def read_comment(doc: Document, policy: Policy, calendar: WorkCalendar,
                 days: int) -> Comment | UnreadableComment:
    if not doc.has_meta:
        return UnreadableComment(doc.repo_path, 1, _("front matter cannot be read — run "
                                                     "`govpub check` for the details"))
    meta = doc.meta
    tz = policy.timezone
    try:
        received = parse_datetime(meta.get("received"), tz)
    except ValueError as exc:
        return UnreadableComment(doc.repo_path, doc.line_of("received"),
                                 _("`received` is missing or wrong: {error}").format(error=exc))
    if received.year not in YEARS:
        return UnreadableComment(doc.repo_path, doc.line_of("received"),
                                 _("`received` year {year} is not plausible").format(
                                     year=received.year))
    replied = None
    if meta.get("replied") is not None:
        try:
            replied = parse_datetime(meta["replied"], tz)
        except ValueError as exc:
            return UnreadableComment(doc.repo_path, doc.line_of("replied"),
                                     _("`replied` is wrong: {error}").format(error=exc))
        if replied.year not in YEARS or replied < received:
            return UnreadableComment(doc.repo_path, doc.line_of("replied"),
                                     _("`replied` is before `received` or not plausible"))
    outcome = meta.get("outcome") if meta.get("outcome") in ("answered", "withheld") else None
    if replied is not None and outcome is None:
        outcome = "answered"
    try:
        due = calendar.add_working_days(received, days)
    except (ValueError, OverflowError) as exc:
        return UnreadableComment(doc.repo_path, doc.line_of("received"), str(exc))
    return Comment(path=doc.repo_path, line=doc.line_of("received"),
                   subject=_text(meta, "subject") or _text(meta, "title") or doc.path,
                   channel=_text(meta, "channel"), received=received, due=due,
                   replied=replied, outcome=outcome, handled_by=_text(meta, "handled_by"),
                   withheld_reason=_text(meta, "withheld_reason"))


def read_comments(policy: Policy, documents: Iterable[Document], calendar: WorkCalendar
                  ) -> tuple[list[Comment], list[UnreadableComment]]:
    """The comments among ``documents`` (see :func:`comment_documents`), and those unreadable."""
    days = reply_working_days(policy)
    comments, unreadable = [], []
    for doc in documents:
        item = read_comment(doc, policy, calendar, days)
        (comments if isinstance(item, Comment) else unreadable).append(item)
    comments.sort(key=lambda c: (c.due, c.path))
    return comments, unreadable


@dataclass(frozen=True)
class OpenStatus:
    comment: Comment
    left: WorkingTime  # negative when overdue
    state: str  # overdue | due-soon | open


def open_statuses(comments: Iterable[Comment], now: datetime,
                  calendar: WorkCalendar) -> list[OpenStatus]:
    """Open comments by due time, with the working time left."""
    out = []
    for comment in comments:
        if not comment.is_open:
            continue
        left = calendar.working_time_between(now, comment.due)
        if now >= comment.due:
            state = "overdue"
        elif left.seconds <= 86400:
            state = "due-soon"
        else:
            state = "open"
        out.append(OpenStatus(comment, left, state))
    return sorted(out, key=lambda s: (s.comment.due, s.comment.path))


def comment_alerts(comments: Iterable[Comment], now: datetime,
                   calendar: WorkCalendar) -> list[tuple[str, str, str]]:
    """Alerts due now as ``(key, title, body)``: a reminder one working day before, then overdue.

    Keys are stable, so an outbox that delivers each key once sends each
    reminder and each overdue alert exactly once per comment.
    """
    alerts = []
    for status in open_statuses(comments, now, calendar):
        c = status.comment
        due = c.due.astimezone(calendar.tz).strftime("%Y-%m-%d %H:%M")
        received = c.received.astimezone(calendar.tz).strftime("%Y-%m-%d %H:%M")
        if status.state == "overdue":
            key = f"comment-overdue:{c.path}:{c.received.isoformat()}"
            title = _("Comment reply overdue: {subject}").format(subject=c.subject)
            body = _("The reply to the public comment “{subject}” ({path}, received {received} "
                     "by {channel}) was due {due} and is overdue by {overdue}. Reply and record "
                     "`replied`, `handled_by` and `outcome` in the page.").format(
                subject=c.subject, path=c.path, received=received,
                channel=c.channel or _("unknown channel"), due=due,
                overdue=WorkingTime(-status.left.seconds).describe())
        elif status.state == "due-soon":
            key = f"comment-reminder:{c.path}:{c.received.isoformat()}"
            title = _("Comment reply due soon: {subject}").format(subject=c.subject)
            body = _("The reply to the public comment “{subject}” ({path}, received {received}) "
                     "is due {due}: {left} left.").format(
                subject=c.subject, path=c.path, received=received, due=due,
                left=status.left.describe())
        else:
            continue
        warnings = calendar.warnings()
        if warnings:
            body += "\n\n" + "\n".join(_("WARNING: {warning}").format(warning=w)
                                         for w in warnings)
        alerts.append((key, title, body))
    return alerts
