"""Render one site with MkDocs on every core: the pages in parts, one process each.

MkDocs renders page after page in one process. The governed build splits the
documentation pages into contiguous parts (in MkDocs' own file order); each
part is a complete ``mkdocs build`` of the same staging folder and the same
configuration in a forked process, in which the pages of the other parts are
*excluded* (MkDocs still resolves links to them, but neither converts nor
writes them). Part 0 also copies the static files; the other parts copy none.
Then the parts are merged into part 0's folder, and the search indexes are
concatenated in part order — which is the order one process would have
written them in, so the merged site is byte for byte the site a single
``mkdocs build`` writes (``tests/test_build_parallel.py`` holds it to that).

A part that fails fails the build with its own message; warnings of every
part are reported (and counted by ``--strict`` in each part).

The incremental render (``govpub.build.incremental``) excludes the pages it
reuses first; the parts then share the pages left to render.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..errors import BuildError
from ..filetree import remove
from ..forking import ShareFailed, map_shares, share_count
from ..i18n import _

T = TypeVar("T")

#: below this many pages per part, one process is faster than forking
MIN_PAGES_PER_PART = 150
SEARCH_INDEX = "search/search_index.json"


def part_count(pages: int) -> int:
    return share_count(pages, MIN_PAGES_PER_PART)


def exclude_other_parts(files, part: int, parts: int):
    """MkDocs ``on_files``: keep this part's pages (and, in part 0, the static files)."""
    from mkdocs.structure.files import InclusionLevel

    pages = [f for f in files if f.is_documentation_page() and f.inclusion.is_included()]
    size = -(-len(pages) // parts)
    mine = {f.src_uri for f in pages[part * size:(part + 1) * size]}
    for file in files:
        if file.is_documentation_page():
            if file.src_uri not in mine:
                file.inclusion = InclusionLevel.EXCLUDED
        elif part > 0:
            file.inclusion = InclusionLevel.EXCLUDED
    return files


def part_dir(site_dir: Path, part: int) -> Path:
    return site_dir if part == 0 else site_dir.with_name(f"{site_dir.name}.part{part}")


def build_in_parts(site_dir: Path, parts: int, build_part: Callable[[int], T]) -> list[T]:
    """Run ``build_part(i)`` for every part (part 0 here); return their results in order.

    ``build_part`` builds part ``i`` into ``part_dir(site_dir, i)`` and returns
    what it has to report (picklable); it raises :class:`BuildError` on failure.
    """
    for part in range(1, parts):  # left by a killed build, or planted: never written through
        remove(part_dir(site_dir, part))
    try:
        results = map_shares(build_part, parts)
        for part in range(1, parts):
            merge_into(part_dir(site_dir, part), site_dir)
        return results
    except ShareFailed as exc:
        raise BuildError(_("MkDocs failed: {error}").format(error="; ".join(
            _("part {number} of {parts}: {message}").format(
                number=index + 1, parts=parts, message=message)
            for index, message in exc.failures))) from None
    finally:
        for part in range(1, parts):
            shutil.rmtree(part_dir(site_dir, part), ignore_errors=True)


def _merge_search_index(source: Path, target: Path) -> None:
    """Append ``source``'s search entries to ``target``'s, written as Material writes it."""
    if not source.is_file():
        return
    if not target.is_file():
        os.replace(source, target)
        return
    merged = json.loads(target.read_text(encoding="utf-8"))
    merged["docs"] += json.loads(source.read_text(encoding="utf-8"))["docs"]
    target.write_text(json.dumps(merged, separators=(",", ":"), default=str),
                      encoding="utf-8")


def merge_into(source: Path, target: Path) -> None:
    """Move every file of a part into the site; files both have (404.html) stay as they are."""
    _merge_search_index(source / SEARCH_INDEX, target / SEARCH_INDEX)
    pending = [Path(".")]
    while pending:
        rel = pending.pop()
        for entry in os.scandir(source / rel):
            destination = target / rel / entry.name
            if not os.path.lexists(destination):
                os.rename(entry.path, destination)
            elif entry.is_dir(follow_symlinks=False) and destination.is_dir():
                pending.append(rel / entry.name)
