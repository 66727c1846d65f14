"""The form's computed fields, from the site as it stood at the end of the year (pure).

What counts, and why (documented in docs/comments-and-audit.md):

- 信息发布 总数: every page first published in the year that the public could
  see, except public comments (counted under 互动交流) and the annual reports
  themselves. 概况类: pages of the generic ``page`` type (the home page,
  关于本站 and the like). 政务动态: pages of the news and notices columns
  (``kind: dynamic`` or ``notices``). 信息公开目录: pages of the notices and
  policies columns (``kind: notices`` or ``policies``), which the 政府信息公开目录
  lists. A notice counts under both, as on the form.
- 解读材料: policy interpretations (``policy_kind: interpretation``) published
  in the year.
- 办事服务: service items published at the year's end; fully online ones are
  those of depth 4.
- 留言办理: comments received in the year; 办结 those replied (answered or
  withheld) by the year's end; 平均办理时间 in working days on the official
  calendar; 公开答复 those answered (withheld ones are not published).
- 移动新媒体: active, approved WeChat and Weibo accounts and other platforms of
  the registry (``platforms.yml``) at the year's end.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from ..comments.stats import CommentStats
from ..platforms import PlatformRegistry
from ..sitemodel import SiteModel

NEWS_KINDS = ("dynamic", "notices")
DISCLOSURE_KINDS = ("notices", "policies")
NOT_PUBLICATIONS = ("comment", "report")
NEW_MEDIA = ("weibo", "wechat")


def in_year(moment: datetime, start: datetime, end: datetime) -> bool:
    return start <= moment < end


def publication_figures(model: SiteModel, start: datetime, end: datetime) -> dict:
    published = [p for p in model.pages if in_year(p.published, start, end)
                 and p.type not in NOT_PUBLICATIONS]
    existing = [p for p in model.pages if p.published < end]
    items = [p for p in existing if p.type == "service-item"]
    return {
        "publication.total": len(published),
        "publication.overview": sum(1 for p in published if p.type == "page"),
        "publication.news": sum(1 for p in published
                                if p.column is not None and p.column.kind in NEWS_KINDS),
        "publication.disclosure": sum(1 for p in published if p.column is not None
                                      and p.column.kind in DISCLOSURE_KINDS),
        "interpretation.materials": sum(1 for p in published if p.type == "policy"
                                        and p.meta.get("policy_kind") == "interpretation"),
        "services.catalog": bool(items),
        "services.items": len(items),
        "services.fully_online": sum(1 for p in items if p.meta.get("online_depth") == 4),
    }


def per_month(model: SiteModel, start: datetime, end: datetime) -> list[int]:
    """Pages published in each month of the year (the same pages as 信息发布 总数)."""
    tz = model.policy.timezone
    counts = [0] * 12
    for page in model.pages:
        if in_year(page.published, start, end) and page.type not in NOT_PUBLICATIONS:
            counts[page.published.astimezone(tz).month - 1] += 1
    return counts


def comment_figures(stats: CommentStats) -> dict:
    return {
        "interaction.messages.received": stats.received,
        "interaction.messages.closed": stats.replied,
        "interaction.messages.average_days": stats.average_working_days,
        "interaction.messages.published": stats.answered,
    }


def platform_figures(registry: PlatformRegistry, end: datetime) -> dict:
    """Names of the new-media accounts active and approved at the year's end."""
    names: dict[str, list[str]] = {}
    for platform in registry.active():
        if platform.approved_at is not None and platform.approved_at >= end.date():
            continue
        if platform.kind == "website":
            continue
        kind = platform.kind if platform.kind in NEW_MEDIA else "other"
        names.setdefault(kind, []).append(platform.name)
    return {
        "new_media.present": bool(names),
        "new_media.weibo.name": "、".join(names.get("weibo", [])) or None,
        "new_media.wechat.name": "、".join(names.get("wechat", [])) or None,
        "new_media.other": "、".join(names.get("other", [])) or None,
    }


def platform_kinds(figures: dict) -> set[str]:
    """The new-media kinds the site has, for the office fields that apply only to them."""
    return {kind for kind in NEW_MEDIA if figures.get(f"new_media.{kind}.name")}


def site_figures(site: dict) -> dict:
    return {
        "site.name": site.get("name"),
        "site.url": site.get("base_url"),
        "site.organizer": site.get("organizer") or site.get("name"),
        "site.code": site.get("site_code"),
        "site.icp": site.get("icp"),
        "site.public_security": site.get("public_security_record"),
    }


def languages(site: dict) -> int:
    return len(Counter(site.get("languages") or []))


__all__ = ["comment_figures", "per_month", "platform_figures", "platform_kinds",
           "publication_figures", "site_figures"]
