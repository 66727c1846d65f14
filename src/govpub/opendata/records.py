"""Records of the open data, built from the approved site model only.

Pure functions: a :class:`~govpub.sitemodel.SiteModel` in, plain dicts out.
Order is stable (items by code, dated lists newest first then by path) and
every time comes from the content, so the same content gives the same bytes.
"""

from __future__ import annotations

import posixpath
from datetime import datetime, timedelta

from ..sitemodel import Page, SiteModel
from .values import (
    DEPTH_LABELS,
    as_int,
    clean_text,
    iso,
    iso_from_meta,
    jsonable,
    optional_text,
    text_list,
)

SERVICE_ITEM = "service-item"
GUIDE = "guide"

#: handout location, relative to the item page's URL (see govpub.handouts)
HANDOUT_NAME = "handout.pdf"
#: major Central Government policy is reproduced within 12 hours (work plan, item xv)
REPRODUCTION_HOURS = 12


def item_code(page: Page) -> str:
    """The item's code: the ``code`` field, else the file name (``catalog/<code>.md``)."""
    code = clean_text(page.meta.get("code"))
    if code:
        return code
    return page.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def service_items(model: SiteModel) -> list[Page]:
    """Approved service items, ordered by code (then path, should two share a code)."""
    return sorted(model.of_type(SERVICE_ITEM), key=lambda p: (item_code(p), p.path))


def newest(moments) -> datetime | None:
    moments = [m for m in moments if m is not None]
    return max(moments) if moments else None


def guides_by_item(model: SiteModel) -> dict[str, list[Page]]:
    """Approved guides that explain each item code (``items:`` of a guide)."""
    out: dict[str, list[Page]] = {}
    for guide in sorted(model.of_type(GUIDE), key=lambda p: p.path):
        for code in text_list(guide.meta.get("items")):
            out.setdefault(code, []).append(guide)
    return out


def _time_limit(meta: dict) -> dict:
    limit = meta.get("time_limit") if isinstance(meta.get("time_limit"), dict) else {}
    return {"statutory_days": as_int(limit.get("statutory_days")),
            "promised_days": as_int(limit.get("promised_days"))}


def _fees(meta: dict) -> dict:
    free = meta.get("free") is True
    return {"free": free, "fees": None if free else jsonable(meta.get("fees")),
            "fee_basis": optional_text(meta.get("fee_basis"))}


def _dated(page: Page, model: SiteModel) -> dict:
    tz = model.policy.timezone
    return {"published": iso(page.published, tz), "updated": iso(page.updated, tz)}


def item_summary(page: Page, model: SiteModel) -> dict:
    """One row of ``api/catalog.json`` and ``api/catalog.csv``."""
    meta = page.meta
    depth = as_int(meta.get("online_depth"))
    code = item_code(page)
    return {
        "code": code,
        "name": clean_text(meta.get("title")),
        "item_type": clean_text(meta.get("item_type")),
        "category": clean_text(meta.get("category")),
        "online_depth": depth if depth in DEPTH_LABELS else None,
        "online_depth_label": DEPTH_LABELS.get(depth),
        **_time_limit(meta),
        "channels": text_list(meta.get("channels")),
        "visits": as_int(meta.get("visits")),
        "free": meta.get("free") is True,
        "source": clean_text(meta.get("source")),
        "url": model.absolute(page.url),
        "api_url": model.absolute(f"api/items/{code}.json"),
        "handout_url": model.absolute(page.url + HANDOUT_NAME),
        **_dated(page, model),
    }


def item_detail(page: Page, model: SiteModel, guides: list[Page],
                summary: dict | None = None) -> dict:
    """The full record of ``api/items/<code>.json``; ``summary``: the page's
    :func:`item_summary`, when already made (it is copied, not changed)."""
    meta = page.meta
    documents = []
    for entry in meta.get("documents") or []:
        if isinstance(entry, dict):
            documents.append({
                "name": clean_text(entry.get("name")),
                "form": optional_text(entry.get("form")),
                "copies": as_int(entry.get("copies")),
                "required": entry.get("required") is not False,
                "template": _attachment_url(entry.get("template"), page, model),
                "example": _attachment_url(entry.get("example"), page, model),
            })
    process = []
    for step in meta.get("process") or []:
        if isinstance(step, dict):
            process.append({"step": clean_text(step.get("step") or step.get("name")),
                            "description": clean_text(step.get("description")),
                            "days": as_int(step.get("days"))})
        elif not isinstance(step, list):
            process.append({"step": clean_text(step), "description": "", "days": None})
    record = dict(summary) if summary is not None else item_summary(page, model)
    record.update({
        "legal_basis": text_list(meta.get("legal_basis")),
        "conditions": text_list(meta.get("conditions")),
        "documents": documents,
        "process": process,
        **_fees(meta),
        "online_url": optional_text(meta.get("online_url")),
        "halls": _halls(meta.get("halls")),
        "contact": jsonable(meta["contact"]) if isinstance(meta.get("contact"), dict)
        else {"text": clean_text(meta["contact"])} if meta.get("contact") else {},
        "guides": [{"title": g.title, "url": model.absolute(g.url)} for g in guides],
    })
    return record


def _attachment_url(value, page: Page, model: SiteModel) -> str | None:
    """Absolute URL of an approved attachment; None when absent or not published.

    References are relative to the page (``../attachments/forms/x.docx``), as
    the item page renders them; an attachment not in the model (blocked, or
    never there) is left out rather than linked.
    """
    text = clean_text(value)
    if not text:
        return None
    if text.startswith(("http://", "https://")):
        return text
    published = {a.path for a in model.attachments}
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), text))
    return model.absolute(target) if target in published else None


def _halls(value) -> list[dict]:
    halls = []
    for hall in value if isinstance(value, list) else []:
        if isinstance(hall, dict):
            halls.append({k: clean_text(hall.get(k)) for k in ("name", "address", "hours", "phone")
                          if hall.get(k) is not None})
        elif not isinstance(hall, list) and clean_text(hall):
            halls.append({"name": clean_text(hall)})
    return halls


def _deadline(source: dict, tz) -> datetime | None:
    from ..timeparse import DateFormatError, parse_datetime

    try:
        published = parse_datetime(source.get("published"), tz)
    except (DateFormatError, TypeError, ValueError):
        return None
    return published + timedelta(hours=REPRODUCTION_HOURS) if published else None


def reproduction_record(page: Page, model: SiteModel) -> dict:
    """One entry of ``api/reproductions.json`` (the watcher's contract).

    ``deadline`` is the original's time plus 12 hours; ``late`` says whether
    the reproduction was published after it (null when the original's time
    is unknown).
    """
    tz = model.policy.timezone
    source = page.meta.get("reproduces") if isinstance(page.meta.get("reproduces"), dict) else {}
    deadline = _deadline(source, tz)
    return {
        "deadline": iso(deadline, tz),
        "late": (page.published > deadline) if deadline and page.published else None,
        "title": page.title,
        "url": model.absolute(page.url),
        "published": iso(page.published, tz),
        "source_url": clean_text(source.get("url")),
        "source_title": clean_text(source.get("title")),
        "publisher": clean_text(source.get("publisher") or page.meta.get("source")),
        "source_published": iso_from_meta(source.get("published"), tz),
    }


def document_record(page: Page, model: SiteModel, kind_field: str,
                    index_numbers: dict[str, str] | None = None) -> dict:
    """One entry of ``api/notices.json`` / ``api/policies.json``; ``index_numbers``:
    content path → index number (索引号, govpub.disclosure)."""
    return {
        "title": page.title,
        "url": model.absolute(page.url),
        "source": clean_text(page.meta.get("source")),
        **_dated(page, model),
        "doc_number": optional_text(page.meta.get("doc_number")),
        "index_number": (index_numbers or {}).get(page.path),
        "status": optional_text(page.meta.get("status")) or "in-force",
        kind_field: optional_text(page.meta.get(kind_field)),
    }
