"""Serve's next site, begun while it waits for the next edit.

A rebuild puts every page it reuses into a new folder as a hard link, each
in a folder of its own: at 10,000 pages 10,800 ``mkdir`` and 10,457 ``link``
calls, longer than MkDocs takes to render the changed page beside them
(:class:`govpub.build.incremental.Placement`); serve's rebuild then links the
12,790 files of the search index it carries over. ``govpub serve`` knows the
pages of the site it has just published (its render record), and an edit
changes few of them: once the search index is updated, a thread links every
page of that site into a folder beside the next temporary site
(:func:`prepare`). The next rebuild takes that folder as its temporary site
(:func:`take`) and the placement only corrects it: whatever is there that
is not a reused page (a page since changed, a file planted by anyone, a link)
is removed, and each reused page is checked to be the very file the record
names (device, inode, size, modification time) or placed again; the search
index's folder is left to the carry, which keeps only files that are the
very files of the index served (``govpub.search.carry_search_index``). The
folder is never trusted for more than what it is checked to be.

A rebuild that comes before the thread is done stops it and takes the folder
as it is. Only a folder this process prepared is ever taken; any other at
that path (left by a serve that was killed) is moved out of the way and
deleted in the background.

**The folder replaced is the next one.** The site folder a rebuild replaces
holds every page it did not render as the very file the new site holds (a
hard link of it), and a deleter process took 4 s of CPU at 10,000 pages to
remove its 35,000 entries, beside the index update and this thread, after
every edit. So serve moves it where the next site is prepared
(:func:`recycle`), and the thread corrects it rather than build it anew:
everything that is not a page of the site just published (open data,
assets, a page since changed, anything planted) is removed, and each page is
kept only if it is the very file published, else linked again; the index is
corrected the same way, and the carry checks it again.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from ..filetree import file_stat, remove

_pending: list = []  # the one preparation of this process, if any
#: the folder a rebuild replaced and moved where the next site is prepared (:func:`recycle`):
#: its path and (device, inode), or nothing
_recycled: list[tuple[str, tuple[int, int]]] = []


def next_folder(temp_site: Path) -> Path:
    """Where the next temporary site is prepared: beside it."""
    return temp_site.with_name(temp_site.name + ".next")


class Preparation:
    """A thread that links each page of ``pages`` ({site path: stat as published}) from
    ``site_dir`` into ``folder`` (made anew; ``recycled``: the folder the rebuild replaced,
    corrected), until done or stopped."""

    def __init__(self, folder: Path, site_dir: Path, pages: dict[str, tuple],
                 recycled: bool = False) -> None:
        self.folder = folder
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(os.fspath(folder), os.fspath(site_dir), pages, recycled),
            name="prepare-next-site", daemon=True)
        self._thread.start()

    def _run(self, folder: str, site: str, pages: dict[str, tuple], recycled: bool) -> None:
        from ..search.markers import INDEX_DIR
        from .incremental import keep_only

        try:
            if recycled:
                keep_only(folder, {d for d in pages if not d.startswith(INDEX_DIR + "/")},
                           INDEX_DIR)
            else:
                _set_aside(folder, site)
                os.mkdir(folder)
            made: set[str] = set()
            for dest, expected in pages.items():
                if self._stop.is_set():
                    return
                source, target = os.path.join(site, dest), os.path.join(folder, dest)
                if recycled:
                    if file_stat(target) == expected:
                        continue  # the very file published (same device and inode)
                    if os.path.lexists(target):
                        remove(Path(target))  # another file, a link, a folder: never kept
                if file_stat(source) != expected:
                    continue  # changed since: the placement places it (or not) itself
                parent = os.path.dirname(target)
                if parent not in made:
                    os.makedirs(parent, exist_ok=True)
                    made.add(parent)
                os.link(source, target)
        except OSError:
            return  # what is there is checked when taken; nothing is trusted unchecked

    def wait(self) -> None:
        self._thread.join()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def prepare(temp_site: Path, site_dir: Path, record) -> None:
    """Begin the next temporary site of ``site_dir`` from the pages and the search index
    of its render ``record``, in a thread (a preparation still running is stopped first)."""
    from ..search.markers import INDEX_DIR

    stop()
    files = {page.dest: page.stat for page in record.pages.values()}
    prefix = INDEX_DIR + "/"  # the search index, which the rebuild carries over as it is
    files.update((rel, tuple(known[0])) for rel, known in record.files.items()
                 if rel.startswith(prefix))
    folder = next_folder(temp_site)
    _pending.append(Preparation(folder, site_dir, files, recycled=_take_recycled(folder)))


def recycle(old_site: Path, temp_site: Path) -> bool:
    """Move the site folder a rebuild just replaced (``old_site``) where the next site of
    ``temp_site`` is prepared: True; False when something is there already (the caller
    then deletes it as before)."""
    folder = next_folder(temp_site)
    if os.path.lexists(folder):
        return False
    try:
        os.rename(old_site, folder)
        st = os.lstat(folder)
    except OSError:
        return False
    _recycled[:] = [(os.fspath(folder), (st.st_dev, st.st_ino))]
    return True


def _take_recycled(folder: Path) -> bool:
    """Whether ``folder`` is the very folder :func:`recycle` moved there (a folder, not a
    link: its device and inode), forgotten once asked."""
    mine = _recycled[:1]
    _recycled.clear()
    if not mine or mine[0][0] != os.fspath(folder):
        return False
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and (st.st_dev, st.st_ino) == mine[0][1]


def unused_recycled(site_dir: Path) -> None:
    """Delete a recycled folder no preparation took (the rebuild kept no record), in the
    background, so that the next rebuild does not wait for it."""
    from .trash import discard as discard_folder

    if not _recycled:
        return
    path = _recycled.pop()[0]
    if not _pending or os.fspath(_pending[-1].folder) != path:
        discard_folder(Path(path), site_dir, background=True)


def wait() -> None:
    """Until the preparation running, if any, is done."""
    for preparation in list(_pending):
        preparation.wait()


def stop() -> None:
    """Stop the preparation running, if any (its folder stays until taken or removed)."""
    while _pending:
        _pending.pop().stop()


def discard(temp_site: Path) -> None:
    """Stop preparing the next site of ``temp_site`` and remove what was prepared."""
    stop()
    remove(next_folder(temp_site))


def _set_aside(folder: str | Path, site_dir: str | Path) -> None:
    """Move a folder that is in the way (left by a serve that was killed: 23,000 entries at
    10,000 pages) out of it at once, to be deleted in the background (govpub.build.trash):
    deleting it here held up the thread, and the rebuild that stops it, for seconds."""
    from .trash import discard as discard_folder

    discard_folder(Path(folder), Path(site_dir), background=True)


def take(temp_site: Path, site_dir: Path) -> bool:
    """Move the folder prepared for ``temp_site`` (of the site folder ``site_dir``) there,
    stopping the thread if it runs: True; False when there is none this process prepared
    (any other is set aside, to be deleted in the background)."""
    folder = next_folder(temp_site)
    mine = bool(_pending) and _pending[-1].folder == folder
    stop()
    if not mine:
        _set_aside(folder, site_dir)
        return False
    try:
        os.rename(folder, temp_site)
        taken = stat.S_ISDIR(os.lstat(temp_site).st_mode)
    except OSError:
        taken = False
    if not taken:  # gone, or replaced by a link since it was made: not used
        remove(folder)
        remove(temp_site)
    return taken
