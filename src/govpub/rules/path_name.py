"""GP221: content paths become URLs, so they use a small, safe alphabet."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from ..i18n import _
from . import DocumentRule, register

#: what a content path may be made of: lower-case Latin letters, digits, - _ .
_ALLOWED = re.compile(r"^[a-z0-9_.-]+$")
_RUNS = re.compile(r"[^a-z0-9_.-]+")
#: top-level names under content/ that govpub keeps for itself (review/_policy/ holds the
#: sign-off records of site policy: see govpub.review.subjects)
RESERVED_TOP = frozenset({"_policy"})


def suggested_segment(segment: str, *, is_file: bool) -> str:
    """``通知 公告 V2.md`` → ``v2.md``: lower case, runs of other characters → ``-``."""
    stem, ext = posixpath.splitext(segment) if is_file else (segment, "")
    clean = _RUNS.sub("-", stem.lower()).strip("-.") or "untitled"
    return clean + _RUNS.sub("", ext.lower())


def suggested_path(path: str) -> str:
    parts = path.split("/")
    return "/".join(suggested_segment(p, is_file=i == len(parts) - 1)
                    for i, p in enumerate(parts))


@register
class PathName(DocumentRule):
    """A content file's path has characters that do not belong in a URL.

    What it checks: every folder and file name under `content/` uses only
    lower-case Latin letters, digits, `-`, `_` and `.` (no spaces, no upper
    case, no Chinese or other characters), and the top-level name `_policy`
    is not used (it is kept for the policy sign-off records).
    Why: the path becomes the page's address on the public site, in the
    sitemap, the feeds and the open data. Spaces, upper case and non-Latin
    characters turn into percent-escapes or break tools that read them, and
    look different on case-insensitive systems. The Chinese title belongs in
    the front matter (`title:`), where readers see it.
    Example: `content/notices/关于收费的通知 V2.md`.
    Fix: rename the file to the suggested name (e.g.
    `content/notices/2026-11-20-fee-adjustment.md`) and move its sign-off
    record with it; a page that must keep its name may carry
    `allow: [{rule: GP221, reason: ...}]`.
    """

    id = "GP221"
    name = "path-name"
    local = True
    allowable = True
    cacheable = True  # the file's path and bytes alone (govpub.checkcache)
    attachments = True
    needs_meta = False

    def check_document(self, doc, ctx) -> Iterator:
        segments = doc.path.split("/")
        if segments[0] in RESERVED_TOP:
            yield ctx.finding(self, doc, 1,
                              _("content/{name}/ is a reserved name (the sign-off records of "
                                "site policy live in review/_policy/) — use another folder "
                                "name").format(name=segments[0]))
            return
        bad = [s for s in segments if not _ALLOWED.match(s)]
        if bad:
            shown = ", ".join(f"{s!r}" for s in bad)
            yield ctx.finding(self, doc, 1,
                              _("the path has characters outside a-z 0-9 - _ . in {names}; "
                                "it becomes the page's address — rename it, e.g. to "
                                "content/{suggested} (a Chinese title belongs in `title:`)")
                              .format(names=shown, suggested=suggested_path(doc.path)))
