"""``govpub reproduce ID``: a draft reproduction page, ready for review.

The page quotes nothing it does not have: the feed gives a title, a link and
a time, not the official text, so the body is a placeholder asking for the
text to be pasted plus a link to the original. File names are safe ASCII
even for Chinese titles (ASCII words of the title, else the last part of the
link, else ``item-<id>``). An existing file is never overwritten.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, tzinfo
from pathlib import Path
from urllib.parse import quote, urlsplit

from ..errors import UsageError
from .store import from_iso

SLUG_MAX = 60


def slug_for(title: str, link: str | None, obligation_id: int) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = "-".join(words)[:SLUG_MAX].strip("-")
    if not slug and link:
        try:
            last = urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1]
        except ValueError:
            last = ""
        last = re.sub(r"\.[a-z0-9]{1,5}$", "", last.lower())
        slug = "-".join(re.findall(r"[a-z0-9]+", last))[:SLUG_MAX].strip("-")
    return slug or f"item-{obligation_id}"


def _yaml_string(value: str) -> str:
    # a JSON string is a valid YAML double-quoted scalar: safe for any title
    return json.dumps(value, ensure_ascii=False)


def _safe_link(url: str) -> str:
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


def draft_text(ob, now: datetime, tz: tzinfo) -> str:
    source_time = from_iso(ob["source_time"])
    lines = [
        "---",
        f"title: {_yaml_string(ob['title'])}",
        f"source: {_yaml_string(ob['publisher'])}",
        f"published: {_yaml_string(now.astimezone(tz).isoformat(timespec='seconds'))}",
        "disclosure: proactive",
        "reproduces:",
        f"  url: {_yaml_string(ob['link'] or '')}",
        f"  title: {_yaml_string(ob['title'])}",
        f"  publisher: {_yaml_string(ob['publisher'])}",
    ]
    if source_time is not None:
        lines.append("  published: "
                     + _yaml_string(source_time.astimezone(tz).isoformat(timespec="seconds")))
    else:
        lines.append("  # the feed gave no usable publication time: add `published:` "
                     "from the original")
    escaped_title = re.sub(r"([\[\]\\*_`<>])", r"\\\1", ob["title"])
    link = ob["link"] or ""
    lines += [
        "---",
        "",
        "<!-- 请在此处粘贴官方原文，逐字照录，不作改动。",
        "     Paste the official text here, exactly as published at the source. -->",
        "",
        "（请粘贴原文 / official text to be pasted）",
        "",
        f"原文链接 / Original: [{escaped_title}](<{_safe_link(link)}>)" if link
        else "原文链接 / Original: (the feed gave no link — add it)",
        "",
    ]
    return "\n".join(lines)


def write_draft(content_dir: Path, ob, now: datetime, tz: tzinfo) -> Path:
    """Create the draft file; refuse to overwrite."""
    folder = content_dir / "reproduced"
    name = f"{now.astimezone(tz).date().isoformat()}-{slug_for(ob['title'], ob['link'], ob['id'])}.md"
    path = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise UsageError("the draft already exists", path=path,
                         hint="edit that file, or remove it first") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(draft_text(ob, now, tz))
    return path
