"""Tiny site repositories for the comments, audit, platforms and report tests.

Each repository has its own minimal ``site_config/`` (permissive type
schemas, so the tests depend on this area's code and not on the demo's
schemas) and real sign-off records, so pages pass the real gate.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from govpub.digest import digest_for

TYPES = ("page", "notice", "policy", "comment", "report", "service-item", "guide",
         "reproduction", "faq")

DEFAULT_COLUMNS = {
    "": {"type": "page", "title": "首页", "owner": "办公室", "cadence_days": 14, "kind": "home"},
    "news": {"type": "notice", "title": "工作动态", "owner": "办公室", "cadence_days": 14,
             "kind": "dynamic", "dated": True},
    "notices": {"type": "notice", "title": "通知公告", "owner": "办公室", "cadence_days": 180,
                "kind": "notices", "dated": True},
    "policies": {"type": "policy", "title": "政策法规", "owner": "条法司", "cadence_days": 180,
                 "kind": "policies", "dated": True},
    "comments": {"type": "comment", "title": "留言答复", "owner": "办公室", "cadence_days": None,
                 "kind": "static", "dated": True},
    "reports": {"type": "report", "title": "年度报表", "owner": "办公室", "cadence_days": None,
                "kind": "static", "dated": True},
}

SITE = {"name": "测试局", "name_en": "Test Administration", "base_url": "https://www.example.gov.cn/",
        "timezone": "Asia/Shanghai", "languages": ["zh", "en"], "organizer": "测试局",
        "domain": "www.example.gov.cn", "site_code": "bm00000001", "icp": "京ICP备00000001号",
        "reply_working_days": 3}
#: what `govpub build` needs besides SITE: the rest of the identity every page shows
BUILD_IDENTITY = {
    "public_security_record": "京公网安备11010802000001号",
    "government_mark": {"url": "https://bszs.conac.cn/"},
    "contact": {"address": "北京市测试路1号", "postcode": "100000", "phone": "010-00000000",
                "email": "web@example.gov.cn"},
    "footer_pages": {"zh": {"about": "about/site.md", "contact": "about/contact.md",
                            "privacy": "about/privacy.md"}},
}


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def make_repo(root: Path, *, columns: dict | None = None, site: dict | None = None) -> Path:
    config = root / "site_config"
    (config / "types").mkdir(parents=True)
    (root / "content").mkdir()
    (config / "site.yml").write_text(dump({**SITE, **(site or {})}), encoding="utf-8")
    (config / "columns.yml").write_text(dump({"columns": columns or DEFAULT_COLUMNS}),
                                        encoding="utf-8")
    (config / "reviewers.yml").write_text(dump({"reviewers": [
        {"id": "li-wei", "name": "李伟", "emails": ["li-wei@example.gov.cn"]}]}),
        encoding="utf-8")
    for name in TYPES:
        (config / "types" / f"{name}.schema.json").write_text('{"type": "object"}',
                                                               encoding="utf-8")
    return root


def sign(root: Path, content_path: str, at: str = "2026-01-01T10:00:00+08:00") -> None:
    data = (root / "content" / content_path).read_bytes()
    record = {"content": content_path, "digest": digest_for(content_path, data),
              "signoffs": [{"reviewer": "li-wei", "at": at, "decision": "public"}]}
    target = root / "review" / (content_path + ".yml")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump(record), encoding="utf-8")


def add_page(root: Path, content_path: str, meta: dict, body: str = "正文。\n", *,
             signed: bool = True, signed_at: str = "2026-01-01T10:00:00+08:00") -> Path:
    base = {"title": "标题", "source": "办公室", "disclosure": "proactive"}
    file = root / "content" / content_path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("---\n" + dump({**base, **meta}) + "---\n" + body, encoding="utf-8")
    if signed:
        sign(root, content_path, signed_at)
    return file


def add_comment(root: Path, name: str, received: str, *, replied: str | None = None,
                outcome: str | None = None, signed: bool | None = None, **extra) -> Path:
    meta = {"title": f"留言 {name}", "published": replied or received, "received": received,
            "channel": "website", "subject": f"关于{name}的留言", "message": "留言内容。"}
    if replied:
        meta.update(replied=replied, handled_by="办公室", outcome=outcome or "answered")
        if (outcome or "answered") == "answered":
            meta["reply"] = "答复内容。"
        else:
            meta["withheld_reason"] = extra.pop("withheld_reason", "不实举报")
            meta["disclosure"] = "withheld"
    meta.update(extra)
    return add_page(root, f"comments/{name}.md", meta,
                    signed=bool(replied) if signed is None else signed)
