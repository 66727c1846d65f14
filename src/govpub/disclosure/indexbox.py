"""The index box (索引号 box) at the top of every policy and notice page.

As on the State Council's policy pages: 索引号, 主题分类, 发文机关, 成文日期,
标题, 文号, 发布日期 and 有效性 of the document, from its front matter and the
index-number registry. :func:`index_box_rows` gives the rows as plain data
(label, value) for any renderer; :func:`index_box_html` one HTML block.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from ..timeparse import DateFormatError, parse_datetime

VALIDITY = {"in-force": "valid_in_force", "amended": "valid_amended",
            "repealed": "valid_repealed", "withdrawn": "valid_withdrawn"}


def format_date(moment: datetime | None, language: str) -> str:
    if moment is None:
        return ""
    if language == "en":
        return moment.strftime("%Y-%m-%d")
    return f"{moment.year}年{moment.month:02d}月{moment.day:02d}日"


def _date(value, tz) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return parse_datetime(value, tz).astimezone(tz)
    except DateFormatError:
        return None


def _text(value) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def index_box_rows(meta: dict, number: str, *, labels: dict, language: str, tz,
                   default_topic: str = "") -> list[tuple[str, str, str]]:
    """``(key, label, value)`` of each row of the box, in the order pages show them."""
    published = _date(meta.get("published"), tz)
    written = _date(meta.get("written"), tz) or published
    status = meta.get("status") if meta.get("status") in VALIDITY else "in-force"
    rows = [
        ("index_number", labels["index_number"], number),
        ("topic", labels["topic"], _text(meta.get("topic")) or default_topic),
        ("issuer", labels["issuer"], _text(meta.get("source"))),
        ("written", labels["written"], format_date(written, language)),
        ("title", labels["title"], _text(meta.get("title"))),
        ("doc_number", labels["doc_number"], _text(meta.get("doc_number")) or "—"),
        ("published_date", labels["published_date"], format_date(published, language)),
        ("validity", labels["validity"], labels[VALIDITY[status]]),
    ]
    return [(key, label, value or "—") for key, label, value in rows]


def index_box_html(rows: list[tuple[str, str, str]], caption: str) -> str:
    """The box as one HTML block; every value escaped."""
    cells = "".join(f'<div class="gp-index-box__item gp-index-box__item--{escape(key)}">'
                    f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>"
                    for key, label, value in rows)
    return (f'<section class="gp-index-box" aria-label="{escape(caption)}">'
            f"<dl>{cells}</dl></section>")
