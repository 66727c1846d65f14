"""PDF handouts of the service items, printed from the approved source.

Path convention (the item page links to it):
    the handout of the item page at ``catalog/<code>/`` is
    ``catalog/<code>/handout.pdf`` — i.e. ``page.url + "handout.pdf"``,
    linked from the item page as the relative URL ``handout.pdf``
    (:func:`handout_link_html` gives the ready-made link).

The PDF is rendered by Chromium's print-to-PDF from
:func:`~govpub.handouts.document.handout_html`. Rendering is incremental: each
PDF is cached in govpub's cache folder (``<cache>/<repository>/handouts-pdf/``,
:mod:`govpub.cachedir`: outside the repository, for a PDF found there is
published as it is, and a pull request can commit files under ``.govpub/``)
keyed by the SHA-256 of its inputs (the page's Markdown and sign-off digest, the guide, the layout and
the Markdown converter's version: :meth:`HandoutSource.key`), so only changed
items are converted and printed again, and an unchanged item gives the same
bytes (PDF dates are set to the page's update time). In a rebuild the keys of
unchanged items come from a memo of their inputs (:mod:`.keymemo`, so the
service guides are not made again), and an unchanged handout is hard-linked
from the previous site when it is still the file the last build put there.

If Chromium is missing and a handout is not in the cache, the build fails
with a clear message (BuildError, exit 2), leaving the previous site live:
a site whose item pages link to handouts that do not exist, or a hall that
prints last month's copy, is the inconsistency this module exists to
prevent. Set ``GOVPUB_CHROMIUM`` to the binary if it is not on PATH.

Build hook: :func:`write_handouts` is a post-build step ``(model, site_dir)``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..cachedir import cache_dir_for
from ..errors import BuildError
from ..filetree import file_stat, link_if_unchanged
from ..i18n import _
from ..opendata import safe_code
from ..opendata.records import HANDOUT_NAME, item_code, service_items
from ..sitemodel import Page, SiteModel
from .chromium import ENV_BINARY, Job, find_chromium, render_pdfs
from .document import HandoutSource, handout_source, render_handout
from .keymemo import KeyMemo, open_memo

#: the cache folder's subfolder of printed PDFs (govpub.cachedir)
CACHE_KIND = "handouts-pdf"


def handout_path(page: Page) -> str:
    """Site-relative path of an item's handout: ``catalog/<code>/handout.pdf``."""
    return page.url + HANDOUT_NAME


def handout_link_html(page: Page) -> str:
    """The link the item page shows (relative to the item page's own URL)."""
    # relative to the page's own URL, not to its source file: renderers that rewrite
    # file-relative links (the Pelican renderer) leave data-page-relative links alone
    return (f'<p class="gp-handout"><a data-page-relative href="{HANDOUT_NAME}" download>'
            f"下载打印版办事指南（PDF）Printable handout (PDF)</a></p>")


def plan(model: SiteModel, memo: KeyMemo | None = None
         ) -> list[tuple[Page, HandoutSource | None, str]]:
    """(page, handout source, cache key) for every approved item with a usable code.

    With a ``memo`` (:class:`~govpub.handouts.keymemo.KeyMemo`), an item whose inputs the
    memo has seen gets its key from there, and no source (None): making the sources (the
    service guides again) was most of this step's time at 10,000 pages.
    """
    out = []
    for page in service_items(model):
        if safe_code(item_code(page)):
            seen = memo.fingerprint(page) if memo is not None else None
            key = memo.get(seen) if memo is not None else None
            source = None if key is not None else handout_source(page, model)
            key = key or source.key()
            if memo is not None:
                memo.put(seen, key)
            out.append((page, source, key))
    return out


def write_handouts(model: SiteModel, site_dir: Path, *, delta=None,
                   cache_dir: Path | None = None, binary: str | None = None,
                   echo=None) -> dict[str, int]:
    """Post-build step: a PDF per approved service item; returns counts (printed, cached).

    ``delta`` (govpub.build.postbuild.SiteDelta): its site key lets the items' cache keys
    come from a memo (:mod:`.keymemo`); without one every key is computed.
    """
    if cache_dir is None:
        cache_dir = cache_dir_for(model.policy.root, CACHE_KIND)
    if cache_dir is None:  # no cache folder can be made: every handout is printed
        with tempfile.TemporaryDirectory(prefix="govpub-handouts-") as scratch:
            return write_handouts(model, site_dir, delta=delta, cache_dir=Path(scratch),
                                  binary=binary, echo=echo)
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    memo = open_memo(model, getattr(delta, "site_key", None))
    items, missing = [], []
    for page, source, key in plan(model, memo):
        if not (cache / f"{key}.pdf").is_file():
            if source is None:  # to be printed: made and keyed from its source
                source = handout_source(page, model)
                key = source.key()
            if not (cache / f"{key}.pdf").is_file():
                missing.append((page, source, key))
        items.append((page, source, key))
    if missing:
        binary = binary or find_chromium()
        if binary is None:
            codes = ", ".join(item_code(page) for page, _source, _key in missing[:5])
            raise BuildError(
                _("Chromium is needed to print {count} PDF handout(s) ({codes}) and was not "
                  "found").format(count=len(missing),
                                  codes=codes + (", …" if len(missing) > 5 else "")),
                hint=_("install it (apt-get install chromium) or set {variable} to its path; "
                       "the previous site stays live").format(variable=ENV_BINARY))
        render_pdfs(binary, [Job(render_handout(source), cache / f"{key}.pdf", page.modified)
                             for page, source, key in missing])

    previous = getattr(delta, "previous_site", None) if memo is not None else None
    for page, _source, key in items:
        rel = handout_path(page)
        target = Path(site_dir) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (previous is not None and _link_placed(memo, previous, rel, key, target)):
            shutil.copyfile(cache / f"{key}.pdf", target)
        placed = file_stat(target) if memo is not None else None
        if placed is not None:
            memo.placing[rel] = (key, placed)
    _prune(cache, {key for _page, _source, key in items})
    if memo is not None:
        memo.keep()
    if echo and missing:
        echo(_("handouts: printed {printed}, reused {reused}").format(
            printed=len(missing), reused=len(items) - len(missing)))
    return {"printed": len(missing), "cached": len(items) - len(missing)}


def _link_placed(memo: KeyMemo, previous: Path, rel: str, key: str, target: Path) -> bool:
    """Hard-link the previous site's copy of this very handout, if it is still the file the
    last build put there (same key; same inode, size and modification time): the copy and
    the manifest's hashing of it are saved. False when it is not."""
    placed = memo.placed.get(rel)
    return placed is not None and placed[0] == key \
        and link_if_unchanged(Path(previous) / rel, target, placed[1])


def _prune(cache: Path, keep: set[str]) -> None:
    """Drop PDFs of versions no longer published (the cache holds one set)."""
    for path in cache.glob("*.pdf"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
    for path in cache.glob("*.tmp"):
        path.unlink(missing_ok=True)


__all__ = ["CACHE_KIND", "handout_link_html", "handout_path", "write_handouts"]
