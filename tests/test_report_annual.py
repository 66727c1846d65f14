"""``govpub report annual YEAR``: the official form, filled in from a synthetic year.

The repository is a real git repository whose commits carry the dates they
would have had; every figure is computed by hand below. The figures are a
snapshot of 31 December 24:00: commits made afterwards change nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import datetime

import pytest
import yaml
from comments_audit_fixtures import BUILD_IDENTITY, add_comment, add_page, dump, make_repo

from govpub.cli import main
from govpub.placeholder import MARKER
from govpub.report.form import ALL_FIELDS, FIELDS, OFFICE_FIELDS

COLUMNS = {
    "": {"type": "page", "title": "首页", "owner": "办公室", "kind": "home"},
    "about": {"type": "page", "title": "关于本站", "owner": "办公室", "kind": "static"},
    "news": {"type": "notice", "title": "工作动态", "owner": "办公室", "kind": "dynamic"},
    "notices": {"type": "notice", "title": "通知公告", "owner": "办公室", "kind": "notices"},
    "policies": {"type": "policy", "title": "政策法规", "owner": "条法司", "kind": "policies"},
    "catalog": {"type": "service-item", "title": "事项目录", "owner": "办公室", "kind": "service"},
    "guides": {"type": "guide", "title": "办事指南", "owner": "办公室", "kind": "service"},
    "reproduced": {"type": "reproduction", "title": "转载", "owner": "办公室", "kind": "static"},
    "comments": {"type": "comment", "title": "留言答复", "owner": "办公室", "kind": "static"},
    "reports": {"type": "report", "title": "年度报表", "owner": "办公室", "kind": "static"},
}

NOW = "2026-01-10T09:00:00+08:00"
GOVPUB = [sys.executable, "-m", "govpub"]
FILLED = {
    "site": {"type": "部门网站"},
    "visits": {"unique_visitors": 1200345, "total": 5600789},
    "topics": {"maintained": 6, "new": 2},
    "interpretation": {"products": 3, "media": 4, "responses": 5},
    "services": {"registered_users": 88000, "cases": {"natural": 700, "legal": 300}},
    "interaction": {"unified_platform": "是", "surveys": {"count": 2, "opinions": 31,
                                                          "results": 2},
                    "interviews": {"count": 1, "questions": 12, "answers": 11},
                    "smart_qa": False},
    "security": {"assessments": 4, "problems_found": 7, "problems_fixed": 7,
                 "monitoring": True, "drills": True, "responsible": True},
    "new_media": {"wechat": {"posts": 400, "subscribers": 52000}},
    "innovation": {"features": ["搜索即服务", "无障碍浏览"], "other": "无"},
    "staff": 9, "budget": 125.5,
    "signature": {"leader": "王某", "reviewer": "李某", "filled_by": "张某",
                  "phone": "010-62083114", "filled_on": "2026-01-09"},
}


def git(root, *args, when="2025-12-31T20:00:00+08:00", who="editor@example.gov.cn"):
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "编辑", "GIT_COMMITTER_NAME": "编辑",
           "GIT_AUTHOR_EMAIL": who, "GIT_COMMITTER_EMAIL": who}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def commit_all(root, message, when):
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message, when=when)


def page(root, path, published, **meta):
    add_page(root, path, {"published": published, **meta})


def build_year(root):
    """The site of the synthetic year 2025, committed on 31 December."""
    page(root, "index.md", "2025-01-02T09:00:00+08:00")
    page(root, "about/site.md", "2025-02-03T09:00:00+08:00")
    page(root, "news/a.md", "2025-01-10T09:00:00+08:00")
    page(root, "news/b.md", "2025-03-05T09:00:00+08:00")
    page(root, "news/c.md", "2025-03-20T09:00:00+08:00")
    page(root, "news/old.md", "2024-12-30T09:00:00+08:00")
    page(root, "notices/a.md", "2025-06-01T09:00:00+08:00")
    page(root, "notices/b.md", "2025-12-31T23:30:00+08:00")  # 15:30 UTC: still 2025 locally
    add_page(root, "notices/draft.md", {"published": "2025-07-01T09:00:00+08:00"},
             signed=False)
    page(root, "policies/interp.md", "2025-07-01T09:00:00+08:00", policy_kind="interpretation")
    page(root, "policies/reg.md", "2025-07-02T09:00:00+08:00", policy_kind="regulation")
    for code, published, depth in (("100000000001", "2024-05-01", 4),
                                   ("100000000002", "2025-05-01", 4),
                                   ("100000000003", "2025-05-02", 2)):
        page(root, f"catalog/{code}.md", f"{published}T09:00:00+08:00", online_depth=depth,
             free=True, online_url="https://www.example.gov.cn/online/")
    page(root, "guides/g1.md", "2025-08-01T09:00:00+08:00")
    page(root, "reproduced/r1.md", "2025-09-01T13:00:00+08:00",
         reproduces={"url": "https://www.gov.cn/a", "title": "甲", "publisher": "国务院",
                     "published": "2025-09-01T10:00:00+08:00"})
    # Mon 3 Mar 10:00 → Tue 4 Mar 10:00: 1 working day
    add_comment(root, "q1", "2025-03-03T10:00:00+08:00", replied="2025-03-04T10:00:00+08:00")
    # Fri 7 Mar 10:00 → Thu 13 Mar 10:00: 4 working days
    add_comment(root, "q2", "2025-03-07T10:00:00+08:00", replied="2025-03-13T10:00:00+08:00")
    # Mon 10 Mar → Wed 12 Mar: 2 working days, withheld (counted, not published)
    add_comment(root, "q3", "2025-03-10T10:00:00+08:00", replied="2025-03-12T10:00:00+08:00",
                outcome="withheld")
    add_comment(root, "q0", "2024-12-02T10:00:00+08:00", replied="2024-12-03T10:00:00+08:00")
    (root / "site_config" / "links.yml").write_text(dump({"approved": [
        {"site": "www.gov.cn", "approved_by": "办公室", "approved_at": "2025-02-01"}]}),
        encoding="utf-8")
    base = {"owner": "办公室", "administrator": "网站管理处", "approved_by": "办公室"}
    (root / "site_config" / "platforms.yml").write_text(dump({"platforms": [
        {"id": "web", "name": "网站", "kind": "website", "url": "https://www.example.gov.cn/",
         "approved_at": "2020-01-01", "status": "active", **base},
        {"id": "wx", "name": "测试局发布", "kind": "wechat", "account": "t",
         "approved_at": "2020-01-01", "status": "active", **base},
        {"id": "wb", "name": "旧微博", "kind": "weibo", "url": "https://weibo.com/x",
         "approved_at": "2020-01-01", "status": "closed", **base},
        {"id": "mp", "name": "测试局办事", "kind": "mini-program", "account": "m",
         "approved_at": "2021-01-01", "status": "active", **base},
        {"id": "app", "name": "测试局客户端", "kind": "app", "url": "https://www.example.gov.cn/a",
         "approved_at": "2026-01-03", "status": "active", **base}]}), encoding="utf-8")


def make_year_repo(path):
    root = make_repo(path, columns=COLUMNS, site=BUILD_IDENTITY)  # it is built, too
    git(root, "init", "-q")
    git(root, "commit", "-q", "--allow-empty", "-m", "start", when="2025-01-01T08:00:00+08:00")
    build_year(root)
    commit_all(root, "the year's work", "2025-12-31T20:00:00+08:00")
    return root


def write_office(root, data, year=2025):
    target = root / "site_config" / "annual" / f"{year}.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump(data), encoding="utf-8")


def report(root, *args, now=NOW):
    return main(["--root", str(root), "report", "annual", "2025", "--now", now, *args])


def form_of(root) -> dict[str, str]:
    text = (root / "content" / "reports" / "2025-annual-report.csv").read_text(encoding="utf-8")
    return {row["字段代码"]: row["数值"] for row in csv.DictReader(io.StringIO(text))}


@pytest.fixture(scope="module")
def year_repo(tmp_path_factory):
    return make_year_repo(tmp_path_factory.mktemp("year"))


@pytest.fixture(scope="module")
def generated(year_repo):
    write_office(year_repo, FILLED)
    commit_all(year_repo, "office figures", "2026-01-09T09:00:00+08:00")
    assert report(year_repo) == 0
    return year_repo


def test_computed_fields_match_the_hand_count(generated):
    f = form_of(generated)
    assert f["site.name"] == "测试局" and f["site.url"] == "https://www.example.gov.cn/"
    assert f["site.organizer"] == "测试局" and f["site.code"] == "bm00000001"
    assert f["site.icp"] == "京ICP备00000001号"
    assert f["site.public_security"] == "京公网安备11010802000001号"
    # index, about, news a b c, notices a b, policies 2, catalog 2, guide, reproduction
    assert f["publication.total"] == "13"
    assert f["publication.overview"] == "2"  # index, about/site
    assert f["publication.news"] == "5"  # news a b c, notices a b
    assert f["publication.disclosure"] == "4"  # notices a b, policies interp reg
    assert f["interpretation.materials"] == "1"
    assert f["services.catalog"] == "是" and f["services.items"] == "3"
    assert f["services.fully_online"] == "2"
    assert f["interaction.messages.received"] == "3"
    assert f["interaction.messages.closed"] == "3"
    assert f["interaction.messages.average_days"] == "2.33"  # (1 + 4 + 2) / 3 working days
    assert f["interaction.messages.published"] == "2"  # the withheld one is not published
    assert f["new_media.present"] == "是"
    assert f["new_media.wechat.name"] == "测试局发布"
    assert f["new_media.weibo.name"] == "无"  # closed
    assert f["new_media.other"] == "测试局办事"  # the app was approved in 2026


def test_office_fields_and_their_sums(generated):
    f = form_of(generated)
    assert f["site.type"] == "部门网站" and f["visits.unique_visitors"] == "1200345"
    assert f["interpretation.total"] == "8"  # 1 material + 3 products + 4 media articles
    assert f["services.cases.total"] == "1000"
    assert f["interaction.unified_platform"] == "是" and f["interaction.smart_qa"] == "否"
    assert f["new_media.weibo.posts"] == "—"  # no Weibo account: not applicable
    assert f["innovation.features"] == "搜索即服务、多语言版本、无障碍浏览"  # zh + en
    assert f["budget"] == "125.5" and f["signature.filled_on"] == "2026-01-09"


def test_csv_and_page_follow_the_form_row_by_row(generated):
    folder = generated / "content" / "reports"
    rows = list(csv.reader(io.StringIO((folder / "2025-annual-report.csv").read_text(
        encoding="utf-8"))))
    assert rows[0] == ["项目", "子项目", "指标", "数值", "字段代码"]
    assert [r[4] for r in rows[1:]] == [f.key for f in ALL_FIELDS]
    assert [tuple(x for x in r[:3] if x) for r in rows[1:]] == [f.labels for f in ALL_FIELDS]
    assert [r[0] for r in rows[1:8]] == ["网站名称", "首页网址", "主办单位", "网站类型",
                                         "政府网站标识码", "ICP备案号", "公安机关备案号"]
    text = (folder / "2025-annual-report.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "测试局政府网站工作年度报表（2025年度）"\n')
    assert "year: 2025\nreport_kind: annual\n" in text
    rows_shown = re.findall(r'<th scope="row"[^>]*>([^<]+)</th>', text)
    assert rows_shown == [f.labels[-1] for f in FIELDS]  # every row, in the form's order
    assert "单位负责人：王某　审核人：李某　填报人：张某　联系电话：010-62083114　填报日期：2026-01-09" \
        in text
    assert '<th scope="rowgroup" rowspan="4">信息发布（单位：条）</th>' in text
    assert MARKER not in text


def test_the_public_page_shows_the_form_not_internals(generated, capsys):
    text = (generated / "content" / "reports" / "2025-annual-report.md").read_text(
        encoding="utf-8")
    body = text.split("---\n", 2)[2]
    for internal in ("govpub", "watch", "sqlite", "verify", "not recorded", "history",
                     "commit", "snapshot", "warning", "Warning"):
        assert internal not in body, internal
    words = re.sub(r"<[^>]+>|\([^)]*\.(csv|svg)\)|https?://\S+", "", body)
    assert not re.search(r"[A-Za-z]{4,}", words), "English text on the Chinese form"


def test_a_month_chart_with_data_and_words_without(generated, tmp_path):
    folder = generated / "content" / "reports"
    svg = (folder / "2025-annual-report-months.svg").read_text(encoding="utf-8")
    assert "2025年各月信息发布数量" in svg and "dc:date" not in svg
    text = (folder / "2025-annual-report.md").read_text(encoding="utf-8")
    assert "(2025-annual-report-months.svg)" in text
    assert "1月 2条、2月 1条、3月 2条、4月 0条、5月 2条、6月 1条、7月 2条、8月 1条、9月 1条" in text and "合计 13条" in text
    empty = make_repo(tmp_path, columns=COLUMNS)
    git(empty, "init", "-q")
    commit_all(empty, "start", "2025-06-01T09:00:00+08:00")
    assert report(empty) == 0
    folder = empty / "content" / "reports"
    assert not (folder / "2025-annual-report-months.svg").exists()
    text = (folder / "2025-annual-report.md").read_text(encoding="utf-8")
    assert "2025年本网站未发布信息，无图表。" in text and ".svg" not in text


def test_later_commits_do_not_change_the_figures(tmp_path, capsys):
    root = make_year_repo(tmp_path)
    write_office(root, FILLED)
    commit_all(root, "office figures", "2026-01-09T09:00:00+08:00")
    assert report(root) == 0
    before = (root / "content" / "reports" / "2025-annual-report.csv").read_bytes()
    page_before = (root / "content" / "reports" / "2025-annual-report.md").read_text(
        encoding="utf-8")
    # January: a page backdated into 2025, a new comment, a platform, a renamed site
    page(root, "news/late.md", "2025-12-30T09:00:00+08:00")
    add_comment(root, "late", "2025-12-29T10:00:00+08:00", replied="2026-01-04T10:00:00+08:00")
    site = root / "site_config" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("name: 测试局", "name: 新测试局"),
                    encoding="utf-8")
    (root / "content" / "about" / "site.md").unlink()
    commit_all(root, "January work", "2026-01-05T09:00:00+08:00")
    commit_all(root, "February work", "2026-02-05T09:00:00+08:00")
    assert report(root, "--force", now="2026-03-01T09:00:00+08:00") == 0
    after = (root / "content" / "reports" / "2025-annual-report.csv").read_bytes()
    assert after == before
    page_after = (root / "content" / "reports" / "2025-annual-report.md").read_text(
        encoding="utf-8")
    assert page_after.replace("2026-03-01T09:00:00", "2026-01-10T09:00:00") == page_before
    assert form_of(root)["publication.total"] == "13"  # not the late, backdated page


def test_empty_office_fields_are_marked_listed_and_block_publication(tmp_path, capsys):
    root = make_year_repo(tmp_path)
    assert report(root) == 0
    out = capsys.readouterr()
    office = root / "site_config" / "annual" / "2025.yml"
    assert "wrote site_config/annual/2025.yml (the office fills it in)" in out.out
    template = office.read_text(encoding="utf-8")
    assert "# 独立用户访问总量（单位：个）：全年访问网站的独立用户数" in template
    data = yaml.safe_load(template)
    assert data["visits"] == {"unique_visitors": None, "total": None}
    applicable = [f for f in OFFICE_FIELDS
                  if f.needs_platform != "weibo" and f.key != "innovation.features"]
    assert f"{len(applicable)} fields of the form are still empty" in out.err
    assert "govpub report annual 2025 --force" in out.err
    text = (root / "content" / "reports" / "2025-annual-report.md").read_text(encoding="utf-8")
    assert text.count(MARKER) == len(applicable) + 2  # and both sums
    assert form_of(root)["visits.total"] == ""
    check = main(["--root", str(root), "check", "--format", "json", "--now", NOW,
                  str(root / "content" / "reports" / "2025-annual-report.md")])
    assert check == 1  # not signed off, and (with the placeholder rule) not done
    capsys.readouterr()
    office.write_text(template.replace("  total:\n", "  total: 5\n", 1), encoding="utf-8")
    assert report(root, "--force") == 0
    assert form_of(root)["visits.total"] == "5"
    assert office.read_text(encoding="utf-8").count("total: 5") == 1  # never rewritten


def test_malformed_office_data_is_a_config_error_with_its_line(tmp_path, capsys):
    root = make_year_repo(tmp_path)
    write_office(root, {**FILLED, "staff": "九人"})
    assert report(root) == 2
    err = capsys.readouterr().err
    assert "site_config/annual/2025.yml:" in err and "staff" in err and "Traceback" not in err
    write_office(root, {**FILLED, "visitors": 3})
    assert report(root) == 2
    assert "visitors" in capsys.readouterr().err
    assert not (root / "content" / "reports" / "2025-annual-report.md").exists()


def test_history_needed_and_snapshot_named(tmp_path, capsys):
    plain = make_repo(tmp_path / "plain", columns=COLUMNS)
    assert report(plain) == 2
    assert "not a git repository with commits" in capsys.readouterr().err
    late = make_repo(tmp_path / "late", columns=COLUMNS)
    page(late, "news/a.md", "2025-03-05T09:00:00+08:00")
    git(late, "init", "-q")
    commit_all(late, "migrated into git", "2026-01-03T09:00:00+08:00")
    assert report(late) == 2
    err = capsys.readouterr().err
    assert "no commit from before 2026-01-01T00:00:00+08:00" in err and "--snapshot REF" in err
    assert not (late / "site_config" / "annual").exists()
    assert report(late, "--snapshot", "HEAD") == 0
    assert form_of(late)["publication.total"] == "1"
    assert report(late, "--force", "--snapshot", "no-such-branch") == 2
    assert "unknown git revision" in capsys.readouterr().err


def test_internal_reproduction_figures_are_printed_not_published(tmp_path, capsys):
    from govpub.watch.store import Store, iso

    root = make_year_repo(tmp_path)
    store = Store(root / ".govpub" / "watch.sqlite3")
    rows = [("2025-04-01T10:00:00+08:00", "2025-04-01T22:00:00+08:00", "reproduced",
             "2025-04-01T12:00:00+08:00", 2),
            ("2025-05-01T10:00:00+08:00", "2025-05-01T22:00:00+08:00", "reproduced",
             "2025-05-02T06:00:00+08:00", 20),
            ("2025-06-01T10:00:00+08:00", "2025-06-01T22:00:00+08:00", "dismissed", None, None),
            ("2024-06-01T10:00:00+08:00", "2024-06-01T22:00:00+08:00", "reproduced",
             "2024-06-01T11:00:00+08:00", 1)]
    with store.transaction() as db:
        for index, (seen, deadline, state, done, lead) in enumerate(rows):
            db.execute(
                "INSERT INTO obligations(identity, feed_id, publisher, title, first_seen, "
                "deadline, basis, state, reproduction_published, lead_seconds) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                (f"item-{index}", "gov", "国务院", f"文件{index}",
                 iso(datetime.fromisoformat(seen)), iso(datetime.fromisoformat(deadline)),
                 "first_seen", state, iso(datetime.fromisoformat(done)) if done else None,
                 lead * 3600 if lead is not None else None))
    store.close()
    assert report(root) == 0
    out = capsys.readouterr().out
    assert ("internal (not published): 3 central documents watched, 2 reproduced (1 within "
            "the deadline, 1 late, median 11.0 hours), 1 dismissed") in out
    text = (root / "content" / "reports" / "2025-annual-report.md").read_text(encoding="utf-8")
    assert "转载" not in text and "11.0" not in text


def test_chinese_and_english_runs(tmp_path):
    root = make_year_repo(tmp_path)
    env = {**os.environ, "GOVPUB_LANG": "zh-CN"}
    zh = subprocess.run([*GOVPUB, "report", "annual", "2025", "--now", NOW], cwd=root,
                        capture_output=True, text=True, env=env, timeout=300)
    assert zh.returncode == 0, zh.stderr
    assert "已生成 site_config/annual/2025.yml（由办公室填写）" in zh.stdout
    assert "下一步：govpub report annual 2025 --force" in zh.stderr
    en = subprocess.run([*GOVPUB, "--root", str(root), "--lang", "en", "report", "annual",
                         "2025", "--now", NOW, "--force"], capture_output=True, text=True,
                        timeout=300)
    assert en.returncode == 0  # run from elsewhere: the hint goes to the repository first
    assert f"next: cd {root} && govpub review status" in en.stderr
    refused = subprocess.run([*GOVPUB, "--root", str(root), "report", "annual", "2026",
                              "--now", NOW], capture_output=True, text=True, env=env,
                             timeout=120)
    assert refused.returncode == 2 and "2026" in refused.stderr and "年" in refused.stderr


def test_refuses_to_overwrite_then_force_gives_identical_bytes(generated, capsys):
    folder = generated / "content" / "reports"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert report(generated) == 2 and "exists already" in capsys.readouterr().err
    assert report(generated, "--force") == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_office_schema_names_every_office_field_of_the_form():
    from importlib import resources

    schema = json.loads(resources.files("govpub").joinpath(
        "schemas/config/annual.schema.json").read_text(encoding="utf-8"))

    def leaves(node, prefix=()):
        for name, sub in node.get("properties", {}).items():
            if "properties" in sub:
                yield from leaves(sub, (*prefix, name))
            else:
                yield ".".join((*prefix, name))

    assert list(leaves(schema)) == [f.key for f in OFFICE_FIELDS]


def test_audit_lists_each_empty_office_field_from_1_january_and_blocks_from_31_january(
        tmp_path, capsys):
    root = make_year_repo(tmp_path)
    assert report(root) == 0
    capsys.readouterr()
    office = root / "site_config" / "annual" / "2025.yml"
    lines = office.read_text(encoding="utf-8").splitlines()

    def form_findings(now):
        main(["--root", str(root), "audit", "--now", now, "--format", "json"])
        return [f for f in json.loads(capsys.readouterr().out) if f["rule"] == "GP714"]

    assert form_findings("2025-12-31T23:00:00+08:00") == []  # the year is not over
    early = form_findings("2026-01-05T10:00:00+08:00")
    applicable = [f for f in OFFICE_FIELDS
                  if f.needs_platform != "weibo" and f.key != "innovation.features"]
    assert [f["severity"] for f in early] == ["warning"] * len(applicable)
    for finding in early:
        key = re.search(r"\(([a-z_.]+)\) is empty", finding["message"]).group(1)
        assert finding["path"] == "site_config/annual/2025.yml"
        assert lines[finding["line"] - 1].strip() == key.rsplit(".", 1)[-1] + ":", finding
    assert "fill it in by 2026-01-31" in early[0]["message"]
    late = form_findings("2026-01-31T08:00:00+08:00")
    assert {f["severity"] for f in late} == {"error"} and len(late) == len(applicable)
    write_office(root, FILLED)
    assert form_findings("2026-01-31T08:00:00+08:00") == []


def test_the_built_page_shows_the_form_to_the_public(generated, tmp_path, capsys):
    from comments_audit_fixtures import sign

    for name in ("2025-annual-report.md", "2025-annual-report.csv",
                 "2025-annual-report-months.svg"):
        sign(generated, f"reports/{name}")
    site = tmp_path / "site"
    assert main(["--root", str(generated), "build", "--now", "2026-01-20T10:00:00+08:00",
                 "--site-dir", str(site)]) == 0
    html = (site / "reports" / "2025-annual-report" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    assert "<caption>测试局政府网站工作年度报表（2025年度）</caption>" in article
    assert '<th scope="rowgroup" rowspan="7">办事服务</th>' in article
    assert '<img alt="2025年各月信息发布数量柱状图，数据见下文"' in article
    text = re.sub(r"<[^>]+>", " ", article)
    for internal in ("govpub", "watch", "sqlite", "not recorded", "commit", "snapshot"):
        assert internal not in text, internal
    assert MARKER not in text
    assert (site / "reports" / "2025-annual-report.csv").read_text(encoding="utf-8") == (
        generated / "content" / "reports" / "2025-annual-report.csv").read_text(encoding="utf-8")
