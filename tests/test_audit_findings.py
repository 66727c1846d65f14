"""`govpub audit`: each finding on a crafted tree, and none on a well-kept one."""

from __future__ import annotations

import json

import pytest
from comments_audit_fixtures import add_comment, add_page, dump, make_repo

from govpub.cli import main

NOW = "2026-11-28T10:00:00+08:00"

COLUMNS = {
    "": {"type": "page", "title": "首页", "owner": "办公室", "kind": "home"},
    "news": {"type": "notice", "title": "工作动态", "owner": "办公室", "kind": "dynamic",
             "dated": True},
    "notices": {"type": "notice", "title": "通知公告", "owner": "办公室", "cadence_days": 180,
                "kind": "notices", "dated": True},
    "comments": {"type": "comment", "title": "留言答复", "owner": "办公室", "kind": "static"},
    "reports": {"type": "report", "title": "年度报表", "owner": "办公室", "kind": "static"},
}

PLATFORMS = {"idle_days": 90, "platforms": [
    {"id": "web", "name": "测试网站", "kind": "website", "url": "https://www.example.gov.cn/",
     "owner": "办公室", "administrator": "网站管理处", "approved_by": "办公室",
     "approved_at": "2020-01-01", "status": "active", "last_update": "2026-11-27"},
    {"id": "old", "name": "旧微博", "kind": "weibo", "url": "https://weibo.com/old",
     "owner": "办公室", "administrator": "网站管理处", "status": "closed",
     "last_update": "2020-01-01"}]}


def audit(root, now=NOW, *extra):
    return main(["--root", str(root), "audit", "--now", now, "--format", "json", *extra])


def findings(root, capsys, now=NOW):
    code = audit(root, now)
    out = capsys.readouterr().out
    return code, json.loads(out)


def rules_of(items, severity=None):
    return sorted({f["rule"] for f in items if severity is None or f["severity"] == severity})


@pytest.fixture
def kept(tmp_path):
    """A well-kept site on 28 Nov 2026: every column fresh, last year's report out."""
    root = make_repo(tmp_path, columns=COLUMNS,
                     site={"review_max_age_days": 365})
    add_page(root, "index.md", {"published": "2026-01-01T09:00:00+08:00"})
    add_page(root, "news/2026-11-25-visit.md", {"published": "2026-11-25T09:00:00+08:00"},
             body="见[中国政府网](https://www.gov.cn/zhengce/)。\n",
             signed_at="2026-11-25T10:00:00+08:00")
    add_page(root, "notices/2026-09-01-fees.md", {"published": "2026-09-01T09:00:00+08:00"},
             signed_at="2026-09-01T10:00:00+08:00")
    add_comment(root, "q1", "2026-11-02T10:00:00+08:00", replied="2026-11-03T10:00:00+08:00",
                disclosure="proactive")
    add_page(root, "reports/2025-annual-report.md",
             {"published": "2026-01-20T09:00:00+08:00", "year": 2025, "report_kind": "annual"},
             signed_at="2026-01-20T10:00:00+08:00")
    config = root / "site_config"
    (config / "platforms.yml").write_text(dump(PLATFORMS), encoding="utf-8")
    (config / "links.yml").write_text(dump({"approved": [
        {"site": "www.gov.cn", "approved_by": "办公室", "approved_at": "2026-06-01"}]}),
        encoding="utf-8")
    return root


def test_a_well_kept_site_has_no_findings(kept, capsys):
    code, items = findings(kept, capsys)
    assert items == [] and code == 0


def test_stale_dynamic_column_is_an_error_and_warned_before(kept, capsys):
    # news last updated 25 Nov: cadence 14 days → stale after 9 Dec, warned from 6 Dec
    code, items = findings(kept, capsys, now="2026-12-07T10:00:00+08:00")
    stale = [f for f in items if f["rule"] == "GP701"]
    assert code == 0 and [f["severity"] for f in stale] == ["warning", "warning"]
    code, items = findings(kept, capsys, now="2026-12-10T10:00:00+08:00")
    stale = {"(home)" if f["message"].startswith("the home page") else f["message"].split("'")[1]:
             f for f in items if f["rule"] == "GP701"}
    assert code == 1
    assert set(stale) == {"(home)", "news"}  # the home page is as fresh as the newest page
    assert stale["news"]["path"] == "site_config/columns.yml" and stale["news"]["line"] == 7
    assert "last updated 2026-11-25, 15 days ago, cadence 14 days" in stale["news"]["message"]
    assert "merge the column into another or close it" in stale["news"]["message"]


def test_notices_column_stale_after_180_days_and_undated_pages_do_not_count(kept, capsys):
    add_page(kept, "notices/undated.md", {})  # no `published`: held back, counts as not updated
    code, items = findings(kept, capsys, now="2027-03-02T10:00:00+08:00")
    notices = [f for f in items if f["rule"] == "GP701" and "'notices'" in f["message"]]
    assert code == 1 and len(notices) == 1 and notices[0]["severity"] == "error"
    assert "1 undated page(s) there count as not updated" in notices[0]["message"]


def test_empty_column(kept, capsys):
    for page in (kept / "content" / "notices").iterdir():
        page.unlink()
    code, items = findings(kept, capsys)
    empty = [f for f in items if f["rule"] == "GP702"]
    assert code == 1 and len(empty) == 1 and "'notices'" in empty[0]["message"]


def test_five_stale_or_empty_columns(tmp_path, capsys):
    columns = {f"c{i}": {"type": "notice", "title": f"栏目{i}", "owner": "办公室",
                         "kind": "dynamic"} for i in range(5)}
    root = make_repo(tmp_path, columns=columns)
    add_page(root, "c0/old.md", {"published": "2026-01-01T09:00:00+08:00"})
    code, items = findings(root, capsys)
    assert code == 1
    assert rules_of(items, "error") == ["GP701", "GP702", "GP703", "GP711"]
    assert rules_of(items, "warning") == ["GP707"]  # no platforms registry at all
    (limit,) = [f for f in items if f["rule"] == "GP703"]
    assert limit["message"].startswith("5 columns are stale or empty (c0, c1, c2, c3, c4)")
    columns.pop("c4")
    (root / "site_config" / "columns.yml").write_text(dump({"columns": columns}),
                                                      encoding="utf-8")
    _, items = findings(root, capsys)
    assert "GP703" not in rules_of(items)


def test_expired_page(kept, capsys):
    add_page(kept, "news/2026-11-26-event.md", {"published": "2026-11-26T09:00:00+08:00",
                                                "expires": "2026-11-30"})
    code, items = findings(kept, capsys)
    assert code == 0 and [(f["rule"], f["severity"]) for f in items] == [("GP704", "warning")]
    code, items = findings(kept, capsys, now="2026-12-01T10:00:00+08:00")
    (expired,) = items
    assert code == 1 and expired["severity"] == "error"
    assert expired["path"] == "content/news/2026-11-26-event.md" and expired["line"] == 6
    assert "expired on 2026-11-30" in expired["message"]


def test_old_signoff(kept, capsys):
    # index.md was signed off 2026-01-01; the limit is 365 days
    code, items = findings(kept, capsys, now="2027-01-03T10:00:00+08:00")
    old = [f for f in items if f["rule"] == "GP705"]
    assert code == 1
    assert [f["path"] for f in old] == ["content/comments/q1.md", "content/index.md"]
    assert old[0]["severity"] == "error" and "last signed off 2026-01-01" in old[0]["message"]


def test_link_approvals_expiring_then_expired(kept, capsys):
    (kept / "site_config" / "links.yml").write_text(dump({"approved": [
        {"site": "www.gov.cn", "approved_by": "办公室", "approved_at": "2025-11-30"},
        {"site": "www.wipo.int", "approved_by": "办公室", "approved_at": "2025-11-20"}]}),
        encoding="utf-8")
    code, items = findings(kept, capsys)
    links = [(f["severity"], f["line"], f["message"]) for f in items if f["rule"] == "GP706"]
    assert code == 1
    assert links[0][0] == "warning" and "approval of www.gov.cn" in links[0][2]
    assert "expires on 2026-11-30" in links[0][2]
    assert links[1][0] == "error" and "approval of www.wipo.int" in links[1][2]
    assert "expired on 2026-11-20" in links[1][2]


def test_unapproved_and_zombie_platforms(kept, capsys):
    data = json.loads(json.dumps(PLATFORMS))
    data["platforms"].append({"id": "wx", "name": "测试公众号", "kind": "wechat",
                              "account": "test_gov", "owner": "办公室",
                              "administrator": "宣传处", "status": "active",
                              "last_update": "2026-08-01"})
    (kept / "site_config" / "platforms.yml").write_text(dump(data), encoding="utf-8")
    code, items = findings(kept, capsys)
    platform = [(f["rule"], f["severity"], f["line"]) for f in items
                if f["rule"] in ("GP707", "GP708")]
    # wx: no approval; last update 2026-08-01 is 119 days ago (limit 90); closed "old" is fine
    assert code == 1
    assert platform == [("GP707", "error", 21), ("GP708", "error", 21)]


def test_comment_overdue_and_due_soon(kept, capsys):
    add_comment(kept, "late", "2026-11-20T10:00:00+08:00")   # due Wed 25 Nov 10:00
    add_comment(kept, "soon", "2026-11-24T16:00:00+08:00")   # due Fri 27 Nov 16:00 → Mon?
    code, items = findings(kept, capsys, now="2026-11-27T10:00:00+08:00")
    comments = {f["path"]: f for f in items if f["rule"] == "GP709"}
    assert code == 1
    assert comments["content/comments/late.md"]["severity"] == "error"
    assert comments["content/comments/soon.md"]["severity"] == "warning"
    assert "due 2026-11-27 16:00" in comments["content/comments/soon.md"]["message"]


def test_every_allow_exception_is_listed(kept, capsys):
    add_page(kept, "news/2026-11-26-phone.md", {
        "published": "2026-11-26T09:00:00+08:00",
        "allow": [{"rule": "GP501", "reason": "单位公开电话"},
                  {"rule": "GP502", "reason": "已公开的统一社会信用代码"}]}, signed=False)
    code, items = findings(kept, capsys)
    allowed = [f for f in items if f["rule"] == "GP710"]
    assert code == 0 and [f["severity"] for f in allowed] == ["info", "info"]
    assert allowed[0]["message"] == "exception to GP501: 单位公开电话"


def test_annual_report_reminder_then_overdue(kept, capsys):
    (kept / "content" / "reports" / "2025-annual-report.md").unlink()
    code, items = findings(kept, capsys, now="2027-01-05T10:00:00+08:00")
    report = [f for f in items if f["rule"] == "GP711"]
    assert report[0]["severity"] == "warning" and "for 2026 is due 2027-01-31" in \
        report[0]["message"]
    add_page(kept, "reports/2026-annual-report.md", {
        "published": "2027-01-10T09:00:00+08:00", "year": 2026, "report_kind": "annual"},
        signed=False)
    code, items = findings(kept, capsys, now="2027-02-01T10:00:00+08:00")
    (report,) = [f for f in items if f["rule"] == "GP711"]
    assert code == 1 and report["severity"] == "error" and "overdue" in report["message"]
    assert "a draft exists (content/reports/2026-annual-report.md) but is not approved" in \
        report["message"]


def test_calendar_fallback_is_reported(kept, capsys):
    add_comment(kept, "future", "2030-02-01T10:00:00+08:00")
    _code, items = findings(kept, capsys, now="2030-02-01T12:00:00+08:00")
    fallback = [f for f in items if f["rule"] == "GP712"]
    assert fallback and "2030" in fallback[0]["message"]


def test_text_output_and_bad_settings(kept, capsys):
    assert main(["--root", str(kept), "audit", "--now", NOW]) == 0
    (kept / "site_config" / "audit.yml").write_text("warn_day: 3\n", encoding="utf-8")
    code = main(["--root", str(kept), "audit", "--now", NOW])
    err = capsys.readouterr().err
    assert code == 2 and "site_config/audit.yml:1" in err and "Traceback" not in err
