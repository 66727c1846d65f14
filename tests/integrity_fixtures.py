"""A tiny site repository of our own for the sensitive, link and integrity tests.

The repository's real ``site_config/`` is written by another engineer and
changes; these tests need a stable, minimal policy of the same shape.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from govpub.checker import run_checks
from govpub.config import load_policy
from govpub.content import load_corpus

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=TZ)

SITE_YML = """\
name: 测试站点
base_url: https://www.example.gov.cn/
timezone: Asia/Shanghai
languages: [zh]
agency_email_domains: [cnipa.gov.cn]
"""
COLUMNS_YML = """\
columns:
  notices: {type: notice, title: 通知公告, owner: 办公室}
  guides: {type: notice, title: 办事指南, owner: 办公室}
"""
REVIEWERS_YML = """\
reviewers:
  - {id: li-wei, name: 李伟, emails: [li.wei@cnipa.gov.cn]}
"""
LINKS_YML = """\
approved:
  - site: www.gov.cn
    approved_by: 国家知识产权局办公室
    approved_at: 2026-01-10
    review_interval_days: 365
  - site: https://www.wipo.int/treaties/
    approved_by: 国家知识产权局办公室
    approved_at: 2026-01-10
    review_interval_days: 365
  - site: old.example.org
    approved_by: 国家知识产权局办公室
    approved_at: 2024-01-10
    review_interval_days: 180
    allow_http: true
"""


def page(body: str = "正文。", **meta) -> str:
    fields = {"title": "关于调整专利收费的通知", "source": "国家知识产权局办公室",
              "published": "2026-11-20T10:00:00+08:00", "disclosure": "proactive", **meta}
    head = [f"{k}: {v}" for k, v in fields.items()]
    return "\n".join(["---", *head, "---", "", body, ""])


def make_site(tmp_path: Path, files: dict[str, str | bytes], *, site_yml: str = SITE_YML,
              links_yml: str | None = LINKS_YML) -> Path:
    root = tmp_path / "site"
    config = root / "site_config"
    (config / "types").mkdir(parents=True)
    (config / "site.yml").write_text(site_yml, encoding="utf-8")
    (config / "columns.yml").write_text(COLUMNS_YML, encoding="utf-8")
    (config / "reviewers.yml").write_text(REVIEWERS_YML, encoding="utf-8")
    (config / "types" / "notice.schema.json").write_text('{"type": "object"}', encoding="utf-8")
    if links_yml is not None:
        (config / "links.yml").write_text(links_yml, encoding="utf-8")
    (root / "content").mkdir()
    for rel, data in files.items():
        target = root / "content" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    return root


def findings_of(root: Path, prefix: str, now: datetime = NOW) -> list[tuple[str, str, int]]:
    """(rule, path, line) of every finding whose rule id starts with ``prefix``."""
    policy = load_policy(root)
    corpus = load_corpus(policy.content_dir)
    result = run_checks(policy, corpus, now)
    return [(f.rule, f.path, f.line) for f in result.findings if f.rule.startswith(prefix)]


def full_findings(root: Path, prefix: str, now: datetime = NOW):
    policy = load_policy(root)
    result = run_checks(policy, load_corpus(policy.content_dir), now)
    return [f for f in result.findings if f.rule.startswith(prefix)]
