"""Duty operations: closing cancels alerts, `watch ack`, who is on duty, Chinese alert texts.

Real parts: a local feed server, a webhook receiver for the duty targets and
the CLI with ``--now`` walking the clock through Friday 20 November 2026
(day shift ``duty-mail`` 08:00–20:00, night shift ``duty-hook``, leader).
"""

import json
import re

import pytest
from govcn_pages import Policy, live_reproduction, policy_page, publish
from watch_fixtures import FeedServer, Receiver, make_repo, rss, write_reproductions

from govpub.cli import main

ITEM = {"title": "国务院关于优化营商环境的意见", "guid": "gov-7001",
        "path": "/zhengce/content/202611/content_7001.htm", "date": "2026-11-20 08:00"}
OTHER = {"title": "国务院办公厅关于政务公开的通知", "guid": "gov-7002",
         "path": "/zhengce/content/202611/content_7002.htm", "date": "2026-11-20 08:10"}


def at(clock: str) -> str:
    return f"2026-11-20T{clock}:00+08:00"


@pytest.fixture
def duty_world(tmp_path):
    with FeedServer() as server, Receiver() as receiver:
        for item in (ITEM, OTHER):
            item["link"] = server.url(item["path"])
            server.routes[item["path"]] = {"body": policy_page(Policy(
                int(item["guid"][-4:]), item["title"], "2026-11-20-08:00:00")),
                "content_type": "text/html"}
        server.routes["/central"] = rss([ITEM, OTHER])
        repo = make_repo(tmp_path, [{"id": "central", "url": server.url("/central"),
                                     "publisher": "国务院"}], http_port=receiver.port)
        duty = repo / "site_config" / "duty.yml"   # the day shift on a webhook too
        duty.write_text(re.sub(r"mailto://[^\"]+", f"json://127.0.0.1:{receiver.port}/day",
                               duty.read_text(encoding="utf-8")), encoding="utf-8")
        yield repo, server, receiver


def run(repo, *args):
    return main(["--root", str(repo), *args])


def cycle(repo, clock, capsys):
    code = run(repo, "watch", "--once", "--now", at(clock))
    return code, capsys.readouterr().out


def status(repo, clock, capsys):
    capsys.readouterr()
    code = run(repo, "watch", "status", "--format", "json", "--now", at(clock))
    return code, json.loads(capsys.readouterr().out)


def titles_for(receiver, path, obligation_id):
    return [t for t in receiver.titles(path) if t.startswith(f"[govpub #{obligation_id}]")]


def test_dismissing_cancels_alerts_still_waiting_to_be_delivered(duty_world, capsys):
    repo, _server, receiver = duty_world
    receiver.fail_next = 1                      # the day shift's hook is down at 09:00
    cycle(repo, "09:00", capsys)
    assert receiver.titles("/day") == []
    assert status(repo, "09:00", capsys)[1]["alerts"]["pending"] == 2
    assert run(repo, "watch", "dismiss", "1", "--by", "duty-mail", "--reason", "非重大政策",
               "--now", at("09:02")) == 0
    cycle(repo, "09:30", capsys)                # the hook is back: only #2 is delivered
    assert titles_for(receiver, "/day", 1) == []
    assert len(titles_for(receiver, "/day", 2)) == 1
    assert status(repo, "09:30", capsys)[1]["alerts"]["pending"] == 0


def test_a_reproduced_item_gets_no_overdue_alert_queued_before(duty_world, capsys):
    repo, _server, receiver = duty_world
    cycle(repo, "09:00", capsys)
    receiver.fail_next = 10                     # the night hook and the leader are down
    cycle(repo, "20:00", capsys)                # deadline alerts of both: not delivered
    assert not any("DEADLINE" in t for t in receiver.titles())
    publish(repo / "site", "https://example.gov.cn/reproduced/a/",
            live_reproduction(Policy(7001, ITEM["title"], "2026-11-20-08:00:00")))
    write_reproductions(repo / "site", [{
        "title": ITEM["title"], "url": "https://example.gov.cn/reproduced/a/",
        "published": "2026-11-20T19:30:00+08:00", "source_url": ITEM["link"]}])
    receiver.fail_next = 0
    cycle(repo, "20:10", capsys)                # #1 closes, then the outbox is delivered
    assert [t for t in receiver.titles() if "#1]" in t and "DEADLINE" in t] == []
    assert len([t for t in receiver.titles() if "#2]" in t and "DEADLINE" in t]) == 2


def test_the_outbox_rechecks_an_obligation_closed_while_it_was_sending(duty_world, capsys):
    """Another process dismisses #2 while the outbox is busy sending #1's alert."""
    from datetime import datetime

    from govpub.watch.alerts import Outbox, apprise_sender
    from govpub.watch.store import Store

    repo, _server, receiver = duty_world
    receiver.fail_next = 1
    cycle(repo, "09:00", capsys)                # two alerts pending

    def sender(target, title, body):
        if "#1]" in title:
            other = Store(repo / ".govpub" / "watch.sqlite3")
            with other.transaction():
                other.dismiss(2, datetime.fromisoformat(at("09:05")), "leader", "重复")
            other.close()
        return apprise_sender(target, title, body)

    store = Store(repo / ".govpub" / "watch.sqlite3")
    try:
        delivered = Outbox(store, sender).deliver(datetime.fromisoformat(at("09:06")))
    finally:
        store.close()
    assert [key for key, ok, _ in delivered] == ["obligation:1:detected"]
    assert titles_for(receiver, "/day", 2) == []


def test_ack_sends_reminders_to_the_taker_only_but_escalates_to_all(duty_world, capsys):
    repo, _server, receiver = duty_world
    cycle(repo, "09:00", capsys)
    assert len(titles_for(receiver, "/day", 1)) == 1
    # the night officer takes #1 during the day; a roster check first
    assert run(repo, "watch", "ack", "1", "--by", "intruder", "--now", at("09:05")) == 2
    assert "not on the duty roster" in capsys.readouterr().err
    assert run(repo, "watch", "ack", "1", "--by", "duty-hook", "--now", at("09:05")) == 0
    assert "taken by 值班员乙 (duty-hook)" in capsys.readouterr().out
    cycle(repo, "14:15", capsys)                # 6-hour reminders (deadline 20:00 / 20:10)
    assert [t for t in titles_for(receiver, "/duty", 1) if "Reminder: 6 h" in t]
    assert not [t for t in titles_for(receiver, "/day", 1) if "Reminder" in t]
    assert [t for t in titles_for(receiver, "/day", 2) if "Reminder: 6 h" in t]
    receiver.fail_next = 1                      # the taker's 2-hour reminder is queued …
    cycle(repo, "18:00", capsys)
    cycle(repo, "18:01", capsys)                # … and retried to the taker, not the day shift
    assert len([t for t in titles_for(receiver, "/duty", 1) if "Reminder: 2 h" in t]) == 1
    assert not [t for t in titles_for(receiver, "/day", 1) if "Reminder" in t]
    # the deadline still escalates: to the night shift now on duty and the leader
    cycle(repo, "20:00", capsys)
    deadline = [p for p, payload in receiver.received
                if "#1]" in payload["title"] and "DEADLINE" in payload["title"]]
    assert sorted(deadline) == ["/duty", "/leader"]
    _code, board = status(repo, "20:00", capsys)
    first = next(o for o in board["obligations"] if o["id"] == 1)
    assert first["acked_by"] == "duty-hook" and first["acked_at"] == "2026-11-20T01:05:00+00:00"


def test_ack_during_the_day_keeps_the_deadline_alert_for_the_day_shift(duty_world, capsys):
    repo, server, receiver = duty_world
    early = {**ITEM, "date": "2026-11-20 01:00"}                   # deadline 13:00, daytime
    server.routes["/central"] = rss([early])
    cycle(repo, "09:00", capsys)
    assert run(repo, "watch", "ack", "1", "--by", "leader", "--now", at("09:05")) == 0
    cycle(repo, "13:00", capsys)
    deadline = sorted(p for p, payload in receiver.received if "DEADLINE" in payload["title"])
    assert deadline == ["/day", "/leader"]      # on duty + leaders (the taker is a leader)


def test_status_says_who_is_on_duty_now_and_next_and_who_took_what(duty_world, capsys):
    repo, _server, _receiver = duty_world
    cycle(repo, "09:00", capsys)
    run(repo, "watch", "ack", "2", "--by", "duty-mail", "--now", at("09:10"))
    _code, board = status(repo, "09:30", capsys)
    assert board["duty"] == {"now": ["duty-mail"],
                             "next": {"at": "2026-11-20T12:00:00+00:00", "people": ["duty-hook"]}}
    capsys.readouterr()
    run(repo, "watch", "status", "--now", at("09:30"))
    text = capsys.readouterr().out
    assert "On duty now: 值班员甲 (duty-mail)" in text
    assert "Next on duty: 值班员乙 (duty-hook) from 2026-11-20 20:00 CST" in text
    assert "taken by 值班员甲 (duty-mail) at 2026-11-20 09:10 CST" in text


def test_alerts_are_in_chinese_one_fact_per_line(duty_world, capsys, monkeypatch):
    repo, _server, receiver = duty_world
    monkeypatch.setenv("GOVPUB_LANG", "zh-CN")
    assert run(repo, "watch", "--once", "--now", at("19:30")) == 0
    assert "新增转载任务 2 项" in capsys.readouterr().out
    [payload] = [p for _path, p in receiver.received if p["title"].startswith("[govpub #1]")]
    assert payload["title"] == f"[govpub #1] 新的中央政策信息待转载：{ITEM['title']}"
    lines = payload["message"].split("\n")
    assert lines[0] == ITEM["title"]
    assert "转载时限：2026-11-20 20:00 CST" in lines and "剩余时间：30 分" in lines
    assert "当前值班：值班员甲 (duty-mail)" in lines
    assert "生成转载稿：govpub reproduce 1" in lines


def test_the_duty_handbook_quotes_what_the_watcher_says(duty_world, capsys, monkeypatch):
    """docs/zh/值班手册.md shows the status board and messages; they must be the real ones."""
    from pathlib import Path

    handbook = (Path(__file__).resolve().parents[1] / "docs" / "zh" / "值班手册.md").read_text(
        encoding="utf-8")
    repo, _server, _receiver = duty_world
    monkeypatch.setenv("GOVPUB_LANG", "zh-CN")
    run(repo, "watch", "--once", "--now", at("09:00"))
    run(repo, "watch", "ack", "1", "--by", "duty-mail", "--now", at("09:05"))
    out = capsys.readouterr().out
    run(repo, "watch", "status", "--now", at("09:10"))
    board = capsys.readouterr().out
    for label in ("当前值班：", "下一班：", "待转载", "剩余", "时限", "认领", "信息源", "正常",
                  "最近一次成功读取"):
        assert label in board and label in handbook, label
    assert "此后的提醒只发给您本人" in out and "此后的提醒" in handbook
    from govpub.cli.watch import watch

    mentioned = set(re.findall(r"govpub watch (\w+)", handbook)) - {"--once"}
    assert mentioned and mentioned <= set(watch.commands), mentioned - set(watch.commands)
