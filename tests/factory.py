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
