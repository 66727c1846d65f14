"""``govpub serve``: build, serve on 127.0.0.1, rebuild when the inputs change.

The operating system tells the watcher when an input changes (inotify,
through watchdog: :mod:`.treewatch`); the watcher then compares snapshots of
the inputs, and still does so every few seconds on its own, in case an event
was lost. Where no events can be had it polls once a second. A change is
rebuilt once the tree has been quiet for a moment: an edit and its sign-off,
or a checkout, written together make one (incremental) rebuild, not two. A
failed rebuild is reported and the last good site keeps being served.

The site is built into a folder of serve's own (``.govpub/serve/``, or
``.govpub/preview/`` with ``--preview``), never ``site/``: a rebuild publishes
the pages first, with the search index of the site before, and indexes the
search again right after (an update of the changed pages' terms, from the
state kept in the cache: the edited page is shown first). The open data,
feeds, sitemap and handouts are written again and the links checked between
the two (:mod:`.afterpages`). For those moments search may find the old text
of a page and the open data may lag; the folder is marked never to be
deployed. When a page published before is gone (deleted, taken back, held
back), all of these are made before the pages are served, as in a build: no
search served finds it, no list names it.
:func:`rebuild_once` is one such rebuild, for scripts and tests.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import stat
import sys
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .. import collector
from ..errors import GovpubError
from ..i18n import _
from ..search import refresh_search_index
from . import incremental, prepared
from .pipeline import BuildOptions, BuildState, build_lock, run_build
from .postbuild import write_manifest
from .render import temp_site_for
from .treewatch import SAFETY_POLL_SECONDS, TreeEvents

WATCHED = ("content", "site_config", "review", "mkdocs.yml")
#: without events from the operating system, how often the watcher looks
POLL_SECONDS = 1.0
#: after a change, rebuild once nothing has changed for this long (checked this often)
SETTLE_SECONDS = 0.2
SETTLE_POLL_SECONDS = 0.05
#: ... but never wait longer than this for a tree that keeps changing
SETTLE_LIMIT_SECONDS = 2.0


Status = tuple[int, int, int, int]  # st_mtime_ns, st_size, st_ctime_ns, st_ino


def _status(st: os.stat_result) -> Status:
    return (st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)


def snapshot(root: Path) -> dict[str, Status]:
    """The status of every watched file: any edit, addition or removal changes it
    (the change time too, which a tool that restores the modification time cannot).

    Read with :func:`os.scandir` (the kind of each entry comes with the listing;
    links are not followed): 0.10 s of CPU for 20,220 files against 0.13 s with
    :func:`os.walk` and a ``stat`` per path.
    """
    state: dict[str, Status] = {}
    for name in WATCHED:
        top = root / name
        if top.is_file():
            st = top.stat()
            state[name] = _status(st)
            continue
        pending = [os.fspath(top)]
        while pending:
            try:
                entries = os.scandir(pending.pop())
            except OSError:
                continue  # gone, or not a folder: nothing to watch there
            with entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(entry.path)
                            continue
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    state[entry.path] = _status(st)
    return state


def updated(root: Path, before: dict[str, Status], named) -> dict[str, Status] | None:
    """``before`` with the files ``named`` (paths under ``root``, as :func:`snapshot` keys
    them) stated again: what :func:`snapshot` would now say if nothing else changed. None
    when a named path is now a folder (a whole look is needed)."""
    state = dict(before)
    tops = {os.path.join(os.fspath(root), name): name for name in WATCHED}
    for path in named:
        key = tops.get(path, path)
        if key in WATCHED and key != "mkdocs.yml":
            return None  # a watched folder itself: made, moved or removed
        try:  # (snapshot follows a link at the top, mkdocs.yml; not one in a folder)
            st = os.stat(path) if key in WATCHED else os.lstat(path)
        except OSError:
            state.pop(key, None)
            continue
        if stat.S_ISDIR(st.st_mode):
            return None
        state[key] = _status(st)
    return state


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def send_head(self):
        # a link in the built site fails the manifest, which serve writes only once the
        # pages are served: the server never follows one meanwhile (nor the index page
        # it would answer a folder's address with)
        path = self.translate_path(self.path)
        reached = [path]
        if os.path.isdir(path):
            reached += [os.path.join(path, name) for name in ("index.html", "index.htm")]
        if any(_through_link(self.directory, each) for each in reached
               if os.path.lexists(each)):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return super().send_head()


def _through_link(folder: str, path: str) -> bool:
    """Whether ``path`` (in ``folder``) is reached through a symbolic link."""
    base = os.path.realpath(folder)
    candidate = os.path.join(base, os.path.relpath(path, folder))
    return os.path.realpath(candidate) != os.path.normpath(candidate)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a browser hanging up is normal


def make_server(site_dir: Path, port: int) -> ThreadingHTTPServer:
    """An HTTP server for ``site_dir`` on 127.0.0.1 only (never on all interfaces)."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    return _Server(("127.0.0.1", port), handler)


def rebuild_once(options: BuildOptions) -> bool:
    """One rebuild, exactly as the watcher runs it after a change; False if the build failed.

    ``options`` are serve's (``serve=True``, ``defer_search=True``, as
    :func:`serve_forever` sets them). The pages are published first, with the
    search index of the site before, and ``rebuilt`` is said; then the search is
    indexed again in place and ``search index updated`` is said. When a page published
    before is gone, the index is made before the pages are published, and only
    ``rebuilt`` is said. A failed build is reported and the last good site stays; a
    failed re-index is reported and the index before stays served. Nothing is raised:
    the watcher goes on.
    Call it to run a rebuild deterministically, without the polling loop (the server
    then calls :func:`settle_memory`).
    """
    return _build_then_index(options, _("rebuilt"))


def _build_then_index(options: BuildOptions, done: str | None = None, *,
                      first: bool = False) -> bool:
    """Build and say ``done``; then, the pages being served, index the search again
    if the build carried the old index over. ``first``: serve's first build, after which
    what every rebuild reuses is made (:func:`.render_mkdocs.prepare_rebuilds`)."""
    with collector.seldom():
        try:
            state = run_build(options)
        except GovpubError as exc:
            options.echo(_("govpub: error: {error}").format(error=exc))
            return False
        if done:
            options.echo(done)
        try:
            return _after_serving(state, options)
        finally:  # the folder replaced, if no preparation took it: deleted in the background
            prepared.unused_recycled(state.site_dir)
            if first and options.renderer == "mkdocs":
                _prepare_rebuilds(state)


def _prepare_rebuilds(state: BuildState) -> None:
    from .render_mkdocs import prepare_rebuilds

    # a failure loses only time: the first rebuild makes them, and says what fails
    with contextlib.suppress(Exception):
        prepare_rebuilds(state)


def _after_serving(state: BuildState, options: BuildOptions) -> bool:
    """The files no page shows written again (open data, feeds, sitemap, handouts) and the
    links checked, the search indexed again, the manifest and the record written, the next
    site begun."""
    if state.after_pages is not None:
        _write_after_pages(state)
    if state.search_deferred:
        try:
            with build_lock(state.work_dir):
                refresh_search_index(state.site_dir)
        except GovpubError as exc:
            options.echo(_("govpub: error: {error}").format(error=exc))
        except OSError as exc:  # a full disk, a folder made read-only: serving goes on
            options.echo(_("govpub: error: the search index was not updated ({error}); "
                           "the previous index is still served").format(
                error=exc.strerror or exc))
        else:
            options.echo(_("search index updated"))
    if state.manifest_deferred and not _write_served_manifest(state):
        return True  # the pages are served; the next rebuild renders in full
    if state.unsaved_record is not None:
        with build_lock(state.work_dir):
            # written once the pages are served (a server started later reuses them), with
            # the digests the manifest just took of every file, the index as indexed again
            incremental.save_record(*state.unsaved_record)
        # the next rebuild's reused pages, linked while serve waits for the next edit
        prepared.prepare(temp_site_for(state.site_dir), state.site_dir,
                         state.unsaved_record[1])
    return True


def _write_after_pages(state: BuildState) -> None:
    """The steps left until the pages were served (govpub.build.afterpages). A step that
    fails is reported, the files it did not write stay as the site before had them, and
    the render record is dropped (the next rebuild renders in full); a broken link is
    reported, the site as served stays."""
    after, echo = state.after_pages, state.options.echo
    try:
        with build_lock(state.work_dir):
            after.write(state.model, state.site_dir, state.site_delta)
    except (GovpubError, OSError) as exc:
        error = exc
        if isinstance(exc, OSError):
            error = f"{exc.strerror or exc}: {exc.filename}" if exc.filename else exc.strerror
        echo(_("govpub: error: the files beside the pages (open data, feeds, sitemap, "
               "handouts) were not all written again: {error}; the next rebuild renders "
               "every page").format(error=error or exc))
        _drop_record(state)
        return
    try:
        after.check(state.model, state.site_dir, state.site_delta)
    except GovpubError as exc:
        echo(_("govpub: error: {error}").format(error=exc))


def _drop_record(state: BuildState) -> None:
    """Forget the render record this rebuild kept: the next rebuild renders every page."""
    if state.unsaved_record is not None:
        incremental.forget_record(state.unsaved_record[0])
        state.unsaved_record = None


def _write_served_manifest(state: BuildState) -> bool:
    """The manifest of the folder as served (index included), written in place once the
    pages are served; it also fills the digests the render record keeps. False, reported,
    when it cannot be written: the record is then dropped, not kept half filled."""
    try:
        with build_lock(state.work_dir):
            write_manifest(state.model, state.site_dir, state.site_delta)
    except (GovpubError, OSError) as exc:
        error = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        state.options.echo(_("govpub: error: {error}").format(error=error))
        _drop_record(state)
        return False
    return True


def settle_memory() -> None:
    """Collect what the rebuild left, then set everything alive aside from the collector.

    Serve keeps a 10,000-page site's records and memos in memory; the collector went
    through all of them again and again during each rebuild (0.6–0.8 s of a rebuild at
    10,000 pages). Frozen, they are not looked at until the next time this runs, after
    the next rebuild has served its pages (unfrozen first, so that what died since is
    collected). Only in serve's own process (the watcher calls it): frozen objects that
    die in a cycle wait for the next call, which a script may never make.
    """
    collector.unfreeze()
    gc.collect()
    collector.freeze()


def settled(root: Path, current: dict | None, stop: threading.Event,
            events: TreeEvents | None = None, before: dict | None = None) -> dict:
    """The snapshot once ``root`` has been quiet for SETTLE_SECONDS (or the limit passed).

    With ``events`` that are live, quiet means no event for SETTLE_SECONDS, and
    the tree is looked at once, at the end (``current`` is not needed): at
    10,000 pages and their sign-offs a look states 20,000 files (0.2–0.3 s), and
    comparing looks every SETTLE_POLL_SECONDS took two or three of them per edit.
    With ``before`` (the last snapshot), only the files the events named are
    stated, unless they ask for a whole look (:meth:`TreeEvents.take`).
    """
    deadline = time.monotonic() + SETTLE_LIMIT_SECONDS
    if events is not None and events.live:
        while time.monotonic() < deadline and not stop.is_set():
            if not events.wait(SETTLE_SECONDS):
                break
        named, whole = events.take()
        changed = None if whole or before is None else updated(root, before, named)
        return changed if changed is not None else snapshot(root)
    if current is None:
        current = snapshot(root)
    quiet_since = time.monotonic()
    while time.monotonic() < deadline and not stop.wait(SETTLE_POLL_SECONDS):
        again = snapshot(root)
        if again != current:
            current, quiet_since = again, time.monotonic()
        elif time.monotonic() - quiet_since >= SETTLE_SECONDS:
            break
    return current


def watch_and_rebuild(options: BuildOptions, stop: threading.Event,
                      before: dict[str, Status], events: TreeEvents | None = None) -> None:
    """Rebuild whenever the inputs differ from ``before`` (taken before the last build),
    once the tree is quiet: an edit and its sign-off written together are one rebuild.

    With ``events`` that are live, the watcher sleeps until one comes (or
    SAFETY_POLL_SECONDS pass), waits until they stop and then looks at the tree
    once; otherwise it looks every POLL_SECONDS and, after a change, until the
    tree is quiet. Setting ``stop`` (and waking ``events``) ends it.
    """
    live = events is not None and events.live
    while not stop.is_set():
        woke = False
        if live:
            woke = events.wait(SAFETY_POLL_SECONDS)
        elif stop.wait(POLL_SECONDS):
            break
        if stop.is_set():
            break
        if woke:  # told of a change: wait for the quiet, then a look at what changed
            now = settled(options.root, None, stop, events, before)
            if stop.is_set():
                break
            if now == before:
                continue
        else:
            now = snapshot(options.root)
            if now == before:
                continue
            now = settled(options.root, now, stop, events)
        before = now
        options.echo(_("change detected, rebuilding…"))
        rebuild_once(options)
        settle_memory()


def serve_forever(options: BuildOptions, *, port: int) -> int:
    options.root = Path(options.root).resolve()
    options.serve = options.defer_search = True
    # taken before the first build, so an edit made while it runs (or before the
    # watcher thread gets going) still triggers a rebuild
    before = snapshot(options.root)
    if not _build_then_index(options, first=True):
        return 1
    settle_memory()
    site_dir = options.target
    try:
        server = make_server(site_dir, port)
    except OSError as exc:
        raise GovpubError(_("cannot listen on 127.0.0.1:{port}: {error}")
                          .format(port=port, error=exc.strerror or exc),
                          hint=_("choose another --port")) from None
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    kind = _("preview (unreviewed pages marked, never deploy)") if options.preview else _("site")
    options.echo(_("serving the {kind} at {address} — press Ctrl+C to stop")
                 .format(kind=kind, address=address))
    stop = threading.Event()
    events = TreeEvents(options.root, WATCHED)
    events.wake()  # look at once: an edit made during the first build sent no event
    watcher = threading.Thread(target=watch_and_rebuild, args=(options, stop, before, events),
                               daemon=True)
    watcher.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        options.echo(_("stopped"))
    finally:
        stop.set()
        events.wake()
        events.stop()
        server.server_close()
        prepared.discard(temp_site_for(site_dir))
    return 0


__all__ = ["make_server", "rebuild_once", "serve_forever", "settle_memory", "snapshot"]
