"""watch status / dismiss / reproduce, config errors, the bundled demo and the daemon's stop."""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest
from watch_fixtures import PATIENT_SECONDS, make_repo

from govpub.cli import main

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-28T12:00:00+08:00"


@pytest.fixture
def demo(tmp_path):
    """A copy of the bundled demo: sample feed, feeds.yml, duty.yml (targets unreachable)."""
    shutil.copytree(ROOT / "site_config", tmp_path / "site_config",
                    ignore=shutil.ignore_patterns("types"))
    (tmp_path / "scripts" / "demo").mkdir(parents=True)
    shutil.copy(ROOT / "scripts/demo/central-feed.xml", tmp_path / "scripts/demo")
    for name in ("duty.yml",):  # unreachable targets: nothing must leave the machine
        path = tmp_path / "site_config" / name
        path.write_text(path.read_text(encoding="utf-8").replace("localhost:2525", "127.0.0.1:1")
                        .replace("localhost:8025", "127.0.0.1:1"), encoding="utf-8")
    return tmp_path


def run(repo, *args):
    return main(["--root", str(repo), *args])


def test_demo_opens_obligations_and_status_lists_them(demo, capsys):
    assert run(demo, "watch", "--once", "--now", NOW) == 0
    out = capsys.readouterr().out
    assert "2 new obligation(s)" in out and "will retry" in out
    assert run(demo, "watch", "status", "--now", NOW) == 0
    board = capsys.readouterr().out
    assert "OPEN" in board and "国务院办公厅关于加强知识产权保护工作的意见" in board
    assert "govpub reproduce" in board
    assert "DISMISSED" in board and "baseline" in board      # older than 12 h on first poll
    assert "放假安排" not in board                             # excluded by keyword
    assert "feed gov-cn-policy: ok" in board


@pytest.fixture
def demo_originals(demo):
    """The demo feed's links pointed at a local copy of the central site."""
    from govcn_pages import Policy, policy_page
    from watch_fixtures import FeedServer

    with FeedServer() as server:
        feed = demo / "scripts" / "demo" / "central-feed.xml"
        feed.write_text(feed.read_text(encoding="utf-8").replace(
            "https://www.gov.cn", server.url("")), encoding="utf-8")
        server.routes["/zhengce/content/202611/content_7012345.htm"] = {
            "body": policy_page(Policy(7012345, "国务院关于进一步优化政务服务提升行政效能推动"
                                       "“高效办成一件事”的指导意见", "2026-11-28-10:00:00",
                                       doc_number="国发〔2026〕30号")),
            "content_type": "text/html; charset=utf-8"}
        yield demo, server


def test_reproduce_writes_the_full_text_and_refuses_to_overwrite(demo_originals, capsys):
    demo, _server = demo_originals
    run(demo, "watch", "--once", "--now", NOW)
    capsys.readouterr()
    assert run(demo, "reproduce", "1", "--now", "2026-11-28T13:05:00+08:00") == 0
    written = capsys.readouterr().out
    drafts = list((demo / "content" / "reproduced").iterdir())
    assert len(drafts) == 1
    name = drafts[0].name
    assert name.isascii() and name.startswith("2026-11-28-") and name.endswith(".md")
    assert name in written
    page = frontmatter.load(drafts[0])
    assert page["source"] == "国务院"                            # 发文机关 of the original
    assert page["doc_number"] == "国发〔2026〕30号"                # its 文号
    assert page["disclosure"] == "proactive"
    assert page["published"] == "2026-11-28T13:05:00+08:00"
    assert page["reproduces"]["url"].endswith("/zhengce/content/202611/content_7012345.htm")
    assert page["reproduces"]["published"] == "2026-11-28T10:00:00+08:00"
    assert page["reproduces"]["title"] == page["title"]
    assert page["reproduces"]["publisher"] == "中华人民共和国中央人民政府"
    assert page["reproduces"]["text_digest"].startswith("sha256:")
    assert page.content.startswith("> 本文转载自中华人民共和国中央人民政府")
    assert "各省、自治区、直辖市人民政府" in page.content and "（此件公开发布）" in page.content
    assert "| 事项清单公开 | 国务院办公厅 | 2027年6月 |" in page.content
    assert "[重点任务分工表](<" in page.content                   # the attachment stays linked
    assert "【待填写】" not in page.content and "请粘贴原文" not in page.content
    copy = demo / "review" / "reproduced" / (name + ".original.md")
    assert copy.read_text(encoding="utf-8").strip() in page.content
    before = drafts[0].read_bytes()
    assert run(demo, "reproduce", "1", "--now", "2026-11-28T13:30:00+08:00") == 2
    assert "already exists" in capsys.readouterr().err
    assert drafts[0].read_bytes() == before


def test_reproduce_without_the_original_asks_for_it_with_the_marker(demo_originals, capsys):
    from govpub.placeholder import MARKER

    demo, _server = demo_originals
    run(demo, "watch", "--once", "--now", NOW)
    capsys.readouterr()
    assert run(demo, "reproduce", "2", "--now", "2026-11-28T13:05:00+08:00") == 1   # 404
    captured = capsys.readouterr()
    assert "HTTP 404" in captured.err and MARKER in captured.out
    [draft] = (demo / "content" / "reproduced").iterdir()
    page = frontmatter.load(draft)
    assert MARKER in page.content and "text_digest" not in page["reproduces"]
    assert not (demo / "review").exists()


def test_draft_front_matter_survives_hostile_titles(tmp_path):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from govpub.watch.draft import slug_for, write_draft

    tz = ZoneInfo("Asia/Shanghai")
    row = {"id": 9, "title": 'a"b\n---\nx: [1] `rm -rf` 国务院', "publisher": "p: q",
           "link": "https://www.gov.cn/a b(c).htm", "source_time": None}
    path = write_draft(tmp_path, tmp_path / "review", row, datetime(2026, 11, 28, 1, tzinfo=tz),
                       tz, None)
    page = frontmatter.load(path)
    assert page["title"] == row["title"] and page["source"] == "p: q"
    assert page["reproduces"]["published"] == "【待填写】原文发布时间"
    assert slug_for("国务院关于印发", "https://www.gov.cn/zhengce/content_7012345.htm", 3) == \
        "content-7012345"
    assert slug_for("国务院", None, 3) == "item-3"
    assert slug_for("State Council: Notice No. 5", None, 3) == "state-council-notice-no-5"


def test_dismiss_records_who_and_why_and_refuses_twice(demo, capsys):
    run(demo, "watch", "--once", "--now", NOW)
    capsys.readouterr()
    assert run(demo, "watch", "dismiss", "2", "--reason", "  not major policy ", "--by",
               "wang-fang", "--now", NOW) == 0
    assert "dismissed by 王芳 (wang-fang): not major policy" in capsys.readouterr().out
    assert run(demo, "watch", "dismiss", "2", "--reason", "again", "--by", "zhao-lei") == 2
    assert "already DISMISSED" in capsys.readouterr().err
    assert run(demo, "watch", "dismiss", "99", "--reason", "x", "--by", "zhao-lei") == 2
    assert "no obligation #99" in capsys.readouterr().err
    assert run(demo, "watch", "dismiss", "1", "--reason", "   ", "--by", "zhao-lei") == 2


@pytest.mark.parametrize("by, message", [
    ([], "--by is required"),
    (["--by", "root"], "'root' is not on the duty roster"),
])
def test_dismiss_needs_a_roster_member_or_leader(demo, capsys, by, message):
    run(demo, "watch", "--once", "--now", NOW)
    capsys.readouterr()
    assert run(demo, "watch", "dismiss", "1", "--reason", "x", *by, "--now", NOW) == 2
    err = capsys.readouterr().err
    assert message in err and "chen-jing" in err and "wang-fang" in err
    assert run(demo, "watch", "dismiss", "1", "--reason", "主任决定不转载", "--by", "chen-jing",
               "--now", NOW) == 0                           # a leader may


def test_overdue_exit_code_and_json_order(demo, capsys):
    import json
    run(demo, "watch", "--once", "--now", NOW)
    capsys.readouterr()
    assert run(demo, "watch", "--once", "--now", "2026-11-28T21:00:00+08:00") == 1
    capsys.readouterr()
    assert run(demo, "watch", "status", "--format", "json",
               "--now", "2026-11-28T21:00:00+08:00") == 1
    board = json.loads(capsys.readouterr().out)
    flags = [o["overdue"] for o in board["obligations"]]
    assert flags[0] is True and flags == sorted(flags, reverse=True)
    assert board["alerts"]["pending"] >= 1


@pytest.mark.parametrize("args, message", [
    (["watch", "--once", "--now", "tomorrow"], "--now"),
    (["reproduce", "abc"], "not a valid integer"),
])
def test_usage_errors_exit_2(demo, capsys, args, message):
    assert run(demo, *args) == 2
    assert message in capsys.readouterr().err


def test_config_error_is_one_line_exit_2(tmp_path, capsys):
    make_repo(tmp_path, [{"id": "x", "url": "f.xml", "publisher": "p"}])
    path = tmp_path / "site_config" / "duty.yml"
    path.write_text(path.read_text().replace("leaders: [leader]", "leaders: [ghost]"))
    assert run(tmp_path, "watch", "--once") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "site_config/duty.yml:22" in err and "ghost" in err
    assert "Traceback" not in err


def test_status_without_state_is_empty(demo, capsys):
    assert run(demo, "watch", "status") == 0
    assert "no open or recent obligations" in capsys.readouterr().out
    assert not (demo / ".govpub").exists()


def test_daemon_stops_during_its_sleep_on_sigterm(demo):
    # between cycles the daemon sleeps a whole day here: exiting at all (cleanly,
    # code 0, "stopped") proves SIGTERM woke it; the wait's limit is only a hang guard
    feeds = demo / "site_config" / "feeds.yml"
    text = feeds.read_text(encoding="utf-8")
    assert "poll_minutes: 10" in text
    feeds.write_text(text.replace("poll_minutes: 10", "poll_minutes: 1440"), encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen(
        [sys.executable, "-c", "from govpub.cli import run; run()", "--root", str(demo),
         "watch", "--now", NOW], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env)
    try:
        assert "watching 1 feed" in child.stdout.readline()
        assert "polled 1 feed" in child.stdout.readline()   # first cycle done; now sleeping
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=PATIENT_SECONDS) == 0
        assert "stopped" in child.stdout.read()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
