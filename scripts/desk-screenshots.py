#!/usr/bin/env python3
"""Screenshots and terminal transcripts for docs/zh/审核手册.md (the reviewer's guide).

Usage: .venv/bin/python scripts/desk-screenshots.py      (from the repository root)

Builds a small review repository in a temporary folder — the demo's site
configuration, a notice approved last month and edited since (1月 → 2月), a
new notice, a policy under two-level review signed at the first level —
starts `govpub review desk` in Chinese as reviewer 王芳 (wang-fang), drives
Chromium through the queue, a change, the rendered page, a rejection, and
writes docs/zh/images/desk-*.png and docs/zh/images/cli-*.txt. Rerun it
after changing the desk; the images are committed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "zh" / "images"
CHROMIUM = "/usr/bin/chromium"
PEOPLE = {"ed": ("编辑小赵", "ed@cnipa.gov.cn"), "li-wei": ("李伟", "li-wei@cnipa.gov.cn"),
          "wang-fang": ("王芳", "wang-fang@cnipa.gov.cn")}
PARAGRAPH = ("根据《专利法实施细则》有关规定，专利权人应当于2026年1月31日前缴纳下一年度年费。"
             "逾期未缴纳的，可以在期满之日起六个月内补缴，同时缴纳滞纳金。")
PAGE = """---
title: {title}
source: 专利局初审及流程管理部
published: 2026-11-20T10:00:00+08:00
disclosure: proactive
{extra}---
{body}
"""
REVIEWERS = """levels: 1
column_levels:
  policies: 2
reviewers:
  - id: li-wei
    name: 李伟
    emails: [li-wei@cnipa.gov.cn]
  - id: wang-fang
    name: 王芳
    emails: [wang-fang@cnipa.gov.cn]
"""


def git(root: Path, *args: str, who: str = "ed") -> str:
    name, email = PEOPLE[who]
    env = {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
           "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root.parent)}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True,
                          capture_output=True, text=True).stdout


def govpub(root: Path, *args: str, who: str) -> str:
    name, email = PEOPLE[who]
    git(root, "config", "user.email", email)
    git(root, "config", "user.name", name)
    env = {**os.environ, "GOVPUB_LANG": "zh-CN", "HOME": str(root.parent),
           "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run([sys.executable, "-m", "govpub", "--root", str(root), *args],
                          env=env, check=True, capture_output=True, text=True).stdout


def page(root: Path, rel: str, title: str, body: str, extra: str = "") -> None:
    file = root / "content" / rel
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(PAGE.format(title=title, body=body, extra=extra), encoding="utf-8")


def make_repository(tmp: Path) -> Path:
    root = tmp / "site"
    shutil.copytree(REPO / "site_config", root / "site_config")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "site_config" / "reviewers.yml").write_text(REVIEWERS, encoding="utf-8")
    page(root, "notices/2026-11-20-annual-fee.md", "关于缴纳专利年费的提示", PARAGRAPH,
         "category: 公告\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "通知：缴纳年费的提示")
    govpub(root, "review", "approve", "--commit", "content/notices/2026-11-20-annual-fee.md",
           "--now", "2026-11-20T11:00", who="li-wei")
    page(root, "notices/2026-11-20-annual-fee.md", "关于按时缴纳专利年费的提示",
         PARAGRAPH.replace("1月31日", "2月28日"), "category: 公告\n")
    git(root, "commit", "-q", "-am", "通知：更正缴费期限")
    page(root, "notices/2026-12-01-9bf55ca8.md", "关于补发专利证书的通知",
         "因系统升级，补发专利证书的办理方式另行通知。联系人：张三，手机 13800000000。",
         "category: 公告\n")
    page(root, "policies/2026-fee-rules.md", "专利收费管理办法",
         "第一条 为规范专利收费行为，根据有关规定，制定本办法。",
         "policy_kind: rule\ndoc_number: 国知发〔2026〕1号\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "新增通知和收费办法")
    govpub(root, "review", "approve", "--commit", "content/policies/2026-fee-rules.md",
           who="li-wei")
    return root


def transcripts(root: Path) -> None:
    status = govpub(root, "review", "status", "--now", "2026-12-01T09:00", who="wang-fang")
    (OUT / "cli-status.txt").write_text(status, encoding="utf-8")
    diff = govpub(root, "review", "diff", "content/notices/2026-11-20-annual-fee.md",
                  who="wang-fang")
    (OUT / "cli-diff.txt").write_text(re.sub(r"\x1b\[[0-9;]*m", "", diff), encoding="utf-8")


def screenshots(root: Path) -> None:
    from playwright.sync_api import sync_playwright

    git(root, "config", "user.email", PEOPLE["wang-fang"][1])
    git(root, "config", "user.name", PEOPLE["wang-fang"][0])
    env = {**os.environ, "GOVPUB_LANG": "zh-CN", "HOME": str(root.parent),
           "GIT_CONFIG_NOSYSTEM": "1"}
    desk = subprocess.Popen(
        [sys.executable, "-m", "govpub", "--root", str(root), "review", "desk", "--no-browser",
         "--now", "2026-12-01T09:00"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, env=env)
    try:
        line = desk.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/\S+/", line).group(0)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            shot = browser.new_page(viewport={"width": 1280, "height": 800},
                                    device_scale_factor=1)
            shot.goto(url)
            shot.screenshot(path=OUT / "desk-queue.png", full_page=True)
            shot.get_by_role("link", name="关于按时缴纳专利年费的提示").click()
            shot.frame_locator("iframe.rendered").locator("ins.govpub-desk-ins").first.wait_for(
                timeout=600_000)
            shot.locator("section[aria-labelledby=h-change]").screenshot(
                path=OUT / "desk-change.png")
            shot.locator("section[aria-labelledby=h-rendered]").screenshot(
                path=OUT / "desk-rendered.png")
            shot.locator("section[aria-labelledby=h-decision]").screenshot(
                path=OUT / "desk-decision.png")
            shot.goto(url)
            shot.get_by_role("link", name="专利收费管理办法").click()
            shot.locator("section[aria-labelledby=h-signoffs]").screenshot(
                path=OUT / "desk-levels.png")
            shot.goto(url)
            shot.get_by_role("link", name="关于补发专利证书的通知").click()
            shot.locator("section[aria-labelledby=h-findings]").screenshot(
                path=OUT / "desk-findings.png")
            shot.get_by_label("含个人信息").check()
            shot.get_by_label("退回说明（选择“其他”时必填）").fill("正文含联系人手机号码，请删除后重新提交")
            shot.get_by_role("button", name="退回").click()
            shot.wait_for_url(re.compile(r".*done=reject.*"))
            shot.locator("main").screenshot(path=OUT / "desk-rejected.png")
            browser.close()
    finally:
        desk.stdin.close()
        desk.wait()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="govpub-desk-shots-") as tmp:
        root = make_repository(Path(tmp))
        transcripts(root)
        screenshots(root)
    for file in sorted(OUT.glob("desk-*.png")) + sorted(OUT.glob("cli-*.txt")):
        print(file.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
