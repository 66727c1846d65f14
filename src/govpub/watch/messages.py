"""The text of alerts: pure functions from facts to title and body.

An obligation alert names the item, its link, the source time (or says there
was none and the deadline counts from first-seen), the deadline in local
time, the time left (or overdue by), and the command that starts the
reproduction draft.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

_STEP_HEADLINES = {
    "detected": "New central item to reproduce",
    "deadline": "DEADLINE REACHED — not reproduced",
}


def span(delta: timedelta) -> str:
    """'3 h 05 min' (absolute value)."""
    minutes = int(abs(delta).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def local(moment: datetime | None, tz: tzinfo) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def headline(step: str) -> str:
    if step in _STEP_HEADLINES:
        return _STEP_HEADLINES[step]
    if step.startswith("remind-"):
        return f"Reminder: {step.removeprefix('remind-').removesuffix('h')} h left to reproduce"
    if step.startswith("overdue-"):
        return f"OVERDUE by {step.removeprefix('overdue-')} h — not reproduced"
    return step


def obligation_alert(ob, step: str, now: datetime, tz: tzinfo, on_duty: str) -> tuple[str, str]:
    """(title, body) for one step of one obligation (``ob`` is a store row)."""
    deadline = datetime.fromisoformat(ob["deadline"])
    first_seen = datetime.fromisoformat(ob["first_seen"])
    source_time = datetime.fromisoformat(ob["source_time"]) if ob["source_time"] else None
    left = deadline - now
    title = f"[govpub #{ob['id']}] {headline(step)}: {ob['title'][:80]}"
    timing = (f"Time left: {span(left)}" if left > timedelta(0)
              else f"Overdue by: {span(left)}")
    if ob["basis"] == "first-seen":
        why = ("no usable publication time in the feed" if source_time is None
               else "the feed's time is in the future")
        source_line = (f"Source time: {local(source_time, tz)} ({ob['source_time_raw'] or 'none'}) "
                       f"— {why}, so the deadline counts from first seen "
                       f"{local(first_seen, tz)}")
    else:
        source_line = f"Source time: {local(source_time, tz)}"
    body = "\n".join([
        f"{ob['title']}",
        f"Publisher: {ob['publisher']} (feed {ob['feed_id']})",
        f"Link: {ob['link'] or '(no link in the feed)'}",
        source_line,
        f"First seen: {local(first_seen, tz)}",
        f"Deadline: {local(deadline, tz)}",
        timing,
        f"On duty: {on_duty}",
        "",
        f"Start the reproduction:  govpub reproduce {ob['id']}",
        f"Not applicable?          govpub watch dismiss {ob['id']} --reason \"…\"",
    ])
    return title, body


def blind_alert(feed_id: str, url: str, reason: str, last_error: str | None,
                last_success: datetime | None, tz: tzinfo) -> tuple[str, str]:
    title = f"[govpub] Feed {feed_id} is BLIND: {reason}"
    body = "\n".join([
        f"The watcher cannot read the feed {feed_id} ({url}).",
        f"Reason: {reason}; last error: {last_error or '—'}",
        f"Last successful poll: {local(last_success, tz)}",
        "Until it recovers, new central items on this feed are NOT being detected: "
        "check the central site by hand.",
    ])
    return title, body


def recovered_alert(feed_id: str, url: str) -> tuple[str, str]:
    return (f"[govpub] Feed {feed_id} recovered",
            f"The watcher reads the feed {feed_id} ({url}) again.")
