"""The public pages: handling of all comments, and the registry of active platforms."""

from __future__ import annotations

from comments_audit_fixtures import add_comment, dump, make_repo

from govpub.checker import check_repository
from govpub.comments.page import comments_page
from govpub.config import load_policy
from govpub.platforms import platforms_page
from govpub.sitemodel import build_site_model
from govpub.timeparse import parse_now


def model_of(root, now="2026-11-28T10:00"):
    policy = load_policy(root)
    return build_site_model(check_repository(policy, parse_now(now, policy.timezone)))


def test_comment_page_counts_everything_and_shows_only_answered_approved(tmp_path):
    root = make_repo(tmp_path)
    # Mon 2 Nov 10:00 → replied Tue 3 Nov 16:00: 1.25 working days, on time
    add_comment(root, "fast", "2026-11-02T10:00:00+08:00", replied="2026-11-03T16:00:00+08:00",
                message="请问年费减缴如何办理？", reply="请登录专利业务办理系统提交。")
    # Fri 6 Nov 10:00 → replied Thu 12 Nov 10:00: 4 working days, late
    add_comment(root, "slow", "2026-11-06T10:00:00+08:00", replied="2026-11-12T10:00:00+08:00")
    # withheld: counted, text and reason never shown (on time: 1 working day)
    add_comment(root, "fake", "2026-11-09T10:00:00+08:00", replied="2026-11-10T10:00:00+08:00",
                outcome="withheld", withheld_reason="经核实为不实举报",
                message="秘密举报内容XYZ")
    # answered but its page not signed off: counted, not shown
    add_comment(root, "unsigned", "2026-11-16T10:00:00+08:00",
                replied="2026-11-17T10:00:00+08:00", signed=False, subject="未审核的留言")
    add_comment(root, "open", "2026-11-26T10:00:00+08:00")
    (path, text), = comments_page(model_of(root)).items()
    assert path == "comments/handling.md"
    assert "| 收到留言 Received | 5 |" in text
    assert "| 已办结 Replied | 4 |" in text
    assert "| 其中答复 Answered | 3 |" in text
    assert "| 其中不予公开（只计数） Withheld (counted, not shown) | 1 |" in text
    assert "| 办理中 Open | 1 |" in text
    assert "| 3 个工作日内办结 Replied within 3 working days | 3 (75%) |" in text
    # (1.25 + 4 + 1 + 1) / 4 = 1.8125
    assert "| 平均办理时间（工作日） Average working days to reply | 1.81 |" in text
    assert "请登录专利业务办理系统提交。" in text and "关于fast的留言" in text
    assert "超期 late" in text  # the slow one
    for secret in ("经核实为不实举报", "XYZ", "关于fake的留言", "未审核的留言"):
        assert secret not in text


def test_hostile_comment_text_stays_text(tmp_path):
    root = make_repo(tmp_path)
    add_comment(root, "x", "2026-11-02T10:00:00+08:00", replied="2026-11-03T10:00:00+08:00",
                reply="<script>alert(1)</script> [x](javascript:alert(1))")
    (text,) = comments_page(model_of(root)).values()
    assert "<script>" not in text and "](javascript:" not in text


def test_platform_page_lists_active_platforms_only(tmp_path):
    root = make_repo(tmp_path)
    assert platforms_page(model_of(root)) == {}  # no registry, no page
    (root / "site_config" / "platforms.yml").write_text(dump({"platforms": [
        {"id": "web", "name": "测试网站", "kind": "website", "url": "https://www.example.gov.cn/",
         "owner": "办公室", "administrator": "网站管理处", "approved_by": "办公室",
         "approved_at": "2020-01-01", "status": "active", "last_update": "2026-11-27"},
        {"id": "wx", "name": "测试<b>公众号</b>", "kind": "wechat", "account": "test|gov",
         "owner": "办公室", "administrator": "宣传处", "approved_by": "办公室",
         "approved_at": "2020-01-01", "status": "active", "last_update": "2026-11-27"},
        {"id": "old", "name": "已关停微博", "kind": "weibo", "url": "https://weibo.com/old",
         "owner": "办公室", "administrator": "宣传处", "status": "closed"}]}),
        encoding="utf-8")
    (path, text), = platforms_page(model_of(root)).items()
    assert path == "about/platforms.md"
    assert "测试网站" in text and "(<https://www.example.gov.cn/>)" in text
    assert "<b>" not in text and "test|gov" not in text  # escaped, table intact
    assert "已关停微博" not in text
