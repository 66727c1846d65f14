"""Atom feeds of the approved site: notices, policies, reproductions, everything.

Files (site-relative): ``feeds/notices.xml``, ``feeds/policies.xml``,
``feeds/reproduced.xml``, ``feeds/all.xml``. Each holds the newest 50
entries by update time, with times in the site's time zone (RFC 3339,
e.g. ``+08:00``), absolute URLs from ``site.yml``'s ``base_url``, and ids that
are the absolute page URLs (stable as long as the page keeps its path). The
feed's ``updated`` is the newest entry's: never the wall clock, so the same
content gives the same bytes.

Build hook: :func:`write_feeds` is a post-build step ``(model, site_dir)``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ..opendata.values import clean_text, iso
from ..sitemodel import Page, SiteModel
from .atom import Entry, Feed, render

MAX_ENTRIES = 50
#: ``updated`` of a feed with no entries yet (content time, not the wall clock)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

#: feed file → (types it holds, Chinese title, English title, column page for the alternate link)
FEEDS = {
    "notices": (("notice",), "通知公告", "Notices", "notices/"),
    "policies": (("policy",), "政策文件", "Policies", "policies/"),
    "reproduced": (("reproduction",), "转载", "Reproduced items", "reproduced/"),
    "all": (None, "全部更新", "All updates", ""),
}


def _entry(page: Page, model: SiteModel) -> Entry:
    tz = model.policy.timezone
    url = model.absolute(page.url)
    meta = page.meta
    summary_parts = [clean_text(meta.get("description") or meta.get("summary"))]
    if meta.get("doc_number"):
        summary_parts.append(clean_text(meta.get("doc_number")))
    categories = tuple(t for t in (clean_text(meta.get("category")), page.type) if t)
    return Entry(id=url, title=page.title, link=url, published=iso(page.published, tz),
                 updated=iso(page.modified, tz), author=clean_text(meta.get("source")),
                 categories=categories, summary=" · ".join(p for p in summary_parts if p))


def newest_pages(pages: list[Page], limit: int = MAX_ENTRIES) -> list[Page]:
    """The ``limit`` most recently updated pages, newest first, ties by path."""
    return sorted(pages, key=lambda p: (-p.modified.timestamp(), p.path))[:limit]


def feed_files(model: SiteModel) -> dict[str, bytes]:
    """Every feed: site-relative path → bytes."""
    site = model.policy.site
    tz = model.policy.timezone
    files = {}
    for name, (types, title_zh, title_en, column_url) in FEEDS.items():
        pages = [p for p in model.pages if types is None or p.type in types]
        chosen = newest_pages(pages)
        updated = iso(chosen[0].modified if chosen else EPOCH, tz)
        path = f"feeds/{name}.xml"
        feed = Feed(id=model.absolute(path), title=f"{site['name']} · {title_zh} {title_en}",
                    subtitle=clean_text(site.get("name_en")),
                    self_link=model.absolute(path), alternate_link=model.absolute(column_url),
                    updated=updated, author=site.get("organizer") or site["name"],
                    lang="zh-CN", entries=tuple(_entry(p, model) for p in chosen))
        files[path] = render(feed)
    return files


def write_feeds(model: SiteModel, site_dir: Path, delta=None) -> None:
    """Post-build step: write the feeds into the built site folder (a feed the previous
    site published with the same bytes is linked from it: ``opendata.write_files``)."""
    from ..opendata import write_files

    write_files(feed_files(model), site_dir, delta)


__all__ = ["MAX_ENTRIES", "feed_files", "write_feeds"]
