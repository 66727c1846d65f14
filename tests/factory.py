"""Build small, real site repositories for tests.

``make_repo`` copies this repository's own ``site_config/`` (the real policy,
so tests follow the contract as the General Office writes it), writes the
given content files and signs them off with real sign-off records.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from govpub.config import load_policy
from govpub.review.records import add_signoff

REPO = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=TZ)


def notice(title: str = "关于调整专利收费的通知", published: str = "2026-11-20T10:00:00+08:00",
           body: str = "正文。", **extra) -> str:
    fields = {"title": title, "source": "国家知识产权局办公室", "published": published,
              "disclosure": "proactive", "category": "通知", **extra}
    lines = ["---", *(f"{k}: {v}" for k, v in fields.items() if v is not None), "---", "", body, ""]
    return "\n".join(lines)


def make_repo(tmp_path: Path, files: dict[str, str | bytes], *, sign: bool | list[str] = True,
              config_dir: Path | None = None) -> Path:
    root = tmp_path / "site"
    shutil.copytree(config_dir or REPO / "site_config", root / "site_config")
    (root / "content").mkdir(parents=True)
    for rel, data in files.items():
        target = root / "content" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    if sign:
        sign_off(root, files if sign is True else sign)
    return root


def sign_off(root: Path, paths) -> None:
    policy = load_policy(root)
    reviewers = sorted(policy.reviewers)
    for rel in paths:
        for reviewer in reviewers[: policy.levels_for(rel)]:
            add_signoff(policy, rel, reviewer, "public", "checked", NOW)


def service_item(code: str = "113500100001", **overrides) -> str:
    """A complete, valid service item; ``overrides`` replace top-level YAML lines."""
    fields = {
        "title": "专利申请受理",
        "source": "专利局初审及流程管理部",
        "published": "'2026-01-05T09:00:00+08:00'",
        "disclosure": "proactive",
        "code": f"'{code}'",
        "item_type": "administrative-confirmation",
        "category": "专利申请",
        "legal_basis": "['《中华人民共和国专利法》第二十六条']",
        "conditions": "['申请文件齐备']",
        "documents": "[{name: 请求书, form: electronic, copies: 1, required: true}]",
        "process": "[{step: 申请, description: 在线提交}, {step: 受理, description: 确定申请日, "
                   "days: 5}]",
        "time_limit": "{statutory_days: 20, promised_days: 5}",
        "free": "true",
        "online_depth": "4",
        "visits": "0",
        "channels": "[online, hall]",
        "online_url": "https://cponline.cnipa.gov.cn/",
        "contact": "{enquiry: '12330', complaint: 010-62083114}",
    }
    fields.update(overrides)
    lines = ["---", *(f"{k}: {v}" for k, v in fields.items() if v is not None), "---", "",
             "办理说明。", ""]
    return "\n".join(lines)


def guide(codes=("113500100001",), body: str = "## 办理流程\n\n说明。", **overrides) -> str:
    fields = {"title": "专利申请指南", "source": "专利局初审及流程管理部",
              "published": "'2026-01-05T09:00:00+08:00'", "disclosure": "proactive",
              "items": "[" + ", ".join(f"'{c}'" for c in codes) + "]"}
    fields.update(overrides)
    return "\n".join(["---", *(f"{k}: {v}" for k, v in fields.items() if v is not None), "---",
                      "", body, ""])
