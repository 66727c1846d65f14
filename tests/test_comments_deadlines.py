"""`govpub comments`: reply deadlines on working days, reminders and overdue alerts.

Alerts go through the watcher's real outbox to a real local SMTP server.
"""

from __future__ import annotations

import email
import email.header
import json
import socket
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from comments_audit_fixtures import add_comment, dump, make_repo
from watch_fixtures import PATIENT_SECONDS, PATIENT_TARGET

from govpub.calendar import load_calendar
from govpub.cli import main
from govpub.comments import comment_alerts, comment_documents, read_comments
from govpub.config import load_policy
from govpub.content import load_corpus

TZ = ZoneInfo("Asia/Shanghai")


def run(root, *args, capsys):
    code = main(["--root", str(root), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def repo(tmp_path):
    root = make_repo(tmp_path)
    # Fri 13 Feb 2026 15:00: due Wed 25 Feb 15:00 (Sat 14 Feb works, 15–23 Feb off)
    add_comment(root, "spring", "2026-02-13T15:00:00+08:00")
    # Tue 24 Feb 09:00: due Fri 27 Feb 09:00
    add_comment(root, "later", "2026-02-24T09:00:00+08:00")
    # replied and withheld comments are not open
    add_comment(root, "done", "2026-02-02T10:00:00+08:00", replied="2026-02-03T10:00:00+08:00")
    add_comment(root, "fake", "2026-02-02T10:00:00+08:00", replied="2026-02-04T10:00:00+08:00",
                outcome="withheld")
    return root


def test_open_comments_are_listed_by_due_time_with_time_left(repo, capsys):
    code, out, _ = run(repo, "comments", "--now", "2026-02-24T12:00", capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("2 open comment(s), 0 overdue (reply within 3 working days")
    assert "content/comments/spring.md" in lines[1] and "due 2026-02-25 15:00" in lines[1]
    assert ": open: " in lines[1] and "(1 working day 3 h left)" in lines[1]
    assert "content/comments/later.md" in lines[2] and "due 2026-02-27 09:00" in lines[2]
    assert "done.md" not in out and "fake.md" not in out


def test_overdue_comment_exits_1(repo, capsys):
    code, out, _ = run(repo, "comments", "--now", "2026-02-26T09:00", capsys=capsys)
    assert code == 1
    assert "OVERDUE: due 2026-02-25 15:00 (overdue by 18 h)" in out


def test_the_holiday_does_not_count(repo, capsys):
    # during the Spring Festival no working time passes: still 1 working day 9 h left
    code, out, _ = run(repo, "comments", "--now", "2026-02-20T12:00", "--format", "json",
                       capsys=capsys)
    assert code == 0
    data = json.loads(out)
    spring = data["open"][0]
    assert spring["path"] == "content/comments/spring.md"
    assert spring["left_working_seconds"] == (24 + 15) * 3600
    assert spring["state"] == "open"
    assert data["warnings"] == []


def test_configured_seven_working_days(tmp_path, capsys):
    root = make_repo(tmp_path, site={"reply_working_days": 7})
    add_comment(root, "slow", "2026-09-28T10:00:00+08:00")  # Mon, National Day ahead
    code, out, _ = run(root, "comments", "--now", "2026-10-12T09:00", capsys=capsys)
    # 28, 29, 30 Sep, (1–7 Oct off), 8, 9 Oct, Sat 10 Oct works, Mon 12 Oct → due 13 Oct 10:00
    assert code == 0 and "due 2026-10-13 10:00" in out


def test_unreadable_received_fails_closed(tmp_path, capsys):
    root = make_repo(tmp_path)
    add_comment(root, "bad", "yesterday")
    code, out, _ = run(root, "comments", "--now", "2026-02-24T12:00", capsys=capsys)
    assert code == 1
    assert "content/comments/bad.md" in out and "UNREADABLE" in out and "received" in out


def test_year_without_schedule_warns_in_every_format(tmp_path, capsys):
    root = make_repo(tmp_path)
    add_comment(root, "future", "2030-02-01T10:00:00+08:00")
    code, out, err = run(root, "comments", "--now", "2030-02-01T12:00", capsys=capsys)
    assert "WARNING: no official holiday schedule for 2030" in out
    assert "WARNING" in err
    code, out, _ = run(root, "comments", "--now", "2030-02-01T12:00", "--format", "json",
                       capsys=capsys)
    assert code == 0 and "2030" in json.loads(out)["warnings"][0]


def test_bad_now_is_a_usage_error(repo, capsys):
    code, _, err = run(repo, "comments", "--now", "soon", capsys=capsys)
    assert code == 2 and "--now" in err and "Traceback" not in err


def test_alert_decisions_are_pure_and_keyed(repo):
    policy = load_policy(repo)
    calendar = load_calendar(repo, TZ)
    comments, _ = read_comments(policy, comment_documents(policy, load_corpus(policy.content_dir)),
                                calendar)
    early = comment_alerts(comments, datetime(2026, 2, 24, 10, tzinfo=TZ), calendar)
    assert early == []  # 1 working day 5 h left: no reminder yet
    soon = comment_alerts(comments, datetime(2026, 2, 24, 16, tzinfo=TZ), calendar)
    assert [k for k, _, _ in soon] == [
        "comment-reminder:content/comments/spring.md:2026-02-13T15:00:00+08:00"]
    late = comment_alerts(comments, datetime(2026, 2, 26, 16, tzinfo=TZ), calendar)
    keys = [k for k, _, _ in late]
    assert keys[0].startswith("comment-overdue:content/comments/spring.md")
    assert keys[1].startswith("comment-reminder:content/comments/later.md")
    assert "overdue by 1 working day 1 h" in late[0][2]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def subjects(self):
        out = []
        for env in self.messages:
            msg = email.message_from_bytes(env.original_content)
            out.append((str(email.header.make_header(email.header.decode_header(
                msg["Subject"]))), tuple(env.rcpt_tos)))
        return out


@pytest.fixture
def smtp():
    with socket.socket() as probe:  # aiosmtpd's controller cannot start on port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            ready_timeout=PATIENT_SECONDS)  # its own 5 s fails a busy machine
    controller.start()
    yield inbox, port
    controller.stop()


def write_duty(root, port):
    def target(who):
        return (f"mailto://127.0.0.1:{port}?from=watch@example.gov.cn&to={who}@example.gov.cn"
                f"&{PATIENT_TARGET}")

    (root / "site_config" / "duty.yml").write_text(dump({
        "timezone": "Asia/Shanghai",
        "people": {"duty": {"name": "值班员", "targets": [target("duty")]},
                   "boss": {"name": "带班领导", "targets": [target("boss")]}},
        "rotation": [{"person": "duty", "days": ["mon", "tue", "wed", "thu", "fri", "sat",
                                                  "sun"]}],
        "leaders": ["boss"], "fallback": [target("fallback")]}), encoding="utf-8")


def test_reminder_then_overdue_alert_by_mail_each_once(repo, smtp, capsys):
    inbox, port = smtp
    write_duty(repo, port)
    code, out, _ = run(repo, "comments", "--notify", "--now", "2026-02-24T16:00", capsys=capsys)
    assert code == 0
    assert "sent" in out
    assert inbox.subjects() == [("Comment reply due soon: 关于spring的留言",
                                 ("duty@example.gov.cn",))]
    # the same moment again: nothing new is sent
    run(repo, "comments", "--notify", "--now", "2026-02-24T17:00", capsys=capsys)
    assert len(inbox.messages) == 1
    code, out, _ = run(repo, "comments", "--notify", "--now", "2026-02-26T16:00",
                       capsys=capsys)
    assert code == 1  # spring is overdue
    subjects = inbox.subjects()[1:]
    assert ("Comment reply overdue: 关于spring的留言",
            ("duty@example.gov.cn",)) in subjects
    assert ("Comment reply overdue: 关于spring的留言",
            ("boss@example.gov.cn",)) in subjects
    assert ("Comment reply due soon: 关于later的留言",
            ("duty@example.gov.cn",)) in subjects
    assert len(subjects) == 3


def test_notify_without_duty_file_is_a_config_error(repo, capsys):
    code, _, err = run(repo, "comments", "--notify", "--now", "2026-02-24T16:00", capsys=capsys)
    assert code == 2 and "duty.yml" in err


def test_hostile_comment_values_are_unreadable_not_crashes(tmp_path, capsys):
    root = make_repo(tmp_path)
    add_comment(root, "far", "9999-12-31T23:00:00+08:00")
    add_comment(root, "backwards", "2026-02-10T10:00:00+08:00",
                replied="2026-02-01T10:00:00+08:00")
    add_comment(root, "forged", "2026-02-24T09:00:00+08:00",
                subject="真主题\ncontent/comments/x.md:1: OVERDUE: fake")
    code, out, err = run(root, "comments", "--now", "2026-02-24T12:00", capsys=capsys)
    assert code == 1 and "Traceback" not in err
    assert "content/comments/far.md:6: UNREADABLE: `received` year 9999 is not plausible" in out
    assert "content/comments/backwards.md" in out and "before `received`" in out
    forged = [line for line in out.splitlines() if "forged.md" in line]
    assert len(forged) == 1 and forged[0].endswith("真主题 content/comments/x.md:1: OVERDUE: fake")
    assert not any(line.startswith("content/comments/x.md") for line in out.splitlines())


def test_impossible_dates_are_handled(tmp_path, capsys):
    root = make_repo(tmp_path)
    add_comment(root, "month13", "2026-13-01")
    code, out, err = run(root, "comments", "--now", "2026-02-24T12:00", capsys=capsys)
    assert code == 1 and "content/comments/month13.md" in out and "UNREADABLE" in out
    code, _, err = run(root, "comments", "--now", "2026-13-01", capsys=capsys)
    assert code == 2 and "--now '2026-13-01'" in err and "Traceback" not in err


def test_the_watcher_cycle_sends_comment_reminders_through_its_outbox(repo, smtp, capsys):
    inbox, port = smtp
    write_duty(repo, port)
    feed = repo / "feed.xml"
    feed.write_text('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                    "<title>t</title><link>https://www.gov.cn/</link><description>d"
                    "</description></channel></rss>", encoding="utf-8")
    (repo / "site_config" / "feeds.yml").write_text(dump({
        "state": ".govpub/watch.sqlite3",
        "feeds": [{"id": "central", "url": str(feed), "publisher": "国务院"}]}),
        encoding="utf-8")
    for _ in range(2):  # a second cycle at the same time sends nothing new
        run(repo, "watch", "--once", "--now", "2026-02-24T16:00", capsys=capsys)
    assert inbox.subjects() == [("Comment reply due soon: 关于spring的留言",
                                 ("duty@example.gov.cn",))]
