"""The search index: govpub's own static index of the rendered site, as a post-build step.

The index is built from the HTML the renderer wrote into the temporary site
folder, which holds only what the gate staged: a quarantined or held-back
page was never rendered, so it cannot be indexed. Only the part of a page
marked ``data-search-body`` (its heading and text, see
:func:`govpub.search.pages.searchable`) is indexed, and only pages that carry
it: listings, the home page, the search page and the chrome around the text
are not. What the index is and how a query reads it: :mod:`govpub.search.own`
(``docs/build.md``, "Search").

The index goes into ``search-index/`` of the site, so the manifest, written
after it, covers its files. Its *state* (every indexed page's path, language,
page number, SHA-256 and stat: what an update needs) is not published: it is
kept in govpub's cache (:func:`state_path`, outside the repository, one file
per site folder) and saved by :func:`save_search_state` once the site is in
place, so it always describes the published index.

**Incremental.** When the render says which site it replaces and what that
build published (``SiteDelta.previous_files``: stat and SHA-256 of every file),
the previous index is taken into the new site as hard links and only what
changed is written again (files are replaced, never written through), provided
every file of that index and every page its state names is still the very file
that build published; otherwise the index is written in full. Either way the
result is byte for byte the index of a full build (``tests/test_own_search.py``,
``tests/test_build_incremental.py``). Nothing configures the index: no file
or environment variable of the site changes what is indexed or where.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import stat
import zlib
from pathlib import Path

from ..atomic import keep_cache_file
from ..filetree import link_or_copy, remove
from ..i18n import _
from .markers import INDEX_DIR
from .own import build as own_build

#: the file every query loads first (the search page asks the browser for it early)
INDEX_FILE = own_build.INDEX_FILE
#: above this many pages to read, they are read by several processes
PARALLEL_FROM = 200


def state_path(site_dir: Path) -> Path | None:
    """Where the state of the index of the site folder ``site_dir`` is kept (None: no cache)."""
    from ..cachedir import cache_root

    folder = cache_root() / "search-state"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    tag = hashlib.sha256(os.fsencode(Path(site_dir).resolve())).hexdigest()[:24]
    return folder / f"site-{tag}.json"


#: [(state file, its status)] when this process last read that file whole and valid, or
#: wrote it whole: :func:`has_search_state` then need not decode it
_known_valid: list = []


def _status(path: Path) -> tuple:
    st = os.stat(path)
    return (path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def load_search_state(site_dir: Path) -> dict:
    path = state_path(site_dir)
    if path is None:
        return {}
    try:
        status = _status(path)
        state = own_build.valid_state(json.loads(path.read_text(encoding="utf-8")))
        if state and _status(path) == status:  # the file read is the file stated
            _known_valid[:] = [status]
        return state
    except (OSError, ValueError):
        return {}


def has_search_state(site_dir: Path) -> bool:
    """A valid state of the index of ``site_dir`` is kept. Serve's rebuild asks before it
    carries the index over; decoding 10,000 pages' state to answer took 0.2 s, so a file
    this process read or wrote whole, and that has not changed since, is not decoded."""
    path = state_path(site_dir)
    if path is None:
        return False
    try:
        if _known_valid and _known_valid[0] == _status(path):
            return True
    except OSError:
        return False
    return bool(load_search_state(site_dir))


def forget_search_state(site_dir: Path) -> None:
    path = state_path(site_dir)
    _known_valid.clear()
    if path is not None:
        path.unlink(missing_ok=True)


def save_search_state(site_dir: Path, state: dict | None) -> None:
    """Keep the state of the index just published in ``site_dir`` (none: forget it)."""
    path = state_path(site_dir)
    _known_valid.clear()
    if path is None:
        return
    if not state:
        path.unlink(missing_ok=True)
        return
    data = json.dumps(state, sort_keys=True, separators=(",", ":")).encode("utf-8")
    # known valid only if the file now holds what was written (keeping it may fail)
    if keep_cache_file(path, data) and own_build.valid_state(state):
        with contextlib.suppress(OSError):
            _known_valid[:] = [_status(path)]


def _workers(pages: int) -> int:
    from ..forking import can_fork, cores

    return min(cores(), 4) if pages >= PARALLEL_FROM and can_fork() else 1


def _copy_index(previous: Path, out: Path) -> None:
    """Hard-link every regular file under the index ``previous`` into ``out`` (made).

    Regular files only: a link planted in the folder (serve's is under .govpub/,
    which a branch can commit) must not make the server hand out a file from
    elsewhere. With :func:`os.scandir` and plain strings: 12,800 files at 10,000
    pages, where a path object per file cost more than the links.
    """
    _carry(os.fspath(previous), os.fspath(out), "", None)


def _trusted_state(delta) -> dict:
    """The previous build's index state, when every page it names is as that build
    published it (its index files are checked as they are carried: :func:`_carry_trusted`)."""
    previous_site = getattr(delta, "previous_site", None)
    recorded = getattr(delta, "previous_files", None) or {}
    if previous_site is None or not recorded:
        return {}
    state = load_search_state(Path(previous_site))
    if not state:
        return {}
    for rel, entry in state["pages"].items():  # every page the state knows: as published
        known = recorded.get(rel)
        if known is None or not isinstance(entry, list) or len(entry) != 4 \
                or entry[2] != known[1] or list(known[0]) != entry[3]:
            return {}
    return state


def _carry_trusted(previous_site: Path, out: Path, recorded: dict) -> bool:
    """Hard-link the previous site's index into ``out`` (made) if every file of it is the
    very file that build published (``recorded``: stat and SHA-256 by site path; same
    device, inode, size and modification time), and it has no other file: True. False
    at the first one that is not (``out`` is then incomplete: the caller removes it).

    One pass that checks each file as it links it (one lstat each), with plain strings:
    at 10,000 pages the index is 12,800 files, checked in one walk and linked in
    another, with a path object per file, took 1.8 s of a 9 s one-page rebuild.
    """
    prefix = INDEX_DIR + "/"
    listed = sum(1 for rel in recorded if rel.startswith(prefix))
    source = os.fspath(previous_site / INDEX_DIR)
    try:
        if not stat.S_ISDIR(os.lstat(source).st_mode):  # a link or a file planted there
            return False
        carried = _carry(source, os.fspath(out), prefix, recorded)
    except (FileNotFoundError, NotADirectoryError):  # the site before deleted since
        return False
    return carried is not None and carried == listed > 0


def _carry(source: str, target: str, rel: str, recorded: dict | None) -> int | None:
    """How many regular files were linked from ``source`` (site path ``rel``) into
    ``target``, folders made. ``recorded`` None: anything else (a link) is left out.
    Else each file is first checked against it: None at the first that is not as
    recorded (a link included)."""
    os.makedirs(target, exist_ok=True)
    count = 0
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                inner = _carry(entry.path, os.path.join(target, entry.name),
                               f"{rel}{entry.name}/", recorded)
                if inner is None:
                    return None
                count += inner
                continue
            if recorded is None:
                if entry.is_file(follow_symlinks=False):
                    link_or_copy(entry.path, os.path.join(target, entry.name))
                    count += 1
                continue
            known = recorded.get(rel + entry.name)
            st = entry.stat(follow_symlinks=False)
            if known is None or not stat.S_ISREG(st.st_mode) or \
                    (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) != tuple(known[0]):
                return None
            link_or_copy(entry.path, os.path.join(target, entry.name))
            count += 1
    return count


def _update(site_dir: Path, out: Path, state: dict) -> own_build.Outcome | None:
    """Update the index in ``out`` from ``state``; None when a file of it cannot be read
    (then the caller writes it in full: a damaged index is never the start of another)."""
    try:
        outcome = own_build.update_index(site_dir, out, workers=1, state=state)
    except (ValueError, KeyError, IndexError, EOFError, zlib.error, gzip.BadGzipFile):
        return None
    outcome.updated = True
    return outcome


def write_search_index(model, site_dir: Path, delta=None) -> None:
    """Post-build step: index the rendered site into ``site_dir/search-index/``.

    With the render's delta (``govpub.build.postbuild.SiteDelta``) naming the site
    it replaces, the index of that site is updated instead of written anew (see the
    module's note); the outcome (with the new state) is left on the delta
    (``search``), for the build to report and to keep once the site is published.
    """
    site_dir = Path(site_dir).resolve()
    out = site_dir / INDEX_DIR
    remove(out)
    state = _trusted_state(delta)
    outcome = None
    if state and _carry_trusted(Path(delta.previous_site), out, delta.previous_files):
        outcome = _update(site_dir, out, state)
    if outcome is None:  # (build_index empties ``out``: a carry may have stopped half-way)
        pages = sum(1 for _ in own_build.site_pages(site_dir, (INDEX_DIR,)))
        outcome = own_build.build_index(site_dir, out, workers=_workers(pages), state={})
    if delta is not None:
        delta.search = outcome


write_search_index.uses_delta = True  # type: ignore[attr-defined]


def search_report(outcome) -> str:
    """One line for the build's output: what the update of the index did."""
    return _("search index: {read} pages read again, {written} files written, "
             "{removed} removed").format(read=outcome.pages_read, written=outcome.written,
                                         removed=outcome.removed)


def carry_search_index(previous_site: Path, site_dir: Path) -> bool:
    """Give the new site the index of the site it replaces (hard links), to refresh later.

    Only for ``govpub serve``'s own folders, never deployed: the index may lag
    behind the pages until :func:`refresh_search_index` has run. False when the
    previous site has no index, or no state of it is kept: the caller indexes now.
    """
    previous = Path(previous_site) / INDEX_DIR
    if previous.is_symlink() or not (previous / INDEX_FILE).is_file() \
            or not has_search_state(previous_site):
        return False
    bundle = Path(site_dir) / INDEX_DIR
    # regular files only: a link planted in the folder (it is under .govpub/, which a
    # branch can commit) must not make the server hand out a file from elsewhere
    _link_same(os.fspath(previous), os.fspath(bundle))
    return True


def _link_same(source: str, target: str) -> None:
    """Make the folder ``target`` hold a hard link of each regular file under ``source``
    and nothing else. A file already there that is that very file (same device and
    inode: serve links the index into the next site while it waits, see
    ``govpub.build.prepared``) stays; anything else there goes, links and folders
    included (removed, never followed).

    Both folders are listed once, and a file's inode is the one the listing gives
    (``DirEntry.inode``: no system call; the device is the folder's, which every file
    in it shares). Asking the status of both sides of 12,790 files took 0.2–0.4 s
    of each serve rebuild at 10,000 pages, before the edit could show. A listing
    whose inode is not the file's (some overlay file systems) only means the file is
    linked again.
    """
    try:
        there = os.lstat(target)
    except FileNotFoundError:
        there = None
    if there is not None and not stat.S_ISDIR(there.st_mode):
        remove(Path(target))
        there = None
    if there is None:
        os.makedirs(target, exist_ok=True)
        there = os.lstat(target)
    same_device = os.stat(source).st_dev == there.st_dev
    with os.scandir(target) as entries:
        found = {entry.name: entry for entry in entries}
    wanted = set()
    with os.scandir(source) as entries:
        for entry in entries:
            path = os.path.join(target, entry.name)
            if entry.is_dir(follow_symlinks=False):
                wanted.add(entry.name)
                _link_same(entry.path, path)
                continue
            if not entry.is_file(follow_symlinks=False):
                continue  # a link in the index served: left out
            wanted.add(entry.name)
            have = found.get(entry.name)
            if have is not None:
                if same_device and have.is_file(follow_symlinks=False) \
                        and have.inode() == entry.inode():
                    continue
                remove(Path(path))
            link_or_copy(entry.path, path)
    for name, entry in found.items():
        if name not in wanted:
            remove(Path(entry.path))


def refresh_search_index(site_dir: Path) -> own_build.Outcome:
    """Update a published site's index in place, swapping the new index in when complete.

    For ``govpub serve``: the pages were published first and are being served,
    with the index of the site before (:func:`carry_search_index`), whose state
    is kept. The new index is made beside the site from hard links to the one
    served, updated, and renamed into it, so a reader never loads half an index.
    """
    site_dir = Path(site_dir).resolve()
    fresh = site_dir.parent / f".{site_dir.name}.search-new"
    stale = site_dir.parent / f".{site_dir.name}.search-old"
    remove(fresh)
    remove(stale)
    bundle = site_dir / INDEX_DIR
    state = load_search_state(site_dir)
    forget_search_state(site_dir)  # until the new state is saved: it describes no index
    try:
        outcome = None
        if state and (bundle / INDEX_FILE).is_file():
            _copy_index(bundle, fresh)
            outcome = _update(site_dir, fresh, state)
        if outcome is None:
            outcome = own_build.build_index(site_dir, fresh, workers=1, state={})
        if bundle.exists() or bundle.is_symlink():
            os.rename(bundle, stale)
        os.rename(fresh, bundle)
        save_search_state(site_dir, outcome.state)
    finally:
        remove(fresh)
        remove(stale)
    return outcome
