"""The annual report's figures, computed from the repository (pure, given its inputs)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from ..comments.stats import CommentStats
from ..platforms import PlatformRegistry
from ..sitemodel import SiteModel
from .watcherdata import WatcherFigures

DEPTH_LABELS = {1: "I 信息公开 information online", 2: "II 表格下载 forms online",
                3: "III 网上预审 online submission and pre-review",
                4: "IV 全程网办 fully online"}


@dataclass
class AnnualFigures:
    year: int
    site: dict
    per_column: dict[str, int]  # column title → pages published in the year
    per_month: list[int]  # 12 counts
    service_items: int
    service_by_depth: dict[int, int]
    guides: int
    interpretations: int
    reproduction_pages: int
    reproduction_page_leads: list[float]  # hours, from the pages' own source times
    watcher: WatcherFigures | None
    watcher_note: str
    comments: CommentStats
    links_approved: int  # approvals in force at the end of the year
    links_approved_in_year: int
    platforms_by_kind: dict[str, int]
    tamper_note: str
    warnings: list[str] = field(default_factory=list)

    @property
    def published_total(self) -> int:
        return sum(self.per_month)

    @property
    def median_lead_hours(self) -> float | None:
        leads = self.watcher.lead_hours if self.watcher else ()
        return round(statistics.median(leads), 2) if leads else None

    def rows(self) -> list[tuple[str, str, str]]:
        """(section, item, value) for the CSV, in report order."""
        out = []
        for key in ("name", "domain", "site_code", "icp", "organizer"):
            out.append(("site", key, str(self.site.get(key, ""))))
        out.append(("publication", "pages published", str(self.published_total)))
        for title, count in self.per_column.items():
            out.append(("publication by column", title, str(count)))
        for month, count in enumerate(self.per_month, start=1):
            out.append(("publication by month", f"{self.year}-{month:02d}", str(count)))
        out.append(("services", "service items", str(self.service_items)))
        for depth, count in sorted(self.service_by_depth.items()):
            out.append(("services by online depth", DEPTH_LABELS.get(depth, str(depth)),
                        str(count)))
        out.append(("services", "guides", str(self.guides)))
        out.append(("policies", "policy interpretations published", str(self.interpretations)))
        out.append(("reproduction", "reproduction pages published",
                    str(self.reproduction_pages)))
        if self.watcher is None:
            out.append(("reproduction", "watcher", self.watcher_note))
        else:
            w = self.watcher
            out += [("reproduction", "central items watched", str(w.watched)),
                    ("reproduction", "reproduced", str(w.reproduced)),
                    ("reproduction", "reproduced on time", str(w.on_time)),
                    ("reproduction", "dismissed", str(w.dismissed)),
                    ("reproduction", "median lead time (hours)",
                     _num(self.median_lead_hours))]
        c = self.comments
        out += [("comments", "received", str(c.received)), ("comments", "replied", str(c.replied)),
                ("comments", "replied on time", str(c.on_time)),
                ("comments", "withheld", str(c.withheld)), ("comments", "open", str(c.open)),
                ("comments", "average working days to reply", _num(c.average_working_days)),
                ("external links", "approved sites in force", str(self.links_approved)),
                ("external links", "approved in the year", str(self.links_approved_in_year)),
                ("integrity", "tamper checks", self.tamper_note)]
        for kind, count in self.platforms_by_kind.items():
            out.append(("platforms by kind", kind, str(count)))
        for warning in self.warnings:
            out.append(("warning", "calendar", warning))
        return out


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def in_year(moment: datetime, start: datetime, end: datetime) -> bool:
    return start <= moment < end


def publication_figures(model: SiteModel, year: int, start: datetime, end: datetime) -> dict:
    tz = model.policy.timezone
    published = [p for p in model.pages if in_year(p.published, start, end)]
    per_column: Counter[str] = Counter()
    per_month = [0] * 12
    for page in published:
        column = page.column
        per_column[column.title if column else "(其他)"] += 1
        per_month[page.published.astimezone(tz).month - 1] += 1
    order = {c.title: i for i, c in enumerate(model.policy.columns.values())}
    existing = [p for p in model.pages if p.published < end]
    items = [p for p in existing if p.type == "service-item"]
    depths = Counter(p.meta.get("online_depth") for p in items
                     if isinstance(p.meta.get("online_depth"), int))
    reproductions = [p for p in published if p.type == "reproduction"]
    leads = []
    from ..timeparse import parse_datetime

    for page in reproductions:
        source = page.meta.get("reproduces")
        try:
            original = parse_datetime(source.get("published"), tz) if isinstance(
                source, dict) else None
        except ValueError:
            original = None
        if original is not None and page.published >= original:
            leads.append(round((page.published - original).total_seconds() / 3600, 2))
    return {
        "per_column": dict(sorted(per_column.items(), key=lambda kv: order.get(kv[0], 99))),
        "per_month": per_month,
        "service_items": len(items),
        "service_by_depth": dict(sorted(depths.items())),
        "guides": sum(1 for p in existing if p.type == "guide"),
        "interpretations": sum(1 for p in published if p.type == "policy"
                               and p.meta.get("policy_kind") == "interpretation"),
        "reproduction_pages": len(reproductions),
        "reproduction_page_leads": leads,
    }


def platform_figures(registry: PlatformRegistry, end: datetime) -> dict[str, int]:
    from ..platforms import KIND_LABELS

    counts = Counter(p.kind for p in registry.active()
                     if p.approved_at is None or p.approved_at < end.date())
    return {KIND_LABELS[k]: counts[k] for k in KIND_LABELS if counts[k]}
