"""Incremental rendering: reuse the HTML of every page whose inputs did not change.

MkDocs has no incremental mode, so the governed build keeps a *render
record* of each successful build (``govpub.cachedir``: outside the
repository) and, next time, hands MkDocs only the pages that must be
rendered again; the others are marked *excluded*, the same mechanism the
render in parts uses (MkDocs still resolves links to them but neither
renders nor writes them). Their HTML is taken from the site folder the last
build published, as hard links, and the search index is put back together
in MkDocs' own page order. The result is byte for byte the site a full
build writes (``tests/test_build_incremental.py`` holds it to that).

What a page's HTML depends on, and how each dependency is covered:

=============================================  ==========================================
the page's own Markdown as staged (front        its SHA-256 (``staged digest``); generated
matter, text, the service guide appended to     listings — column indexes, home, catalog —
it, a generated listing)                        are staged pages too, so a new title or
                                                date re-renders the listings that show it
its path (URL, relative links)                  the record is per path
"not reviewed" banner (preview)                 part of the page key
the links MkDocs resolved in it (whether each   every lookup MkDocs made while rendering the
target exists; its URL follows from its path)   page is recorded and compared
navigation (column titles, which columns        the site key (:mod:`.fingerprint`): any
exist), configuration, theme, Material and      change renders every page
MkDocs versions, govpub's code, the policy
the previous output itself                      inode, size and modification time of the file
                                                in the site folder, as the record saw it
=============================================  ==========================================

A page that logged a MkDocs warning is always rendered again, so that its
warnings are reported (and counted by ``--strict``) every time. Anything
unexpected while putting the site together (a search entry that belongs to
no page, a page MkDocs did not render) raises :class:`Mismatch`, and the
render falls back to every page.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from ..filetree import FileStat, file_stat, link_or_copy, remove
from ..i18n import _
from ..sealed import keep_sealed, read_sealed
from ..search.markers import INDEX_DIR
from .linkscope import PageLinks, page_links

if TYPE_CHECKING:
    from jinja2 import FileSystemBytecodeCache

RECORD_FORMAT = b"govpub-render-record-5\n"
SEARCH_INDEX = "search/search_index.json"


class Mismatch(Exception):
    """The incremental result cannot be proven equal to a full render."""


@dataclass(slots=True)
class PageTrace:
    """What one render of one page read and wrote (recorded by the page hook)."""

    url: str = ""
    dest: str = ""
    lookups: dict[str, bool] = field(default_factory=dict)
    links: PageLinks | None = None
    warned: bool = False


@dataclass(slots=True)
class PageRecord:
    key: str
    dest: str
    url: str
    lookups: dict[str, bool]
    links: PageLinks | None
    #: the page's entries of Material's search index, serialized as Material writes them
    #: and joined with "," (joining strings is what makes the rebuilt index cheap)
    search: str
    stat: FileStat


@dataclass
class SiteRecord:
    """What the last successful build of one site folder was made from."""

    site_key: str
    target: str
    theme_uris: frozenset[str]
    pages: dict[str, PageRecord]
    #: every file of the published site: stat and SHA-256 (the manifest's memo)
    files: dict[str, tuple[FileStat, str]] = field(default_factory=dict)


# --- the plan of one render, read by the page hook in every render process ---------------


class RenderPlan:
    """Pages to reuse, and what the pages rendered in this process depend on."""

    def __init__(self, reuse: frozenset[str] = frozenset(),
                 unreviewed: frozenset[str] = frozenset(), parts: int = 1,
                 template_cache: Path | None = None) -> None:
        self.reuse = reuse
        self.unreviewed = unreviewed
        self.parts = parts
        #: where the theme's compiled templates are kept between builds (None: not kept)
        self.template_cache = template_cache
        self.part = 0
        self.order: list[tuple[str, str, str]] = []  # (src_uri, dest_uri, url), MkDocs' order
        self.theme_uris: frozenset[str] = frozenset()
        self.traces: dict[str, PageTrace] = {}
        self.current: str | None = None
        self._interned: dict[str, str] = {}

    def on_files(self, files, config):
        from mkdocs.structure.files import InclusionLevel

        from .mkdocs_parts import exclude_other_parts

        pages = [f for f in files if f.is_documentation_page() and f.inclusion.is_included()]
        self.order = [(f.src_uri, f.dest_uri, f.url) for f in pages]
        docs_dir = os.path.normpath(config.docs_dir)
        self.theme_uris = frozenset(
            f.src_uri for f in files
            if f.src_dir is None or os.path.normpath(f.src_dir) != docs_dir)
        for file in pages:
            if file.src_uri in self.reuse:
                file.inclusion = InclusionLevel.EXCLUDED
        if self.parts > 1:
            files = exclude_other_parts(files, self.part, self.parts)
        lookup = files.get_file_from_path

        def recording_lookup(path: str):
            found = lookup(path)
            if self.current is not None:
                self.traces[self.current].lookups[PurePath(path).as_posix()] = found is not None
            return found

        files.get_file_from_path = recording_lookup  # the one way MkDocs resolves a link
        return files

    def on_env(self, env) -> None:
        """Keep the theme's compiled templates between builds (:func:`template_cache`)."""
        if self.template_cache is not None:
            env.bytecode_cache = template_cache(env, self.template_cache)

    def begin(self, page) -> None:
        self.current = page.file.src_uri
        trace = self.traces.setdefault(self.current, PageTrace())
        trace.url, trace.dest = page.url, page.file.dest_uri

    def end(self) -> None:
        self.current = None

    def rendered(self, page, output: str) -> None:
        trace = self.traces.setdefault(page.file.src_uri, PageTrace())
        trace.links = page_links(output, page.file.dest_uri,
                                 lambda s: self._interned.setdefault(s, s))

    def warning(self, message: str) -> None:
        """A MkDocs warning: charged to the page being rendered (or named in it)."""
        page = self.current
        if page is None and message.startswith("Doc file '"):
            page = message[len("Doc file '"):].split("'", 1)[0]
        if page is not None:
            self.traces.setdefault(page, PageTrace()).warned = True

    def result(self) -> dict:
        """What a render process sends back to the parent."""
        return {"order": self.order, "theme_uris": self.theme_uris, "traces": self.traces}


def template_cache(env, folder: Path) -> FileSystemBytecodeCache | None:
    """Jinja's cache of compiled templates in ``folder``, for environments set up as ``env``.

    Compiling the theme's templates (Material's and govpub's) took a third of
    a one-page rebuild at 1,000 pages. Jinja finds a template's code by the
    template's name and file and uses it only when the SHA-1 of the source and
    the Jinja and Python versions are those it was compiled from; what else
    the code depends on is the environment's syntax, extensions, autoescaping and
    ``finalize``, so those name the cache files too. None (compile every time)
    when autoescaping or ``finalize`` is a function: what such code does cannot
    be named, and escaping is not something to guess. The output is the output
    of a fresh compile
    (``tests/test_build_incremental.py`` edits a template and compares).
    """
    from jinja2 import FileSystemBytecodeCache

    if callable(env.autoescape) or env.finalize is not None:
        return None
    settings = repr((sorted(env.extensions), env.block_start_string, env.block_end_string,
                     env.variable_start_string, env.variable_end_string,
                     env.comment_start_string, env.comment_end_string,
                     env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
                     env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
                     env.optimized, env.autoescape, env.is_async))
    tag = hashlib.sha256(settings.encode("utf-8")).hexdigest()[:16]
    return FileSystemBytecodeCache(os.fspath(folder), pattern=f"{tag}-%s.cache")


_active: list[RenderPlan] = []


def active() -> RenderPlan | None:
    return _active[-1] if _active else None


@contextmanager
def activated(plan: RenderPlan):
    _active.append(plan)
    try:
        yield plan
    finally:
        _active.remove(plan)


# --- the record on disk --------------------------------------------------------------------


def record_path(cache_dir: Path, target: Path) -> Path:
    tag = hashlib.sha256(os.fsencode(Path(target).resolve())).hexdigest()[:24]
    return cache_dir / f"site-{tag}.record"


def load_record(path: Path | None, target: Path) -> SiteRecord | None:
    """The record, or None when missing, damaged, of another format or of another folder."""
    record = read_sealed(path, RECORD_FORMAT)
    if not isinstance(record, SiteRecord) or record.target != str(Path(target).resolve()):
        return None
    return record


def save_record(path: Path | None, record: SiteRecord) -> None:
    keep_sealed(path, RECORD_FORMAT, record)


def forget_record(path: Path | None) -> None:
    if path is not None:
        _kept.pop(path, None)
        path.unlink(missing_ok=True)


#: records this process published, by record file: ``govpub serve`` keeps them between
#: rebuilds instead of reading (0.25 s) and writing (0.4 s) the file at 10,000 pages each
#: time; it writes the file once the pages are served (:func:`save_record`)
_kept: dict[Path, SiteRecord] = {}


def keep_record(path: Path | None, record: SiteRecord) -> None:
    """Remember ``record`` in this process for the next build of its folder."""
    if path is not None:
        _kept[path] = record


def kept_or_load_record(path: Path | None, target: Path) -> SiteRecord | None:
    """The record this process kept for ``path``, else the one on disk (:func:`load_record`).

    A kept record is as safe as one read back: everything it lets a build reuse
    is checked against the site folder as it is now (a page's file and every
    memoized digest by inode, size and modification time), whoever wrote it.
    """
    kept = _kept.get(path) if path is not None else None
    if kept is not None and kept.target == str(Path(target).resolve()):
        return kept
    return load_record(path, target)


# --- before the render: what can be reused ------------------------------------------------


def page_key(staged_digest: str | None, unreviewed: bool) -> str | None:
    if staged_digest is None:
        return None
    return staged_digest + ("+unreviewed" if unreviewed else "")


def reusable_pages(record: SiteRecord | None, site_key: str | None, keys: dict[str, str | None],
                   staged: set[str], site_dir: Path) -> frozenset[str]:
    """Pages whose recorded HTML a full render would write again, byte for byte."""
    if record is None or site_key is None or record.site_key != site_key:
        return frozenset()
    present = staged | record.theme_uris
    site = os.fspath(site_dir)
    reuse = set()
    for src, page in record.pages.items():
        if keys.get(src) is None or keys[src] != page.key:
            continue
        if any((uri in present) != found for uri, found in page.lookups.items()):
            continue
        if file_stat(os.path.join(site, page.dest)) != page.stat:
            continue
        reuse.add(src)
    return frozenset(reuse)


# --- after the render: put the site together ----------------------------------------------


@dataclass
class Outcome:
    """The render as the post-build steps and the next record need it."""

    pages: dict[str, PageRecord]
    theme_uris: frozenset[str]
    rendered: set[str]  # site paths of the pages rendered this time
    reused: int


def merge_results(results: list[dict]) -> dict:
    traces: dict[str, PageTrace] = {}
    for result in results:
        traces.update(result["traces"])
    return {"order": results[0]["order"], "theme_uris": results[0]["theme_uris"],
            "traces": traces}


def _place(source: str, target: str, expected: FileStat, made: set[str]) -> FileStat:
    """Put the previous site's file at ``target`` (a hard link; a copy across file systems).

    ``made``: the folders this render has made so far (added to).
    """
    if file_stat(source) != expected:
        raise Mismatch(_("{path} changed during the build").format(path=source))
    folder = os.path.dirname(target)
    if folder not in made:  # one mkdir per folder, not per page (0.5 s at 10,000 pages)
        try:  # most pages are a folder of their own, whose parent exists: one call
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        made.add(folder)
    try:
        os.link(source, target)
    except FileExistsError:  # a static file MkDocs copied there: the page wins, as in MkDocs
        os.unlink(target)
        link_or_copy(source, target)
    except OSError:
        shutil.copyfile(source, target)
    placed = file_stat(target)
    if placed is None:
        raise Mismatch(_("{path} could not be placed").format(path=target))
    return placed


class Placement:
    """The reused pages put into the new site in a thread, while MkDocs renders the others
    into a folder of its own (:func:`merge_rendered` then moves its files in).

    At 10,000 pages the new site needs a folder per reused page: 10,800 ``mkdir`` calls,
    about 1 s of a serve rebuild on this machine, spent in the kernel, where the thread
    does not hold the interpreter and MkDocs can go on. ``temp_site`` is made empty first
    (anything left there by a killed build, a link included, goes), unless serve prepared
    it while waiting for the edit (:mod:`govpub.build.prepared`): then the thread only
    corrects it, removing everything but the reused pages and checking each of those.
    """

    def __init__(self, temp_site: Path, site_dir: Path, record: SiteRecord,
                 reuse: frozenset[str]) -> None:
        from . import prepared

        self.placed: dict[str, FileStat] = {}
        self._error: BaseException | None = None
        remove(temp_site)
        self.prepared = prepared.take(temp_site, site_dir)
        if not self.prepared:
            temp_site.mkdir(parents=True)
        self._thread = threading.Thread(
            target=self._run, args=(os.fspath(temp_site), os.fspath(site_dir), record,
                                    sorted(reuse)),
            name="place-reused-pages", daemon=True)
        self._thread.start()

    def _run(self, temp: str, site: str, record: SiteRecord, reuse: list[str]) -> None:
        made: set[str] = set()
        try:
            if self.prepared:
                keep_only(temp, {record.pages[src].dest for src in reuse}, INDEX_DIR)
            for src in reuse:
                previous = record.pages[src]
                target = os.path.join(temp, previous.dest)
                if self.prepared and file_stat(target) == previous.stat:
                    self.placed[src] = previous.stat  # the very file: linked while waiting
                    continue
                self.placed[src] = _place(os.path.join(site, previous.dest), target,
                                          previous.stat, made)
        except BaseException as exc:  # raised in the building thread by result()
            self._error = exc

    def wait(self) -> None:
        """Until the thread is done (before the folder it writes is removed)."""
        self._thread.join()

    def result(self) -> dict[str, FileStat]:
        """The stat of each placed page (by source path); raises what placing raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.placed


def keep_only(top: str, files: set[str], left: str) -> None:
    """Remove from the folder ``top`` every entry that is neither one of ``files`` (site
    paths) nor a folder on the way to one: files, links, folders, whatever put them there.
    The top folder ``left`` (the search index) is left as it is, to the step that uses
    it, if it is a folder."""
    folders = {os.path.dirname(rel) for rel in files}
    for folder in list(folders):
        while folder and (folder := os.path.dirname(folder)) not in folders:
            folders.add(folder)
    pending = [""]
    while pending:
        rel = pending.pop()
        with os.scandir(os.path.join(top, rel)) as entries:
            for entry in entries:
                path = rel + entry.name
                if entry.is_dir(follow_symlinks=False) and path in folders:
                    pending.append(path + "/")
                elif path == left and entry.is_dir(follow_symlinks=False):
                    continue
                elif path not in files or not entry.is_file(follow_symlinks=False):
                    remove(Path(entry.path))


def merge_rendered(rendered: Path, temp_site: Path) -> None:
    """Move what MkDocs wrote in ``rendered`` into the site of placed pages; a reused page
    wins over a static file at its path, as in MkDocs (``rendered`` is removed)."""
    from .mkdocs_parts import merge_into

    try:
        merge_into(rendered, temp_site)
    finally:
        remove(rendered)


def _serialized(value) -> str:
    """JSON as Material's search plugin writes its index (material/plugins/search/plugin.py)."""
    return json.dumps(value, separators=(",", ":"), default=str)


def _search_entries(temp_site: Path, traces: dict[str, PageTrace]) -> tuple[dict, dict]:
    """(the index as written, its entries by page, serialized); ({}, {}) without an index."""
    index_file = temp_site / SEARCH_INDEX
    if not index_file.is_file():
        return {}, {}
    data = json.loads(index_file.read_text(encoding="utf-8"))
    by_url = {trace.url: src for src, trace in traces.items()}
    entries: dict[str, list] = defaultdict(list)
    for entry in data.get("docs", []):
        src = by_url.get(str(entry.get("location", "")).split("#", 1)[0])
        if src is None:
            raise Mismatch(_("search entry {location!r} belongs to no rendered page")
                           .format(location=entry.get("location")))
        entries[src].append(_serialized(entry))
    return data, {src: ",".join(found) for src, found in entries.items()}


def _write_index(path: Path, data: dict, fragments: list[str]) -> None:
    """The index ``data`` with ``fragments`` as its docs, byte for byte as Material writes it.

    A JSON list is "[" + its items joined by "," + "]": joining the pages'
    serialized entries gives what serializing them all again gives.
    """
    head = _serialized({**data, "docs": []})
    if list(data)[-1:] != ["docs"] or not head.endswith('"docs":[]}'):
        raise Mismatch(_("the search index has an unexpected shape"))
    docs = ",".join(fragment for fragment in fragments if fragment)
    path.write_text(head[:-2] + docs + "]}", encoding="utf-8")


def finish(temp_site: Path, site_dir: Path, merged: dict, reuse: frozenset[str],
           record: SiteRecord | None, keys: dict[str, str | None],
           placed: dict[str, FileStat] | None = None) -> Outcome:
    """Place the reused pages (unless ``placed`` already: :class:`Placement`), complete
    the search index; describe every page for the record."""
    traces: dict[str, PageTrace] = merged["traces"]
    order: list[tuple[str, str, str]] = merged["order"]
    if len({dest for _, dest, _ in order}) != len(order):
        raise Mismatch(_("two pages are written to the same file"))
    data, fresh = _search_entries(temp_site, traces)
    site, temp = os.fspath(site_dir), os.fspath(temp_site)
    pages: dict[str, PageRecord] = {}
    rendered: set[str] = set()
    made: set[str] = set()
    for src, dest, url in order:
        if src in reuse:
            previous = record.pages[src]
            if (previous.dest, previous.url) != (dest, url):
                raise Mismatch(_("{path} moved in the site").format(path=src))
            stat_now = placed[src] if placed is not None else \
                _place(os.path.join(site, dest), os.path.join(temp, dest), previous.stat, made)
            pages[src] = PageRecord(previous.key, dest, url, previous.lookups, previous.links,
                                    previous.search, stat_now)
            continue
        trace = traces.get(src)
        if trace is None or trace.links is None:
            raise Mismatch(_("{path} was not rendered").format(path=src))
        rendered.add(dest)
        written = file_stat(os.path.join(temp, dest))
        if trace.warned or written is None:
            continue  # rendered again every time (its warnings are reported each build)
        pages[src] = PageRecord(keys.get(src) or "", dest, url, trace.lookups, trace.links,
                                fresh.get(src, ""), written)
    if placed is not None and not placed.keys() <= pages.keys():
        raise Mismatch(_("a page placed from the previous site is not in the site"))
    if reuse and data:
        _write_index(temp_site / SEARCH_INDEX, data,
                     [pages[src].search if src in reuse else fresh.get(src, "")
                      for src, _dest, _url in order])
    pages = {src: page for src, page in pages.items() if page.key}
    return Outcome(pages=pages, theme_uris=merged["theme_uris"], rendered=rendered,
                   reused=len(reuse))
