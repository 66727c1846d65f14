"""Figures about the handling of public comments (pure): for the public page and the report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ..calendar import WorkCalendar
from .model import Comment


@dataclass(frozen=True)
class CommentStats:
    received: int
    replied: int  # answered or withheld, with a reply time
    answered: int
    withheld: int
    open: int
    on_time: int
    average_working_days: float | None  # over replied comments
    reply_days: tuple[float, ...]  # working days to reply, one per replied comment

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.replied if self.replied else None


def comment_stats(comments: Iterable[Comment], calendar: WorkCalendar, *,
                  start: datetime | None = None, end: datetime | None = None) -> CommentStats:
    """Statistics of the comments received in [start, end) (all when not given)."""
    chosen = [c for c in comments
              if (start is None or c.received >= start) and (end is None or c.received < end)]
    replied = [c for c in chosen if not c.is_open]
    days = tuple(round(calendar.working_time_between(c.received, c.replied).days, 2)
                 for c in replied)
    return CommentStats(
        received=len(chosen), replied=len(replied),
        answered=sum(1 for c in replied if not c.is_withheld),
        withheld=sum(1 for c in replied if c.is_withheld),
        open=len(chosen) - len(replied),
        on_time=sum(1 for c in replied if c.on_time),
        average_working_days=round(sum(days) / len(days), 2) if days else None,
        reply_days=days)
