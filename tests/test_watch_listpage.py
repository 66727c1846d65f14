"""HTML list pages as a source: the State Council's latest-policy list on a real local server.

The list and policy pages are the shapes www.gov.cn serves (tests/govcn_pages.py);
the source is the shipped ``gov-cn-zuixin`` preset pointed at the local copy.
"""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from govcn_pages import Policy, list_page, policy_page
from watch_fixtures import FeedServer, Receiver, make_repo

from govpub.cli import main
from govpub.errors import ConfigError
from govpub.watch.config import load_feeds
from govpub.watch.listpage import PageSpec, list_links, page_facts

TZ = ZoneInfo("Asia/Shanghai")
P1 = Policy(7001, "国务院关于优化政务服务提升行政效能的意见", "2026-11-20-08:30:00",
            doc_number="国发〔2026〕21号")
P2 = Policy(7002, "国务院办公厅关于印发知识产权强国建设纲要的通知", "2026-11-20-09:10:00",
            issuer="国务院办公厅", doc_number="国办发〔2026〕5号")
P3 = Policy(7003, "国务院关于调整部分节假日安排的通知", "2026-11-20-10:00:00", column="通知公告")
P4 = Policy(7004, "国务院关于加快推进数字政府建设的指导意见", "2026-11-20-11:00:00",
            encoding="gb18030")


def at(clock: str) -> str:
    return f"2026-11-20T{clock}:00+08:00"


def test_list_links_are_the_policies_only():
    base = "https://www.gov.cn/zhengce/zuixin.htm"
    links = list_links(list_page([P1, P2]).decode(), base, "h4 a, div.subtitle a[title]",
                       re.compile(r"/zhengce/.*content_\d+\.htm$"))
    assert [link.url for link in links] == [f"https://www.gov.cn{P1.path}",
                                            f"https://www.gov.cn{P2.path}"]
    assert links[0].text == P1.title
    # the same link twice (tracking parameter) counts once
    doubled = list_page([P1], extra=f'<li><h4><a href="{P1.path}?spm=1">x</a></h4></li>')
    assert len(list_links(doubled.decode(), base, "h4 a")) == 1


def test_page_facts_from_metadata_in_beijing_time():
    spec = PageSpec(time_meta=("firstpublishedtime",), id_meta=("manuscriptId",),
                    column_meta=("lanmu",), title_selector="div.share-title")
    facts = page_facts(policy_page(P2).decode(), spec, TZ)
    assert facts.time == datetime(2026, 11, 20, 9, 10, tzinfo=TZ)
    assert facts.time_raw == "2026-11-20-09:10:00"
    assert facts.guid == "manuscriptId:7002"
    assert facts.column == "最新政策" and facts.title == P2.title


def test_page_facts_from_a_selector_and_a_date_pattern():
    html = ('<html><body><div class="pages-date">2026-11-20 10:05　来源：国务院办公厅</div>'
            "<h1>标题</h1></body></html>")
    spec = PageSpec(time_selector=".pages-date", time_pattern=re.compile(
        r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})"), title_selector="h1")
    facts = page_facts(html, spec, ZoneInfo("Asia/Urumqi"))          # the source's zone
    assert facts.time == datetime(2026, 11, 20, 10, 5, tzinfo=ZoneInfo("Asia/Urumqi"))
    assert facts.guid is None and facts.title == "标题"


@pytest.fixture
def govcn(tmp_path):
    with FeedServer() as server, Receiver() as receiver:
        server.routes["/zhengce/zuixin.htm"] = {"body": list_page([P1, P2, P3]),
                                                "content_type": "text/html; charset=utf-8"}
        for policy in (P1, P2, P3, P4):
            server.routes[policy.path] = {
                "body": policy_page(policy),
                "content_type": f"text/html; charset={policy.encoding}"}
        repo = make_repo(tmp_path, [{"id": "gov-cn", "preset": "gov-cn-zuixin",
                                     "url": server.url("/zhengce/zuixin.htm"),
                                     "exclude": ["通知公告"]}],
                         http_port=receiver.port)
        duty = repo / "site_config" / "duty.yml"  # the day shift on a webhook (no SMTP here)
        text = duty.read_text(encoding="utf-8")
        duty.write_text(re.sub(r"mailto://[^\"]+", f"json://127.0.0.1:{receiver.port}/day",
                               text), encoding="utf-8")
        yield repo, server, receiver


def cycle(repo, clock, capsys):
    code = main(["--root", str(repo), "watch", "--once", "--now", at(clock)])
    return code, capsys.readouterr().out


def board(repo, clock, capsys):
    main(["--root", str(repo), "watch", "status", "--format", "json", "--now", at(clock)])
    return json.loads(capsys.readouterr().out)


def test_the_latest_policy_list_opens_obligations_and_alerts_once(govcn, capsys):
    repo, server, receiver = govcn
    code, out = cycle(repo, "09:30", capsys)
    assert code == 0, out
    obligations = {o["title"]: o for o in board(repo, "09:30", capsys)["obligations"]}
    assert set(obligations) == {P1.title, P2.title}             # P3 excluded by its column
    first = obligations[P1.title]
    assert first["deadline"] == "2026-11-20T12:30:00+00:00"     # 08:30 Beijing + 12 h
    assert first["deadline_basis"] == "source"
    assert first["source_time_raw"] == "2026-11-20-08:30:00"
    assert first["link"] == server.url(P1.path)
    titles = receiver.titles("/day")
    assert sorted(titles) == sorted(f"[govpub #{o['id']}] New central item to reproduce: {t}"
                                    for t, o in obligations.items())

    # unchanged list: the known policies' pages are not read again, nothing is sent again
    cycle(repo, "09:40", capsys)
    assert server.hits[P1.path] == 1 and server.hits["/zhengce/zuixin.htm"] == 2
    # a new policy, in GB18030 like older pages: only its page is read
    server.routes["/zhengce/zuixin.htm"]["body"] = list_page([P4, P1, P2, P3])
    cycle(repo, "11:05", capsys)
    assert server.hits[P4.path] == 1 and server.hits[P1.path] == 1
    newest = next(o for o in board(repo, "11:05", capsys)["obligations"] if o["id"] == 3)
    assert newest["title"] == P4.title and newest["deadline"] == "2026-11-20T15:00:00+00:00"
    assert len(receiver.titles("/day")) == 3


def test_a_policy_page_that_fails_is_retried_and_counts_in_the_health(govcn, capsys):
    repo, server, receiver = govcn
    server.routes[P2.path] = {"status": 503}
    _code, out = cycle(repo, "09:30", capsys)
    assert f"item page {server.url(P2.path)}: HTTP 503" in out
    state = board(repo, "09:30", capsys)
    assert [o["title"] for o in state["obligations"]] == [P1.title]   # P1 is not held back
    assert state["feeds"][0]["consecutive_failures"] == 1
    # still failing: the source goes blind (max_failures 2) and the duty officer is told
    cycle(repo, "09:40", capsys)
    assert any("is BLIND" in t for t in receiver.titles("/day"))
    # the page is back: the item is read (the list is fetched in full after a failure)
    server.routes[P2.path] = {"body": policy_page(P2), "content_type": "text/html"}
    cycle(repo, "09:50", capsys)
    state = board(repo, "09:50", capsys)
    assert sorted(o["title"] for o in state["obligations"]) == sorted([P1.title, P2.title])
    assert state["feeds"][0]["consecutive_failures"] == 0 and not state["feeds"][0]["blind"]


def test_a_list_without_matching_links_is_a_failed_poll(govcn, capsys):
    repo, server, _receiver = govcn
    server.routes["/zhengce/zuixin.htm"]["body"] = "<html><body>系统维护中</body></html>".encode()
    _code, out = cycle(repo, "09:30", capsys)
    assert "the list page has no links matching" in out


@pytest.mark.parametrize("entry, message", [
    ({"preset": "gov-cn-latest"}, "unknown preset"),
    ({"kind": "html", "url": "https://www.gov.cn/x.htm", "publisher": "p"}, "needs links"),
    ({"kind": "html", "url": "https://www.gov.cn/x.htm", "publisher": "p", "links": "h4 >> a"},
     "is not a CSS selector"),
    ({"preset": "gov-cn-zuixin", "page": {"time_pattern": "(\\d"}},
     "is not a regular expression"),
    ({"url": "https://www.gov.cn/feed.xml"}, "publisher is missing"),
])
def test_bad_source_definitions_name_the_line(tmp_path, entry, message):
    make_repo(tmp_path, [{"id": "central", **entry}])
    with pytest.raises(ConfigError, match=message) as info:
        load_feeds(tmp_path)
    assert info.value.line >= 13 and "feeds.yml" in str(info.value)


def test_the_shipped_preset_reads_the_state_council_list():
    from govpub.watch.presets import PRESETS

    preset = PRESETS["gov-cn-zuixin"]
    assert preset["url"] == "https://www.gov.cn/zhengce/zuixin.htm"
    assert preset["kind"] == "html" and preset["page"]["time_meta"] == ["firstpublishedtime"]
