"""The registry of open internet platforms (``site_config/platforms.yml``).

Every website, WeChat or Weibo account, app and mini program the agency
runs is listed with its owner department, administrator and approval. The
site publishes the active ones (:func:`platforms_page`) so that the public
can tell the real accounts from fakes; the audit flags active platforms
without approval or idle beyond ``idle_days`` ("zombie" platforms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import CONFIG_DIR, load_config_file
from ..errors import ConfigError
from ..i18n import _

PLATFORMS_FILE = Path(CONFIG_DIR) / "platforms.yml"
DEFAULT_IDLE_DAYS = 90
KIND_LABELS = {"website": "网站 Website", "wechat": "微信公众号 WeChat", "weibo": "微博 Weibo",
               "app": "移动客户端 App", "mini-program": "小程序 Mini program",
               "other": "其他 Other"}


@dataclass(frozen=True)
class Platform:
    id: str
    name: str
    kind: str
    url: str
    account: str
    owner: str
    administrator: str
    approved_by: str
    approved_at: date | None
    status: str
    last_update: date | None
    line: int

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def is_approved(self) -> bool:
        return bool(self.approved_by) and self.approved_at is not None


@dataclass(frozen=True)
class PlatformRegistry:
    platforms: tuple[Platform, ...]
    idle_days: int
    present: bool  # False when the file does not exist

    def active(self) -> list[Platform]:
        return [p for p in self.platforms if p.is_active]


def _date(value, key: str, line: int) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ConfigError(_("{field}: {value!r} is not a real date").format(
            field=key, value=value), path=PLATFORMS_FILE, line=line,
            hint=_("write YYYY-MM-DD")) from None


def load_platforms(root: Path) -> PlatformRegistry:
    """Read and validate the registry; an absent file is an empty registry."""
    file = Path(root) / PLATFORMS_FILE
    data, parsed = load_config_file(file, "platforms", required=False, default=None,
                                    root=Path(root), with_lines=True)
    if data is None:
        return PlatformRegistry((), DEFAULT_IDLE_DAYS, present=False)
    lines = parsed.lines
    platforms, seen = [], set()
    for index, entry in enumerate(data["platforms"]):
        line = lines.get(("platforms", index), 1)
        if entry["id"] in seen:
            raise ConfigError(_("platform id {id!r} is listed twice").format(id=entry["id"]),
                              path=PLATFORMS_FILE, line=lines.get(("platforms", index, "id"),
                                                                  line))
        seen.add(entry["id"])
        platforms.append(Platform(
            id=entry["id"], name=entry["name"], kind=entry["kind"], url=entry.get("url", ""),
            account=entry.get("account", ""), owner=entry["owner"],
            administrator=entry["administrator"], approved_by=entry.get("approved_by", ""),
            approved_at=_date(entry.get("approved_at"), "approved_at",
                              lines.get(("platforms", index, "approved_at"), line)),
            status=entry["status"],
            last_update=_date(entry.get("last_update"), "last_update",
                              lines.get(("platforms", index, "last_update"), line)),
            line=line))
    return PlatformRegistry(tuple(platforms), data.get("idle_days", DEFAULT_IDLE_DAYS),
                            present=True)


def platforms_markdown(registry: PlatformRegistry, site_name: str) -> str:
    from ..build import mdtext

    active = sorted(registry.active(), key=lambda p: (list(KIND_LABELS).index(p.kind), p.name))
    out = [mdtext.front_matter("政务网站和政务新媒体名录 Official platforms").rstrip("\n"), "",
           "# 政务网站和政务新媒体名录 Official platforms", "",
           f"以下是{mdtext.text(site_name)}开设并经审批的全部网站、政务新媒体账号和移动客户端。"
           "未列入本名录的账号不是本机关的官方平台。", "",
           "These are all the official websites, social media accounts and apps of the "
           "agency. An account not listed here is not ours.", ""]
    if not active:
        out.append("目前没有登记的平台。 No platforms are registered.")
    else:
        out += ["| 类型 Kind | 名称 Name | 网址或账号 Address or account | 主管部门 Owner |",
                "|---|---|---|---|"]
        for p in active:
            where = mdtext.external_link(p.url, p.url) if p.url else mdtext.text(p.account)
            if p.url and p.account:
                where += f" ({mdtext.text(p.account)})"
            out.append(f"| {KIND_LABELS[p.kind]} | {mdtext.text(p.name)} | {where} | "
                       f"{mdtext.text(p.owner)} |")
    return "\n".join(out) + "\n"


def platforms_page(model) -> dict[str, str]:
    """Build-time page generator: the list of active platforms (staging path → Markdown)."""
    registry = load_platforms(model.policy.root)
    if not registry.present:
        return {}
    return {"about/platforms.md": platforms_markdown(registry, model.policy.site.get("name", ""))}


__all__ = ["KIND_LABELS", "Platform", "PlatformRegistry", "load_platforms", "platforms_page"]
