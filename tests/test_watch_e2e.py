"""The whole watcher through the CLI, with --now walking the clock through one Friday.

Real parts: a local HTTP feed server whose feed changes between cycles, a
real SMTP server (aiosmtpd) for the day shift's mail, a real HTTP receiver
for the night shift's and the leader's webhooks, and a local site folder
whose api/reproductions.json closes obligations.
"""

import json

import pytest
from govcn_pages import Policy, live_reproduction, policy_page, publish
from watch_fixtures import FeedServer, Mailbox, Receiver, make_repo, rss, write_reproductions

from govpub.cli import main

# item links are filled in with the local server's address (the originals live there)
A = {"title": "国务院关于优化营商环境的意见", "guid": "gov-7001",
     "path": "/zhengce/content/202611/content_7001.htm",
     "date": "2026/11/20 08:30"}                        # feedparser would misread this
B = {"title": "国务院办公厅关于政务公开的通知", "guid": "gov-7002",
     "path": "/zhengce/content/202611/content_7002.htm"}  # no date
C = {"title": "国务院关于印发知识产权规划的通知", "guid": "gov-7003",
     "path": "/zhengce/content/202611/content_7003.htm",
     "date": "Fri, 20 Nov 2026 09:10:00 CST"}
OFFTOPIC = {"title": "部门新闻", "guid": "n1", "path": "/n1.htm",
            "date": "2026-11-20 09:00"}


def at(clock: str) -> str:
    return f"2026-11-20T{clock}:00+08:00"


def original(item) -> Policy:
    return Policy(int(item["guid"].split("-")[1]), item["title"], "2026-11-20-08:30:00")


@pytest.fixture
def world(tmp_path):
    with FeedServer() as server, Mailbox() as mailbox, Receiver() as receiver:
        for item in (A, B, C, OFFTOPIC):
            item["link"] = server.url(item["path"])
        for item in (A, B, C):
            server.routes[item["path"]] = {"body": policy_page(original(item)),
                                           "content_type": "text/html; charset=utf-8"}
        server.routes["/central"] = {"body": rss([A, B, OFFTOPIC]), "etag": '"1"'}
        repo = make_repo(tmp_path, [{"id": "central", "url": server.url("/central"),
                                     "publisher": "中华人民共和国中央人民政府",
                                     "include": ["国务院"]}],
                         smtp_port=mailbox.port, http_port=receiver.port)
        yield repo, server, mailbox, receiver


def cycle(repo, clock, capsys):
    code = main(["--root", str(repo), "watch", "--once", "--now", at(clock)])
    out = capsys.readouterr().out
    return code, out


def status(repo, clock, capsys):
    code = main(["--root", str(repo), "watch", "status", "--format", "json", "--now", at(clock)])
    return code, json.loads(capsys.readouterr().out)


def test_a_day_of_duty(world, capsys):
    repo, server, mailbox, receiver = world

    # 09:00 detection: two obligations (the off-topic item is filtered out), mail to day shift
    code, out = cycle(repo, "09:00", capsys)
    assert code == 0, out
    _, board = status(repo, "09:00", capsys)
    by_title = {o["title"]: o for o in board["obligations"]}
    assert set(by_title) == {A["title"], B["title"]}
    a, b = by_title[A["title"]], by_title[B["title"]]
    assert a["deadline"] == "2026-11-20T12:30:00+00:00"        # 08:30 + 12 h, to the minute
    assert a["deadline_basis"] == "source"
    assert b["deadline"] == "2026-11-20T13:00:00+00:00"        # no date: first seen 09:00 + 12 h
    assert b["deadline_basis"] == "first-seen"
    assert sorted(mailbox.subjects()) == sorted([
        f"[govpub #{a['id']}] New central item to reproduce: {A['title']}",
        f"[govpub #{b['id']}] New central item to reproduce: {B['title']}"])
    bodies = {subject: body for _, subject, body in mailbox.messages}
    body_a = next(v for k, v in bodies.items() if A["title"] in k)
    assert "Deadline: 2026-11-20 20:30 CST" in body_a
    assert "Time left: 11 h 30 min" in body_a
    assert A["link"] in body_a and f"govpub reproduce {a['id']}" in body_a
    body_b = next(v for k, v in bodies.items() if B["title"] in k)
    assert "deadline counts from first seen" in body_b
    assert all(rcpt == ["duty@localhost"] for rcpt, _, _ in mailbox.messages)
    assert receiver.received == []

    # 09:30 unchanged feed: a conditional request answered 304, nothing new
    cycle(repo, "09:30", capsys)
    assert ("/central", '"1"') in server.conditional
    # 10:00 the feed changes: A's title edited, a duplicate of A by link, and new item C
    edited = {**A, "title": A["title"] + "（修订）"}
    duplicate = {**A, "guid": "other-guid", "link": A["link"] + "?utm_source=weibo"}
    server.routes["/central"] = {"body": rss([C, edited, duplicate, B]), "etag": '"2"'}
    cycle(repo, "10:00", capsys)
    _, board = status(repo, "10:00", capsys)
    assert len(board["obligations"]) == 3
    c = next(o for o in board["obligations"] if o["title"] == C["title"])
    assert c["source_time"] == "2026-11-20T01:10:00+00:00"      # CST read as China time
    assert len(mailbox.messages) == 3

    # reminders at 6 h and 2 h before each deadline, each exactly once
    for clock in ("14:29", "14:30", "14:31", "15:00", "15:10", "18:30", "19:00", "19:00"):
        assert cycle(repo, clock, capsys)[0] == 0
    reminders = [s for s in mailbox.subjects() if "Reminder" in s]
    assert sorted(reminders) == sorted(
        [f"[govpub #{a['id']}] Reminder: 6 h left to reproduce: {edited['title']}",
         f"[govpub #{b['id']}] Reminder: 6 h left to reproduce: {B['title']}",
         f"[govpub #{c['id']}] Reminder: 6 h left to reproduce: {C['title']}",
         f"[govpub #{a['id']}] Reminder: 2 h left to reproduce: {edited['title']}",
         f"[govpub #{b['id']}] Reminder: 2 h left to reproduce: {B['title']}"])

    # 20:30 A's deadline: the night shift's webhook and the leader; exit 1 (overdue).
    # C's 2-hour reminder (deadline 21:10) goes to the night shift only.
    code, out = cycle(repo, "20:30", capsys)
    assert code == 1 and "overdue: 1" in out
    a_deadline = f"[govpub #{a['id']}] DEADLINE REACHED — not reproduced: {edited['title']}"
    assert receiver.titles("/leader") == [a_deadline]
    assert sorted(receiver.titles("/duty")) == sorted([
        a_deadline, f"[govpub #{c['id']}] Reminder: 2 h left to reproduce: {C['title']}"])

    # B is reproduced at 20:45 (listed with https:// and a trailing slash); C only as a
    # scheduled page (published in the future): that does not count
    publish(repo / "site", "https://example.gov.cn/reproduced/b/",
            live_reproduction(original(B)))
    write_reproductions(repo / "site", [
        {"title": B["title"], "url": "https://example.gov.cn/reproduced/b/",
         "published": "2026-11-20T20:45:00+08:00",
         "source_url": B["link"].replace("http://", "https://") + "/",
         "source_title": B["title"], "publisher": "国务院", "source_published": None},
        {"title": C["title"], "url": "https://example.gov.cn/reproduced/c/",
         "published": "2026-11-21T09:00:00+08:00", "source_url": C["link"],
         "source_title": C["title"], "publisher": "国务院", "source_published": None}])
    cycle(repo, "20:50", capsys)
    _, board = status(repo, "20:50", capsys)
    b_now = next(o for o in board["obligations"] if o["id"] == b["id"])
    assert b_now["state"] == "reproduced"
    assert b_now["lead_seconds"] == (11 * 60 + 45) * 60          # 09:00 first seen → 20:45
    assert b_now["reproduction_url"] == "https://example.gov.cn/reproduced/b/"

    # 21:00 B's deadline passes silently (closed); 21:30 A overdue 1 h, the duty hook fails once
    cycle(repo, "21:00", capsys)
    receiver.fail_next = 1
    cycle(repo, "21:30", capsys)
    overdue_title = f"[govpub #{a['id']}] OVERDUE by 1 h — not reproduced: {edited['title']}"
    assert overdue_title in receiver.titles("/leader")
    assert overdue_title not in receiver.titles("/duty")
    cycle(repo, "21:31", capsys)                                 # retried a minute later
    cycle(repo, "21:45", capsys)
    assert receiver.titles("/duty").count(overdue_title) == 1
    assert receiver.titles("/leader").count(overdue_title) == 1

    # A is reproduced at 22:40: closed with its lead time; C is dismissed by hand
    publish(repo / "site", "https://example.gov.cn/reproduced/a/",
            live_reproduction(original(A)))
    write_reproductions(repo / "site", [
        {"title": A["title"], "url": "https://example.gov.cn/reproduced/a/",
         "published": "2026-11-20T22:40:00+08:00", "source_url": A["link"] + "?spm=x",
         "source_title": A["title"], "publisher": "国务院", "source_published": None}])
    code, out = cycle(repo, "22:50", capsys)
    assert code == 1 and "open: 1, overdue: 1" in out            # C is still overdue
    assert main(["--root", str(repo), "watch", "dismiss", str(c["id"]), "--reason",
                 "已由办公厅另行转载", "--by", "leader", "--now", at("22:55")]) == 0
    capsys.readouterr()
    code, board = status(repo, "23:00", capsys)
    assert code == 0
    states = {o["id"]: (o["state"], o["lead_seconds"], o["closed_by"])
              for o in board["obligations"]}
    assert states[a["id"]] == ("reproduced", (14 * 60 + 10) * 60, "watcher")
    assert states[c["id"]] == ("dismissed", None, "leader")

    # exactly once overall: no key was delivered twice to any target
    cycle(repo, "23:30", capsys)
    assert len(mailbox.subjects()) == len(set(mailbox.subjects())) == 3 + 5
    c_steps = [f"[govpub #{c['id']}] DEADLINE REACHED — not reproduced: {C['title']}",
               f"[govpub #{c['id']}] OVERDUE by 1 h — not reproduced: {C['title']}"]
    assert sorted(receiver.titles("/leader")) == sorted([a_deadline, overdue_title, *c_steps])
    assert sorted(receiver.titles("/duty")) == sorted([
        a_deadline, overdue_title, *c_steps,
        f"[govpub #{c['id']}] Reminder: 2 h left to reproduce: {C['title']}"])
    assert receiver.titles("/fallback") == []


def test_blind_feed_alerts_once_and_recovers(world, capsys):
    repo, server, mailbox, _receiver = world
    cycle(repo, "09:00", capsys)
    server.routes["/central"] = {"status": 500}
    cycle(repo, "09:10", capsys)
    assert not any("BLIND" in s for s in mailbox.subjects())
    _code, out = cycle(repo, "09:20", capsys)
    assert "FAILED: HTTP 500" in out
    cycle(repo, "09:30", capsys)
    blind = [s for s in mailbox.subjects() if "BLIND" in s]
    assert blind == ["[govpub] Feed central is BLIND: 2 polls in a row failed"]
    _, board = status(repo, "09:30", capsys)
    assert board["feeds"][0]["blind"] and board["feeds"][0]["consecutive_failures"] == 3
    server.routes["/central"] = {"body": rss([A, B])}
    cycle(repo, "09:40", capsys)
    assert mailbox.subjects()[-1] == "[govpub] Feed central recovered"


def test_atom_and_gbk_feeds_together_one_obligation_per_item(tmp_path, capsys):
    from watch_fixtures import atom
    with FeedServer() as server:
        for item in (A, B, C):
            item["link"] = server.url(item["path"])
        server.routes["/atom"] = atom([{**A, "date": "2026-11-20T08:30:00+08:00"}, C])
        server.routes["/gbk"] = rss([{**A, "guid": None}, B], encoding="gbk")
        repo = make_repo(tmp_path, [
            {"id": "atom", "url": server.url("/atom"), "publisher": "国务院"},
            {"id": "gbk", "url": server.url("/gbk"), "publisher": "国务院办公厅"}])
        cycle(repo, "09:00", capsys)
        _, board = status(repo, "09:00", capsys)
    titles = sorted(o["title"] for o in board["obligations"])
    assert titles == sorted([A["title"], B["title"], C["title"]])   # A once, not twice
    a = next(o for o in board["obligations"] if o["title"] == A["title"])
    assert a["deadline"] == "2026-11-20T12:30:00+00:00"
