"""`govpub report annual YEAR`: a synthetic year whose figures are computed by hand."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from comments_audit_fixtures import add_comment, add_page, dump, make_repo

from govpub.cli import main
from govpub.digest import digest_for

COLUMNS = {
    "": {"type": "page", "title": "首页", "owner": "办公室", "kind": "home"},
    "news": {"type": "notice", "title": "工作动态", "owner": "办公室", "kind": "dynamic"},
    "notices": {"type": "notice", "title": "通知公告", "owner": "办公室", "kind": "notices"},
    "policies": {"type": "policy", "title": "政策法规", "owner": "条法司", "kind": "policies"},
    "catalog": {"type": "service-item", "title": "事项目录", "owner": "办公室", "kind": "service"},
    "guides": {"type": "guide", "title": "办事指南", "owner": "办公室", "kind": "service"},
    "reproduced": {"type": "reproduction", "title": "转载", "owner": "办公室", "kind": "dynamic"},
    "comments": {"type": "comment", "title": "留言答复", "owner": "办公室", "kind": "static"},
    "reports": {"type": "report", "title": "年度报表", "owner": "办公室", "kind": "static"},
}

NOW = "2026-01-10T09:00:00+08:00"


def page(root, path, published, **meta):
    add_page(root, path, {"published": published, **meta})


def item(root, path, published, online_depth):
    page(root, path, published, online_depth=online_depth, free=True,
         online_url="https://www.example.gov.cn/online/")


@pytest.fixture(scope="module")
def year_repo(tmp_path_factory):
    root = make_repo(tmp_path_factory.mktemp("year"), columns=COLUMNS)
    page(root, "news/a.md", "2025-01-10T09:00:00+08:00")
    page(root, "news/b.md", "2025-03-05T09:00:00+08:00")
    page(root, "news/c.md", "2025-03-20T09:00:00+08:00")
    page(root, "news/old.md", "2024-12-30T09:00:00+08:00")
    page(root, "news/next.md", "2026-01-02T09:00:00+08:00")
    page(root, "notices/a.md", "2025-06-01T09:00:00+08:00")
    page(root, "notices/b.md", "2025-12-31T23:30:00+08:00")  # 15:30 UTC: still 2025 locally
    add_page(root, "notices/draft.md", {"published": "2025-07-01T09:00:00+08:00"},
             signed=False)
    page(root, "policies/interp.md", "2025-07-01T09:00:00+08:00", policy_kind="interpretation")
    page(root, "policies/reg.md", "2025-07-02T09:00:00+08:00", policy_kind="regulation")
    item(root, "catalog/100000000001.md", "2024-05-01T09:00:00+08:00", online_depth=4)
    item(root, "catalog/100000000002.md", "2025-05-01T09:00:00+08:00", online_depth=4)
    item(root, "catalog/100000000003.md", "2025-05-02T09:00:00+08:00", online_depth=2)
    item(root, "catalog/100000000004.md", "2026-01-05T09:00:00+08:00", online_depth=3)
    page(root, "guides/g1.md", "2025-08-01T09:00:00+08:00")
    page(root, "guides/g2.md", "2025-08-02T09:00:00+08:00")
    page(root, "reproduced/r1.md", "2025-09-01T13:00:00+08:00",
         reproduces={"url": "https://www.gov.cn/a", "title": "甲", "publisher": "国务院",
                     "published": "2025-09-01T10:00:00+08:00"})
    page(root, "reproduced/r2.md", "2025-10-02T01:00:00+08:00",
         reproduces={"url": "https://www.gov.cn/b", "title": "乙", "publisher": "国务院",
                     "published": "2025-10-01T10:00:00+08:00"})
    # Mon 3 Mar 10:00 → Tue 4 Mar 10:00: 1 working day, on time
    add_comment(root, "q1", "2025-03-03T10:00:00+08:00", replied="2025-03-04T10:00:00+08:00")
    # Fri 7 Mar 10:00 → Thu 13 Mar 10:00: 14 + 24 + 24 + 24 + 10 h = 4 working days, late
    add_comment(root, "q2", "2025-03-07T10:00:00+08:00", replied="2025-03-13T10:00:00+08:00")
    # Mon 10 Mar → Wed 12 Mar: 2 working days, withheld
    add_comment(root, "q3", "2025-03-10T10:00:00+08:00", replied="2025-03-12T10:00:00+08:00",
                outcome="withheld")
    add_comment(root, "q0", "2024-12-02T10:00:00+08:00", replied="2024-12-03T10:00:00+08:00")
    config = root / "site_config"
    (config / "links.yml").write_text(dump({"approved": [
        {"site": "www.gov.cn", "approved_by": "办公室", "approved_at": "2025-02-01"},
        {"site": "www.wipo.int", "approved_by": "办公室", "approved_at": "2024-06-01"},
        {"site": "www.most.gov.cn", "approved_by": "办公室", "approved_at": "2024-12-01"}]}),
        encoding="utf-8")
    base = {"owner": "办公室", "administrator": "网站管理处", "approved_by": "办公室"}
    (config / "platforms.yml").write_text(dump({"platforms": [
        {"id": "web", "name": "网站", "kind": "website", "url": "https://www.example.gov.cn/",
         "approved_at": "2020-01-01", "status": "active", **base},
        {"id": "wx", "name": "公众号", "kind": "wechat", "account": "t", "approved_at":
         "2020-01-01", "status": "active", **base},
        {"id": "wb", "name": "微博", "kind": "weibo", "url": "https://weibo.com/x",
         "approved_at": "2020-01-01", "status": "closed", **base},
        {"id": "app", "name": "客户端", "kind": "app", "url": "https://www.example.gov.cn/app",
         "approved_at": "2026-01-03", "status": "active", **base}]}), encoding="utf-8")
    write_watcher_state(root)
    return root


def write_watcher_state(root):
    from govpub.watch.store import Store, iso

    store = Store(root / ".govpub" / "watch.sqlite3")

    def at(text):
        return iso(datetime.fromisoformat(text))

    rows = [  # (first seen, deadline, state, reproduction published, lead hours)
        ("2025-04-01T10:00:00+08:00", "2025-04-01T22:00:00+08:00", "reproduced",
         "2025-04-01T12:00:00+08:00", 2),
        ("2025-05-01T10:00:00+08:00", "2025-05-01T22:00:00+08:00", "reproduced",
         "2025-05-02T06:00:00+08:00", 20),
        ("2025-06-01T10:00:00+08:00", "2025-06-01T22:00:00+08:00", "dismissed", None, None),
        ("2024-06-01T10:00:00+08:00", "2024-06-01T22:00:00+08:00", "reproduced",
         "2024-06-01T11:00:00+08:00", 1),
    ]
    with store.transaction() as db:
        for index, (seen, deadline, state, reproduced, lead) in enumerate(rows):
            db.execute(
                "INSERT INTO obligations(identity, feed_id, publisher, title, first_seen, "
                "deadline, basis, state, reproduction_published, lead_seconds) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                (f"item-{index}", "gov", "国务院", f"文件{index}", at(seen), at(deadline),
                 "first_seen", state, at(reproduced) if reproduced else None,
                 lead * 3600 if lead is not None else None))
    store.close()


def figures_of(root) -> dict[tuple[str, str], str]:
    text = (root / "content" / "reports" / "2025-annual-report.csv").read_text(encoding="utf-8")
    return {(r["section"], r["item"]): r["value"] for r in csv.DictReader(io.StringIO(text))}


@pytest.fixture(scope="module")
def generated(year_repo):
    code = main(["--root", str(year_repo), "report", "annual", "2025", "--now", NOW])
    assert code == 0
    return year_repo


def test_figures_match_hand_computation(generated):
    f = figures_of(generated)
    assert f[("site", "name")] == "测试局" and f[("site", "site_code")] == "bm00000001"
    assert f[("publication", "pages published")] == "15"
    assert {k[1]: v for k, v in f.items() if k[0] == "publication by column"} == {
        "工作动态": "3", "通知公告": "2", "政策法规": "2", "事项目录": "2", "办事指南": "2",
        "转载": "2", "留言答复": "2"}
    months = [f[("publication by month", f"2025-{m:02d}")] for m in range(1, 13)]
    assert months == ["1", "0", "4", "0", "2", "1", "2", "2", "1", "1", "0", "1"]
    assert f[("services", "service items")] == "3"
    by_depth = {k[1][:3].strip(): v for k, v in f.items() if k[0] == "services by online depth"}
    assert by_depth == {"II": "1", "IV": "2"}
    assert f[("services", "guides")] == "2"
    assert f[("policies", "policy interpretations published")] == "1"
    assert f[("reproduction", "reproduction pages published")] == "2"
    assert f[("reproduction", "central items watched")] == "3"
    assert f[("reproduction", "reproduced")] == "2"
    assert f[("reproduction", "reproduced on time")] == "1"
    assert f[("reproduction", "dismissed")] == "1"
    assert f[("reproduction", "median lead time (hours)")] == "11.00"
    assert f[("comments", "received")] == "3"
    assert f[("comments", "replied")] == "3"
    assert f[("comments", "replied on time")] == "2"
    assert f[("comments", "withheld")] == "1"
    assert f[("comments", "open")] == "0"
    assert f[("comments", "average working days to reply")] == "2.33"  # (1 + 4 + 2) / 3
    assert f[("external links", "approved sites in force")] == "1"
    assert f[("external links", "approved in the year")] == "1"
    assert {k[1]: v for k, v in f.items() if k[0] == "platforms by kind"} == {
        "网站 Website": "1", "微信公众号 WeChat": "1"}


def test_report_page_is_a_draft_report_with_its_charts(generated):
    folder = generated / "content" / "reports"
    text = (folder / "2025-annual-report.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: \"测试局2025年网站工作年度报表\"\n")
    assert "year: 2025\nreport_kind: annual\n" in text
    assert "published: \"2026-01-10T09:00:00+08:00\"" in text
    assert "(2025-annual-report-months.svg)" in text
    assert not (generated / "review" / "reports" / "2025-annual-report.md.yml").exists()
    for name in ("months", "leads", "replies"):
        svg = (folder / f"2025-annual-report-{name}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<?xml") and "<svg" in svg and "dc:date" not in svg


def test_refuses_to_overwrite_then_force_gives_identical_bytes(generated, capsys):
    folder = generated / "content" / "reports"
    before = {p.name: digest_for(p.name, p.read_bytes()) for p in folder.iterdir()}
    code = main(["--root", str(generated), "report", "annual", "2025", "--now", NOW])
    assert code == 2 and "exists already" in capsys.readouterr().err
    code = main(["--root", str(generated), "report", "annual", "2025", "--now", NOW, "--force"])
    assert code == 0
    after = {p.name: digest_for(p.name, p.read_bytes()) for p in folder.iterdir()}
    assert after == before  # deterministic: charts and CSV byte for byte


def test_without_watcher_state_the_report_says_so(tmp_path, capsys):
    root = make_repo(tmp_path)
    code = main(["--root", str(root), "report", "annual", "2025", "--now", NOW])
    assert code == 0
    text = (root / "content" / "reports" / "2025-annual-report.md").read_text(encoding="utf-8")
    assert "no watcher data" in text


def test_future_year_is_refused(tmp_path, capsys):
    root = make_repo(tmp_path)
    code = main(["--root", str(root), "report", "annual", "2027", "--now", NOW])
    assert code == 2 and "2027" in capsys.readouterr().err
    assert not (root / "content" / "reports").exists()
