"""The status board (``govpub watch status``): pure functions from state rows to text or JSON.

JSON keys never change with the language; the text is in the process's
language. Overdue items come first, then the rest of the open ones by
deadline, then the recently closed ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from ..i18n import N_, _
from ..textwidth import pad
from .config import DutyConfig
from .decide import BASELINE_REASON
from .duty import describe_people, describe_person, next_change, on_duty
from .messages import local, span
from .store import from_iso, iso

STATES = {"open": N_("OPEN"), "reproduced": N_("REPRODUCED"), "dismissed": N_("DISMISSED")}
#: reasons the watcher itself records (stored in English, shown in the reader's language)
REASONS = {BASELINE_REASON: BASELINE_REASON}


def state_name(state: str) -> str:
    return _(STATES[state]) if state in STATES else state


def obligation_json(row, now: datetime) -> dict:
    deadline = from_iso(row["deadline"])
    is_open = row["state"] == "open"
    return {
        "id": row["id"], "state": row["state"], "title": row["title"], "link": row["link"],
        "feed": row["feed_id"], "publisher": row["publisher"],
        "source_time": row["source_time"], "source_time_raw": row["source_time_raw"],
        "first_seen": row["first_seen"], "deadline": row["deadline"],
        "deadline_basis": row["basis"],
        "seconds_left": int((deadline - now).total_seconds()) if is_open else None,
        "overdue": is_open and deadline <= now,
        "acked_by": row["acked_by"], "acked_at": row["acked_at"],
        "closed_at": row["closed_at"], "closed_by": row["closed_by"],
        "close_reason": row["close_reason"], "reproduction_url": row["reproduction_url"],
        "reproduced_at": row["reproduction_published"], "lead_seconds": row["lead_seconds"],
        "late": bool(row["late"]) if row["late"] is not None else None,
        "verify_note": row["verify_note"],
    }


def ordered(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda i: (not i["overdue"], i["state"] != "open", i["deadline"]))


def feed_json(row) -> dict:
    return {"id": row["id"], "last_success": row["last_success"],
            "last_attempt": row["last_attempt"],
            "consecutive_failures": row["consecutive_failures"],
            "last_error": row["last_error"], "blind": bool(row["blind_since"]),
            "items": row["items_total"], "over_limit": bool(row["over_limit_since"])}


def duty_json(duty: DutyConfig, now: datetime) -> dict:
    change = next_change(duty, now)
    return {"now": on_duty(duty, now),
            "next": {"at": iso(change), "people": on_duty(duty, change)} if change else None}


def duty_lines(duty: DutyConfig, now: datetime, tz: tzinfo) -> list[str]:
    lines = [_("On duty now: {people}").format(people=describe_people(duty, on_duty(duty, now)))]
    change = next_change(duty, now)
    if change is not None:
        lines.append(_("Next on duty: {people} from {time}").format(
            people=describe_people(duty, on_duty(duty, change)), time=local(change, tz)))
    return lines


def obligation_lines(item: dict, duty: DutyConfig, tz: tzinfo) -> list[str]:
    state = state_name(item["state"])
    if item["state"] != "open":
        if item["lead_seconds"] is not None:
            extra = _("lead {span}").format(span=span(timedelta(seconds=item["lead_seconds"])))
            if item["late"]:
                extra += _(", LATE")
        else:
            reason = item["close_reason"] or ""
            extra = _(REASONS[reason]) if reason in REASONS else reason
        by = item["closed_by"] if item["closed_by"] not in (None, "watcher") else None
        if by:
            extra += _(", by {person}").format(person=describe_person(duty, by))
        return [f"#{item['id']:<5} {pad(state, 10)} {local(from_iso(item['closed_at']), tz)}  "
                f"{item['title']}  ({extra})"]
    left = timedelta(seconds=item["seconds_left"])
    when = (_("OVERDUE by {span}").format(span=span(left)) if item["overdue"]
            else _("{span} left").format(span=span(left)))
    lines = [f"#{item['id']:<5} {pad(state, 10)} {pad(when, 22)} "
             + _("deadline {time}").format(time=local(from_iso(item["deadline"]), tz))
             + f"  {item['title']}",
             f"{'':7}{item['link'] or ''}  (govpub reproduce {item['id']})"]
    if item["acked_by"]:
        lines.append(f"{'':7}" + _("taken by {person} at {time}").format(
            person=describe_person(duty, item["acked_by"]),
            time=local(from_iso(item["acked_at"]), tz)))
    if item["verify_note"]:
        lines.append(f"{'':7}{item['verify_note']}")
    return lines


def feed_line(feed: dict, tz: tzinfo) -> str:
    state = (_("BLIND") if feed["blind"] else
             _("failing") if feed["consecutive_failures"] else _("ok"))
    line = _("feed {feed}: {state}; last success {time}").format(
        feed=feed["id"], state=state, time=local(from_iso(feed["last_success"]), tz))
    if feed["consecutive_failures"]:
        line += _("; {count} failure(s): {error}").format(
            count=feed["consecutive_failures"], error=feed["last_error"])
    if feed["over_limit"]:
        line += _("; OVER THE ITEM LIMIT: {count} items listed").format(count=feed["items"])
    return line
