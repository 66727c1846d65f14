"""``govpub reproduce ID``: a draft reproduction page with the original's full text.

The draft carries the official text as fetched (:mod:`.original`: Markdown
with its tables, lists and attachment links), its 文号 (``doc_number``) and
发文机关 (``reproduces.issuer``, also the page's ``source``), and the digest of
the text in ``reproduces.text_digest``. A copy of the text goes beside the
page's sign-off record, ``review/<path>.original.md``, so the fidelity rule
(GP408) can show any passage that departs from it. The page opens with the
site's own header note, a block quote naming the original.

Whatever a person must still supply is the one placeholder marker
(:data:`govpub.placeholder.MARKER`): the text when the original could not be
read, its publication time when the source gave none. A page with the marker
never publishes. File names are safe ASCII even for Chinese titles (ASCII
words of the title, else the last part of the link, else ``item-<id>``). An
existing file is never overwritten.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, tzinfo
from pathlib import Path
from urllib.parse import quote, urlsplit

from ..atomic import write_atomic
from ..errors import UsageError
from ..i18n import _
from ..placeholder import fill_in
from .fidelity import original_copy_path
from .original import Original
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


def _stamp(moment: datetime, tz: tzinfo) -> str:
    return _yaml_string(moment.astimezone(tz).isoformat(timespec="seconds"))


def header_note(publisher: str, title: str, link: str | None) -> str:
    """The site's own note above the text (page content, so in the page's language)."""
    escaped = re.sub(r"([\[\]\\*_`<>])", r"\\\1", title)
    if not link:
        return f"> 本文转载自{publisher}。{fill_in('原文链接')}"
    return f"> 本文转载自{publisher}，原文：[{escaped}](<{_safe_link(link)}>)。以原文为准。"


def draft_text(ob, now: datetime, tz: tzinfo, original: Original | None) -> str:
    source_time = from_iso(ob["source_time"])
    issuer = original.issuer if original is not None else None
    lines = [
        "---",
        f"title: {_yaml_string(ob['title'])}",
        f"source: {_yaml_string(issuer or ob['publisher'])}",
        f"published: {_stamp(now, tz)}",
        "disclosure: proactive",
    ]
    if original is not None and original.doc_number:
        lines.append(f"doc_number: {_yaml_string(original.doc_number)}")
    lines += [
        "reproduces:",
        f"  url: {_yaml_string(ob['link'] or fill_in('原文链接'))}",
        f"  title: {_yaml_string(ob['title'])}",
        f"  publisher: {_yaml_string(ob['publisher'])}",
        "  published: " + (_stamp(source_time, tz) if source_time is not None
                           else _yaml_string(fill_in("原文发布时间"))),
    ]
    if issuer:
        lines.append(f"  issuer: {_yaml_string(issuer)}")
    if original is not None:
        lines += [f"  text_digest: {original.digest}", f"  fetched: {_stamp(now, tz)}"]
    body = original.markdown if original is not None else fill_in("原文（逐字照录官方原文）") + "\n"
    lines += ["---", "", header_note(ob["publisher"], ob["title"], ob["link"]), "", body]
    return "\n".join(lines)


def write_draft(content_dir: Path, review_dir: Path, ob, now: datetime, tz: tzinfo,
                original: Original | None) -> Path:
    """Create the draft file (never overwriting one) and the copy of the original's text."""
    folder = content_dir / "reproduced"
    name = f"{now.astimezone(tz).date().isoformat()}-{slug_for(ob['title'], ob['link'], ob['id'])}.md"
    path = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise UsageError(_("the draft already exists"), path=path,
                         hint=_("edit that file, or remove it first")) from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(draft_text(ob, now, tz, original))
    if original is not None:
        write_atomic(original_copy_path(review_dir, path.relative_to(content_dir).as_posix()),
                     original.markdown)
    return path
