"""Real git repositories with a minimal site for the review tests.

People: an editor (ed), two reviewers (li-wei, wang-fang) and a third
reviewer (zhao-min). Each commits with their own identity through
environment variables, as separate people on separate machines would.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from click.testing import CliRunner

from govpub.cli import main
from govpub.config import load_policy
from govpub.digest import digest_for

try:
    from site_identity import IDENTITY_YML
except ImportError:  # imported as tests.review_fixtures
    from tests.site_identity import IDENTITY_YML

SHANGHAI = ZoneInfo("Asia/Shanghai")
EMAILS = {"ed": "ed@example.gov.cn", "li-wei": "li.wei@example.gov.cn",
          "wang-fang": "wang.fang@example.gov.cn", "zhao-min": "zhao.min@example.gov.cn"}

SITE_YML = """name: 测试站点
base_url: https://www.example.gov.cn/
timezone: Asia/Shanghai
languages: [zh, en]
""" + IDENTITY_YML

COLUMNS_YML = """columns:
  notices:
    type: notice
    title: 通知公告
    owner: 办公室
  policies:
    type: notice
    title: 政策
    owner: 条法司
"""

NOTICE_SCHEMA = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["title"],
  "properties": {"title": {"type": "string", "description": "Title."}}
}
"""

PAGE = """---
title: {title}
source: 办公室
published: 2026-11-20T10:00:00+08:00
disclosure: proactive
---
{body}
"""


def reviewers_yml(keys: dict[str, list[str]] | None = None, levels: int = 1,
                  column_levels: dict[str, int] | None = None,
                  gpg: dict[str, list[str]] | None = None) -> str:
    keys = keys or {}
    gpg = gpg or {}
    out = [f"levels: {levels}"]
    if column_levels:
        out.append("column_levels:")
        out += [f"  {k}: {v}" for k, v in column_levels.items()]
    out.append("reviewers:")
    for rid in ("li-wei", "wang-fang", "zhao-min"):
        out += [f"  - id: {rid}", f"    name: {rid}", f"    emails: [{EMAILS[rid]}]"]
        if rid in keys:
            out.append("    keys:")
            out += [f"      - {k}" for k in keys[rid]]
        if rid in gpg:
            out.append(f"    gpg_fingerprints: [{', '.join(gpg[rid])}]")
    return "\n".join(out) + "\n"


def git(cwd: Path, *args: str, who: str = "ed", env: dict | None = None,
        check: bool = True) -> subprocess.CompletedProcess:
    email = EMAILS.get(who, who)
    full_env = {**os.environ, "GIT_AUTHOR_NAME": who, "GIT_AUTHOR_EMAIL": email,
                "GIT_COMMITTER_NAME": who, "GIT_COMMITTER_EMAIL": email,
                "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd.parent / "home"),
                **(env or {})}
    proc = subprocess.run(["git", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, check=False)
    if check and proc.returncode:
        raise AssertionError(f"git {args} failed: {proc.stderr}")
    return proc


def approve_as(site: Site, who: str, *args: str) -> tuple[int, str]:
    """``govpub review approve ARGS`` run by ``who`` (their address as git's user.email);
    (exit code, everything it printed)."""
    git(site.root, "config", "user.email", EMAILS[who])
    runner = CliRunner()
    with runner.isolation() as (out, err, *_):
        code = main(["--root", str(site.root), "review", "approve", *args])
        return code, out.getvalue().decode() + err.getvalue().decode()


def make_key(directory: Path, name: str) -> tuple[Path, str]:
    """A real ed25519 SSH key pair; returns (private key path, public key line)."""
    directory.mkdir(parents=True, exist_ok=True)
    key = directory / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
                   check=True)
    return key, (directory / f"{name}.pub").read_text().strip()


@dataclass
class Site:
    root: Path
    reviewer_keys: dict[str, Path] = field(default_factory=dict)

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def page(self, content_path: str, title: str = "通知", body: str = "正文。") -> None:
        self.write(f"content/{content_path}", PAGE.format(title=title, body=body))

    def policy(self):
        return load_policy(self.root)

    def commit(self, who: str, message: str, *paths: str, sign_with: Path | str | None = None,
               author: str | None = None, date: str | None = None) -> str:
        git(self.root, "add", "-A", "--", *(paths or ["."]), who=who)
        args = ["commit", "-q", "-m", message]
        if isinstance(sign_with, str):  # a GPG fingerprint
            args = ["-c", "gpg.format=openpgp", "-c", f"user.signingkey={sign_with}", *args, "-S"]
        elif sign_with is not None:
            args = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={sign_with}", *args, "-S"]
        env = {}
        if author:
            env |= {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": EMAILS[author]}
        if date:
            env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        git(self.root, *args, who=who, env=env)
        return git(self.root, "rev-parse", "HEAD").stdout.strip()

    def signoff(self, content_path: str, *reviewers: str, digest: str | None = None,
                decision: str = "public", at: str | None = None) -> None:
        """Write a record by hand (as anyone could) for the file's current bytes, dated
        ``at`` (default: this whole second, as `govpub review approve` would; a sign-off
        already in the record for these bytes keeps its time, as approve keeps it)."""
        data = (self.root / "content" / content_path).read_bytes()
        digest = digest or digest_for(content_path, data)
        now = datetime.now(SHANGHAI).replace(microsecond=0).isoformat()
        kept = self._signoff_times(content_path, digest)
        lines = [f"content: {content_path}", f"digest: {digest}", "signoffs:"]
        for rid in reviewers:
            lines += [f"  - reviewer: {rid}", f"    at: '{at or kept.get(rid, now)}'",
                      f"    decision: {decision}", "    note: checked"]
        self.write(f"review/{content_path}.yml", "\n".join(lines) + "\n")

    def commit_signoff(self, content_path: str, reviewer: str, *, message: str = "approve",
                       date: str | None = None, sign_with: Path | str | None = None) -> str:
        """``reviewer`` signs off the page's current bytes and commits the record alone."""
        self.signoff(content_path, reviewer)
        return self.commit(reviewer, message, f"review/{content_path}.yml", date=date,
                           sign_with=sign_with)

    def _signoff_times(self, content_path: str, digest: str) -> dict[str, str]:
        record = self.root / "review" / f"{content_path}.yml"
        return _record_times(record.read_text(encoding="utf-8"), digest) \
            if record.is_file() else {}


def _record_times(text: str, digest: str) -> dict[str, str]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict) or data.get("digest") != digest:
        return {}
    return {str(s.get("reviewer")): str(s.get("at")) for s in data.get("signoffs") or []
            if isinstance(s, dict)}


def make_site(tmp_path: Path, *, levels: int = 1, keys: dict[str, list[str]] | None = None,
              column_levels: dict[str, int] | None = None,
              gpg: dict[str, list[str]] | None = None) -> Site:
    root = tmp_path / "site"
    root.mkdir()
    (tmp_path / "home").mkdir(exist_ok=True)
    site = Site(root)
    site.write("site_config/site.yml", SITE_YML)
    site.write("site_config/columns.yml", COLUMNS_YML)
    site.write("site_config/reviewers.yml", reviewers_yml(keys, levels, column_levels, gpg))
    site.write("site_config/types/notice.schema.json", NOTICE_SCHEMA)
    site.write("content/notices/.gitkeep", "")
    git(root, "init", "-q", "-b", "main")
    site.commit("ed", "site skeleton")
    return site


def make_gpg_key(home: Path, uid: str) -> str:
    """A real GPG signing key (ed25519, no passphrase) in ``home``; returns its fingerprint."""
    home.mkdir(parents=True, exist_ok=True)
    home.chmod(0o700)
    env = {**os.environ, "GNUPGHOME": str(home)}
    subprocess.run(["gpg", "--batch", "--quiet", "--passphrase", "", "--quick-gen-key", uid,
                    "ed25519", "sign", "never"], env=env, check=True, capture_output=True)
    out = subprocess.run(["gpg", "--list-keys", "--with-colons", uid], env=env, check=True,
                         capture_output=True, text=True).stdout
    return next(line.split(":")[9] for line in out.splitlines() if line.startswith("fpr"))


def rule_ids(findings) -> list[tuple[str, str]]:
    return sorted((f.rule, f.path) for f in findings)
