"""The text of alerts: pure functions from facts to title and body.

An obligation alert names the item, its link, the source time (or says there
was none and the deadline counts from first-seen), the deadline in local
time, the time left (or overdue by), who is on duty and who has taken the
item, and the commands for what to do next. One fact per line: plain-text
mail and chat bots show the body as it is.

Texts are in the process's language (Chinese unless told otherwise); every
value that came from a feed is cleaned of control characters first, so a
hostile title cannot add a line to a mail header or reorder the text.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from ..i18n import N_, _
from .text import clean_line

_STEP_HEADLINES = {
    "detected": N_("New central item to reproduce"),
    "deadline": N_("DEADLINE REACHED — not reproduced"),
}
TITLE_CHARS = 80


def span(delta: timedelta) -> str:
    """'3 h 05 min' (absolute value)."""
    minutes = int(abs(delta).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("{hours} h {minutes:02d} min").format(hours=hours, minutes=minutes)
    return _("{minutes} min").format(minutes=minutes)


def local(moment: datetime | None, tz: tzinfo) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def headline(step: str) -> str:
    if step in _STEP_HEADLINES:
        return _(_STEP_HEADLINES[step])
    if step.startswith("remind-"):
        return _("Reminder: {hours} h left to reproduce").format(
            hours=step.removeprefix("remind-").removesuffix("h"))
    if step.startswith("overdue-"):
        return _("OVERDUE by {hours} h — not reproduced").format(
            hours=step.removeprefix("overdue-"))
    return step


def _value(text) -> str:
    return clean_line(text) or "—"


def obligation_alert(ob, step: str, now: datetime, tz: tzinfo, on_duty: str,
                     acked: str | None = None) -> tuple[str, str]:
    """(title, body) for one step of one obligation (``ob`` is a store row)."""
    deadline = datetime.fromisoformat(ob["deadline"])
    first_seen = datetime.fromisoformat(ob["first_seen"])
    source_time = datetime.fromisoformat(ob["source_time"]) if ob["source_time"] else None
    left = deadline - now
    title = _value(ob["title"])
    subject = _("[govpub #{id}] {headline}: {title}").format(
        id=ob["id"], headline=headline(step), title=title[:TITLE_CHARS])
    timing = (_("Time left: {span}").format(span=span(left)) if left > timedelta(0)
              else _("Overdue by: {span}").format(span=span(left)))
    if ob["basis"] == "first-seen":
        why = (_("no usable publication time in the feed") if source_time is None
               else _("the feed's time is in the future"))
        source_line = _("Source time: {time} ({raw}) — {why}, so the deadline counts from "
                        "first seen {first_seen}").format(
            time=local(source_time, tz), raw=_value(ob["source_time_raw"]), why=why,
            first_seen=local(first_seen, tz))
    else:
        source_line = _("Source time: {time}").format(time=local(source_time, tz))
    lines = [
        title,
        _("Publisher: {publisher} (feed {feed})").format(publisher=_value(ob["publisher"]),
                                                         feed=ob["feed_id"]),
        _("Link: {link}").format(link=_value(ob["link"]) if ob["link"]
                                 else _("(no link in the feed)")),
        source_line,
        _("First seen: {time}").format(time=local(first_seen, tz)),
        _("Deadline: {time}").format(time=local(deadline, tz)),
        timing,
        _("On duty: {people}").format(people=on_duty),
    ]
    if acked:
        lines.append(_("Taken by: {person}").format(person=acked))
    lines += [
        "",
        _("Start the reproduction:  govpub reproduce {id}").format(id=ob["id"]),
        _("Take it (stops reminders to others):  govpub watch ack {id} --by YOUR-ID").format(
            id=ob["id"]),
        _("Not applicable?  govpub watch dismiss {id} --by YOUR-ID --reason \"…\"").format(
            id=ob["id"]),
    ]
    return subject, "\n".join(lines)


def blind_alert(feed_id: str, url: str, reason: str, last_error: str | None,
                last_success: datetime | None, tz: tzinfo) -> tuple[str, str]:
    title = _("[govpub] Feed {feed} is BLIND: {reason}").format(feed=feed_id, reason=reason)
    body = "\n".join([
        _("The watcher cannot read the feed {feed} ({url}).").format(feed=feed_id, url=url),
        _("Reason: {reason}; last error: {error}").format(reason=reason,
                                                          error=_value(last_error)),
        _("Last successful poll: {time}").format(time=local(last_success, tz)),
        _("Until it recovers, new central items on this feed are NOT being detected: "
          "check the central site by hand."),
    ])
    return title, body


def recovered_alert(feed_id: str, url: str) -> tuple[str, str]:
    return (_("[govpub] Feed {feed} recovered").format(feed=feed_id),
            _("The watcher reads the feed {feed} ({url}) again.").format(feed=feed_id, url=url))


def over_limit_alert(feed_id: str, url: str, total: int, limit: int) -> tuple[str, str]:
    title = _("[govpub] Feed {feed} has {total} items, over its limit of {limit}").format(
        feed=feed_id, total=total, limit=limit)
    body = "\n".join([
        _("The feed {feed} ({url}) lists {total} items; the watcher reads the first "
          "{limit}.").format(feed=feed_id, url=url, total=total, limit=limit),
        _("Items beyond the limit are NOT being watched: check the feed by hand, and raise "
          "max_items in site_config/feeds.yml if the feed is right."),
    ])
    return title, body
