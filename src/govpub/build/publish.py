"""Where the site goes: refusing unsafe targets, the preview marker, the final swap.

A preview build carries :data:`PREVIEW_MARKER` (a file at its root) and a
``<meta name="govpub-preview">`` tag in every page; a normal build and the
deploy steps (:func:`refuse_unpublishable_copy`) refuse a folder that carries
the marker, so a preview can never be published. ``govpub serve`` builds into a folder of its own that carries
:data:`SERVE_MARKER` (its search index may lag behind its pages for a few
seconds), refused the same way. The new site is built in a temporary folder
beside the target and renamed into place only when complete.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..cachedir import cache_dir_for
from ..errors import UsageError
from ..i18n import _
from ..search import save_search_state, search_report
from . import incremental, prepared
from .afterpages import AfterPages, carry, pages_gone
from .pipeline import WORK_DIR, BuildState
from .postbuild import run_post_build
from .trash import DETACH_FROM_PAGES, discard, sweep

PREVIEW_MARKER = ".govpub-preview"
#: the markers' text is read by whoever finds the folder: Chinese first, then English
PREVIEW_MARKER_TEXT = ("本文件夹是 govpub 的预览，含有未经审核的内容，切勿发布。\n"
                       "This folder is a govpub preview with unreviewed content. Never deploy it.\n")
SERVE_MARKER = ".govpub-serve"
SERVE_MARKER_TEXT = ("本文件夹是 govpub serve 的本地副本，其站内搜索可能落后于页面，切勿发布；"
                     "请发布 govpub build 的输出。\n"
                     "This folder is govpub serve's local copy of the site; its search index can "
                     "lag behind its pages. Never deploy it: deploy the output of govpub build.\n")
PROTECTED = ("content", "review", "site_config", ".git", "src", "hooks", "tests")


def is_preview(folder: Path) -> bool:
    return (Path(folder) / PREVIEW_MARKER).exists()


def is_serve_copy(folder: Path) -> bool:
    return (Path(folder) / SERVE_MARKER).exists()


def refuse_unpublishable_copy(folder: Path) -> None:
    """For deploy steps: raise :class:`UsageError` if ``folder`` must never be published.

    That is a preview build (it may contain unreviewed pages) or ``govpub
    serve``'s local copy (its search index can lag behind its pages); both are
    recognised by their marker file, wherever they were copied to.
    """
    if is_preview(folder):
        raise UsageError(_("this folder is a preview build (it carries the {marker} marker) "
                           "and may contain unreviewed pages").format(marker=PREVIEW_MARKER),
                         path=folder,
                         hint=_("deploy the output of `govpub build`, never a preview"))
    if is_serve_copy(folder):
        raise UsageError(_("this folder is govpub serve's local copy (it carries the {marker} "
                           "marker); its search index can lag behind its pages").format(
                               marker=SERVE_MARKER),
                         path=folder, hint=_("deploy the output of `govpub build`"))


def refuse_preview(folder: Path) -> None:
    """The former name of :func:`refuse_unpublishable_copy` (it refuses serve's copies too).

    Kept because deploy steps written against the earlier docs call it; new
    code calls :func:`refuse_unpublishable_copy`.
    """
    refuse_unpublishable_copy(folder)


def check_target(root: Path, target: Path, *, preview: bool, serve: bool = False) -> None:
    """Refuse site folders whose replacement would destroy something else."""
    root = root.resolve()
    target = target.resolve()
    local = preview or serve  # a folder of govpub's own, never deployed
    if not local and target.is_dir():
        refuse_unpublishable_copy(target)  # first: the most important refusal
    if target == root or root.is_relative_to(target):
        raise UsageError(_("the site folder would contain the repository"), path=target,
                         hint=_("use a folder of its own, e.g. --site-dir site"))
    for name in PROTECTED:
        if target.is_relative_to(root / name):
            raise UsageError(_("the site folder may not be inside {folder}/").format(folder=name),
                             path=target)
    if target.is_relative_to(root / WORK_DIR) and not local:
        raise UsageError(_("the site folder may not be inside {folder}/").format(folder=WORK_DIR),
                         path=target)
    if target.exists() and not target.is_dir():
        raise UsageError(_("the site folder exists and is not a folder"), path=target)
    if not target.exists() or not any(target.iterdir()):
        return
    if preview and not is_preview(target):
        raise UsageError(_("refusing to write a preview over a folder that is not a preview"),
                         path=target,
                         hint=_("let the preview use its own folder (.govpub/preview)"))
    if serve and not preview and not is_serve_copy(target):
        raise UsageError(_("refusing to write serve's copy over a folder that is not one"),
                         path=target,
                         hint=_("let govpub serve use its own folder (.govpub/serve)"))
    if not local and not (target / "index.html").exists():
        raise UsageError(_("the folder exists and does not look like a built site "
                           "(no index.html); refusing to replace it"), path=target,
                         hint=_("empty it or choose another --site-dir"))


def post_build(state: BuildState) -> None:
    options = state.options
    deferring = options.defer_search and options.target_is_local
    # serve indexes the search and writes what no page shows once its pages are served,
    # unless a page it published is gone: then no index, list, feed or sitemap of the new
    # site may still find or name it, so they are made before the swap, as in a build.
    # After a render of every page what no page shows is made before the swap too (see
    # .afterpages); the search, when no page is gone, still follows the pages.
    gone = deferring and pages_gone(state.site_delta, state.temp_site)
    carry_from = state.site_dir if deferring and not gone else None
    full = getattr(state.site_delta, "full", True)
    later = [] if deferring and options.serve and not gone and not full else None
    # serve's folder is never deployed: its manifest waits until the pages are served
    # (a walk and a status of 25,000 files at 10,000 pages, before the edit could show)
    state.manifest_deferred = options.serve
    state.search_deferred = run_post_build(state.model, state.temp_site, state.site_delta,
                                           carry_search_from=carry_from,
                                           manifest=not state.manifest_deferred, later=later)
    if later:
        state.after_pages = AfterPages(later, carry(state.site_dir, state.temp_site,
                                                    state.model))
    search = getattr(state.site_delta, "search", None)
    if search is not None and search.updated:
        options.echo(search_report(search))
    if options.preview:
        (state.temp_site / PREVIEW_MARKER).write_text(PREVIEW_MARKER_TEXT, encoding="utf-8")
    elif options.serve:
        (state.temp_site / SERVE_MARKER).write_text(SERVE_MARKER_TEXT, encoding="utf-8")


def swap_into_place(new: Path, target: Path, *, background: bool = False,
                    keep_old=None) -> None:
    """Replace ``target`` by ``new``; the old site exists until the new one is complete.

    ``background``: delete the old site in a detached process (govpub.build.trash).
    ``keep_old(old)``: offered the old site first (serve recycles it: govpub.build.prepared);
    deleted only if it says False.
    """
    old = target.parent / f".{target.name}.govpub-old"
    discard(old, target, background=False)  # left by a killed build
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old.exists() and not target.exists():
            os.rename(old, target)
        raise
    if keep_old is not None and old.is_dir() and not old.is_symlink() and keep_old(old):
        return
    discard(old, target, background=background)


def _shares_most_pages(delta) -> bool:
    """The render reused most pages from the site it replaces (as hard links)."""
    outcome = getattr(delta, "outcome", None)
    return delta is not None and not delta.full and outcome is not None \
        and outcome.reused > len(outcome.rendered)


def publish(state: BuildState) -> None:
    """Swap the new site in; keep the render record of what was published (if any).

    Every record of this folder is dropped first: whatever happens next, no
    record can describe files it did not see (a Pelican build, a crash mid-swap).
    """
    delta = state.site_delta
    cache = cache_dir_for(state.root, "render")
    record_file = incremental.record_path(cache, state.site_dir) if cache else None
    incremental.forget_record(record_file)
    search = getattr(delta, "search", None)
    if not state.search_deferred:  # serve's carried index keeps the state it had
        save_search_state(state.site_dir, None)
    sweep(state.site_dir)
    temp_site = state.temp_site
    # serve's replaced folder becomes its next site (govpub.build.prepared), not trash, when
    # it holds most of the new site's pages (after a full render it holds none of them:
    # correcting it would remove and link every file again, in the next rebuild's way)
    recycle = (lambda old: prepared.recycle(old, temp_site)) \
        if state.options.serve and _shares_most_pages(delta) else None
    swap_into_place(temp_site, state.site_dir,
                    background=state.pages_written >= DETACH_FROM_PAGES, keep_old=recycle)
    state.temp_site = None
    if search is not None:
        save_search_state(state.site_dir, search.state)
    if delta is not None and delta.site_key is not None and delta.outcome is not None:
        outcome = delta.outcome
        record = incremental.SiteRecord(
            site_key=delta.site_key, target=str(state.site_dir.resolve()),
            theme_uris=outcome.theme_uris, pages=outcome.pages, files=delta.files)
        if state.options.serve:  # serve keeps it and writes it after serving the pages
            incremental.keep_record(record_file, record)
            state.unsaved_record = (record_file, record)
        else:
            incremental.save_record(record_file, record)
