"""The State Council's latest-policy list, end to end, with a real build.

A local copy of www.gov.cn (list page and policy pages, tests/govcn_pages.py)
serves the shipped gov-cn-zuixin source. Through the CLI: the watcher opens
obligations and alerts the duty officer; ``govpub reproduce`` drafts the
full text; the fidelity rule passes; the page is signed off and the site is
built with MkDocs; the watcher closes the obligation because the live page
carries the original's text — on time for one policy, marked late in status,
open data and the annual report figures for the other. A reviewed deviation
publishes but never counts as the original on the live site.
"""

import json
import re
from datetime import datetime
from pathlib import Path

import frontmatter
import pytest
from build_fixtures import basic_files, make_site, sign_off
from govcn_pages import Policy, list_page, policy_page
from watch_fixtures import FeedServer, Receiver
from watch_fixtures import make_repo as watch_config

from govpub.cli import main
from govpub.watch.fidelity import split_header_note, text_digest

P1 = Policy(7101, "国务院关于推进政务服务标准化规范化便利化的指导意见", "2026-11-20-08:30:00",
            doc_number="国发〔2026〕31号")
P2 = Policy(7102, "国务院办公厅关于加强知识产权保护的意见", "2026-11-20-09:00:00",
            issuer="国务院办公厅", doc_number="国办发〔2026〕8号")
P3 = Policy(7103, "国务院关于印发数据要素行动计划的通知", "2026-11-20-09:10:00")


def at(clock: str) -> str:
    return f"2026-11-20T{clock}:00+08:00"


def govpub(root, *args) -> int:
    return main(["--root", str(root), *args])


def board(root, clock, capsys) -> dict:
    capsys.readouterr()
    govpub(root, "watch", "status", "--format", "json", "--now", at(clock))
    return {o["title"]: o for o in json.loads(capsys.readouterr().out)["obligations"]}


def draft_of(root, number) -> Path:
    return next(p for p in (root / "content" / "reproduced").iterdir()
                if f"content-{number}" in p.name)


@pytest.mark.slow
def test_list_page_to_live_reproduction(tmp_path, capsys):
    with FeedServer() as server, Receiver() as receiver:
        server.routes["/zhengce/zuixin.htm"] = {"body": list_page([P1, P2, P3]),
                                                "content_type": "text/html"}
        for policy in (P1, P2, P3):
            server.routes[policy.path] = {"body": policy_page(policy),
                                          "content_type": "text/html; charset=utf-8"}
        root = make_site(tmp_path, basic_files())
        links = root / "site_config" / "links.yml"  # the local "www.gov.cn" is approved
        links.write_text(links.read_text(encoding="utf-8") + (
            "  - site: 127.0.0.1\n    approved_by: 办公室\n    approved_at: 2026-01-01\n"
            "    allow_http: true\n"), encoding="utf-8")
        watch_config(root, [{"id": "gov-cn", "preset": "gov-cn-zuixin",
                             "url": server.url("/zhengce/zuixin.htm")}],
                     http_port=receiver.port, site="site")
        duty = root / "site_config" / "duty.yml"
        duty.write_text(re.sub(r"mailto://[^\"]+", f"json://127.0.0.1:{receiver.port}/day",
                               duty.read_text(encoding="utf-8")), encoding="utf-8")

        # 09:30 the list is read: three obligations, the day shift is told of each once
        assert govpub(root, "watch", "--once", "--now", at("09:30")) == 0
        obligations = board(root, "09:30", capsys)
        assert set(obligations) == {P1.title, P2.title, P3.title}
        assert len(receiver.titles("/day")) == 3

        # 10:00 reproduce P1 and P2 with the full text; P3 gets a reviewed deviation
        for policy, clock in ((P1, "10:00"), (P2, "10:05"), (P3, "10:10")):
            assert govpub(root, "reproduce", str(obligations[policy.title]["id"]),
                          "--now", at(clock)) == 0
        p1, p2, p3 = (draft_of(root, p.number) for p in (P1, P2, P3))
        page = frontmatter.load(p2)
        assert page["source"] == "国务院办公厅" and page["doc_number"] == "国办发〔2026〕8号"
        assert "推行“一网通办”" in page.content

        # P3: a passage left out, accepted by a reviewer for exactly this text
        text = p3.read_text(encoding="utf-8").replace("\u3000\u3000（此件公开发布）\n", "")
        _lines, body = split_header_note(text.split("---\n", 2)[2])
        text = text.replace("  fetched:", "  deviation:\n    reason: 删去公开属性说明\n"
                            f"    reviewer: li-wei\n    digest: {text_digest(body)}\n"
                            "  fetched:", 1)
        p3.write_text(text, encoding="utf-8")

        capsys.readouterr()
        assert govpub(root, "check", "--format", "json", *map(str, (p1, p2, p3))) in (0, 1)
        findings = json.loads(capsys.readouterr().out)
        assert [f for f in findings if f["severity"] == "error"
                and f["rule"] not in ("GP201", "GP202")] == []   # only the sign-offs missing

        # P1 and P3 go live at 10:00 / 10:10; P2 only after its deadline (21:00)
        rels = [p.relative_to(root / "content").as_posix() for p in (p1, p3)]
        sign_off(root, rels)
        assert govpub(root, "build", "--now", at("10:20")) == 0
        assert govpub(root, "watch", "--once", "--now", at("10:30")) == 0
        obligations = board(root, "10:30", capsys)
        first = obligations[P1.title]
        assert first["state"] == "reproduced" and first["late"] is False
        assert first["reproduced_at"] == "2026-11-20T02:00:00+00:00"   # 10:00 Beijing
        assert first["lead_seconds"] == 90 * 60                       # 08:30 → 10:00
        third = obligations[P3.title]           # live, but not the original's text
        assert third["state"] == "open"
        assert "does not carry the original's text" in third["verify_note"]

        # P2: published at 21:00, after its 21:00 deadline? no — at 21:30, late
        text = p2.read_text(encoding="utf-8").replace(
            'published: "2026-11-20T10:05:00+08:00"', 'published: "2026-11-20T21:30:00+08:00"')
        p2.write_text(text, encoding="utf-8")
        sign_off(root, [p2.relative_to(root / "content").as_posix()])
        assert govpub(root, "build", "--now", at("21:35")) == 0
        assert govpub(root, "watch", "--once", "--now", at("21:40")) == 1  # P3 is overdue
        second = board(root, "21:40", capsys)[P2.title]
        assert second["state"] == "reproduced" and second["late"] is True
        capsys.readouterr()
        govpub(root, "watch", "status", "--now", at("21:40"))
        assert "LATE" in capsys.readouterr().out

        # open data says the same; no alert about P1 or P2 after they were reproduced
        published = json.loads((root / "site" / "api" / "reproductions.json").read_text())
        late = {item["source_title"]: item["late"] for item in published["items"]}
        assert late[P1.title] is False and late[P2.title] is True
        assert not any(P1.title in t and "OVERDUE" in t for t in receiver.titles())

    from zoneinfo import ZoneInfo

    from govpub.report.watcherdata import read_watcher

    tz = ZoneInfo("Asia/Shanghai")
    figures, _note = read_watcher(root / ".govpub" / "watch.sqlite3",
                                  datetime(2026, 1, 1, tzinfo=tz), datetime(2027, 1, 1, tzinfo=tz))
    assert (figures.watched, figures.reproduced, figures.on_time, figures.late) == (3, 2, 1, 1)
