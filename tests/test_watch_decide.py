"""Pure decisions: deadlines to the minute, reminders, escalation, hourly overdue, filters."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from govpub.watch import decide
from govpub.watch.decide import ObligationFacts

TZ = ZoneInfo("Asia/Shanghai")
HOUR = timedelta(hours=1)
REMINDERS = (6, 2)
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)


def at(hours: float, minutes: int = 0) -> datetime:
    return T0 + timedelta(hours=hours, minutes=minutes)


def facts(first_seen=T0, hours=12):
    return ObligationFacts(1, first_seen, T0 + timedelta(hours=hours))


def latest(now, ob=None):
    step = decide.latest_step(ob or facts(), now, REMINDERS, HOUR)
    return step.name if step else None


@pytest.mark.parametrize("now, expected", [
    (at(0) - timedelta(minutes=1), None),
    (at(0), "detected"),
    (at(5, 59), "detected"),
    (at(6), "remind-6h"),                      # 6 h before the 22:00 deadline
    (at(9, 59), "remind-6h"),
    (at(10), "remind-2h"),
    (at(11, 59), "remind-2h"),
    (at(12), "deadline"),                      # to the minute
    (at(12, 59), "deadline"),
    (at(13), "overdue-1"),
    (at(13, 30), "overdue-1"),
    (at(14), "overdue-2"),
    (at(36), "overdue-24"),
])
def test_the_step_sequence_to_the_minute(now, expected):
    assert latest(now) == expected


def test_deadline_and_overdue_escalate_reminders_do_not():
    steps = decide.steps_until(facts(), at(15), REMINDERS, HOUR)
    assert [(s.name, s.escalate) for s in steps] == [
        ("detected", False), ("remind-6h", False), ("remind-2h", False),
        ("deadline", True), ("overdue-3", True)]
    assert [s.at for s in steps] == [at(0), at(6), at(10), at(12), at(15)]


def test_item_detected_late_skips_reminders_before_detection():
    ob = facts(first_seen=at(7))  # seen 7 h after publication: 5 h left
    names = [s.name for s in decide.steps_until(ob, at(11), REMINDERS, HOUR)]
    assert names == ["detected", "remind-2h"]


def test_item_detected_after_its_deadline_escalates_at_once():
    ob = facts(first_seen=at(12, 30))
    assert [s.name for s in decide.steps_until(ob, at(12, 30), REMINDERS, HOUR)] == ["deadline"]
    assert latest(at(13, 1), ob) == "overdue-1"


def test_only_the_latest_due_step_is_sent_and_only_once():
    ob = facts()
    # the watcher was down from detection to 15:00: one overdue alert, no stale reminders
    due = decide.due_alerts([ob], at(15), REMINDERS, HOUR, known_keys=set())
    assert [d.key for d in due] == ["obligation:1:overdue-3"]
    again = decide.due_alerts([ob], at(15, 20), REMINDERS, HOUR, {"obligation:1:overdue-3"})
    assert again == []


def test_walk_the_clock_minute_by_minute_gives_each_step_once():
    ob = facts()
    known: set[str] = set()
    sent = []
    now = at(-1)
    while now <= at(15):
        for alert in decide.due_alerts([ob], now, REMINDERS, HOUR, known):
            known.add(alert.key)
            sent.append((alert.step.name, now))
        now += timedelta(minutes=1)
    assert sent == [("detected", at(0)), ("remind-6h", at(6)), ("remind-2h", at(10)),
                    ("deadline", at(12)), ("overdue-1", at(13)), ("overdue-2", at(14)),
                    ("overdue-3", at(15))]


def test_closed_obligations_decide_nothing():
    ob = ObligationFacts(1, T0, at(12), state="reproduced")
    assert decide.due_alerts([ob], at(20), REMINDERS, HOUR, set()) == []
    assert not decide.is_overdue(ob, at(20))
    assert decide.is_overdue(facts(), at(12))
    assert not decide.is_overdue(facts(), at(11, 59))


def test_custom_reminders_and_overdue_interval():
    names = [s.name for s in decide.steps_until(facts(), at(14), (3, 1.5, 0.25),
                                                timedelta(minutes=30))]
    assert names == ["detected", "remind-3h", "remind-1.5h", "remind-0.25h", "deadline",
                     "overdue-4"]


def test_deadline_counts_from_source_time_else_first_seen():
    seen = at(1)
    assert decide.deadline_for(T0, seen, 12) == (at(12), "source")
    assert decide.deadline_for(None, seen, 12) == (at(13), "first-seen")
    # a source time far in the future is not trusted
    assert decide.deadline_for(at(30), seen, 12) == (at(13), "first-seen")
    assert decide.deadline_for(at(1, 30), seen, 12) == (at(13, 30), "source")


def test_blind_feed_after_failures_or_silence():
    blind_after = timedelta(minutes=30)
    assert decide.blind_reason(1, at(0), at(0, 10), 3, blind_after, at(0)) is None
    assert "3 polls" in decide.blind_reason(3, at(0), at(0, 10), 3, blind_after, at(0))
    assert "no successful poll for 31" in decide.blind_reason(1, at(0), at(0, 31), 3,
                                                              blind_after, at(0))
    assert decide.blind_reason(0, at(0), at(5), 3, blind_after, at(0)) is None
    assert decide.blind_reason(1, None, at(1), 3, blind_after, at(0)) is not None


@pytest.mark.parametrize("title, categories, include, exclude, wanted", [
    ("国务院关于X的通知", (), (), (), True),
    ("国务院关于X的通知", (), ("国务院",), (), True),
    ("部门通知", ("国务院文件",), ("国务院",), (), True),
    ("部门通知", (), ("国务院",), (), False),
    ("国务院关于放假安排的通知", (), ("国务院",), ("放假",), False),
    ("State Council Notice", (), ("state council",), (), True),
])
def test_keyword_filters(title, categories, include, exclude, wanted):
    assert decide.wants_item(title, categories, include, exclude) is wanted
