"""Public comments: reply deadlines on working days, reminders, the public handling page.

:mod:`.model` reads comment pages and decides (pure); :mod:`.alerts` hands
reminders and overdue alerts to the watcher's outbox; :mod:`.page` generates
the public page listing the handling of all comments.
"""

from .model import (
    Comment,
    OpenStatus,
    UnreadableComment,
    comment_alerts,
    comment_documents,
    open_statuses,
    read_comments,
    reply_working_days,
)

__all__ = ["Comment", "OpenStatus", "UnreadableComment", "comment_alerts", "comment_documents",
           "open_statuses", "read_comments", "reply_working_days"]
