"""The search index: Pagefind over the rendered site, in shards, as a post-build step.

The index is built from the HTML the renderer wrote into the temporary site
folder, which holds only what the gate staged: a quarantined or held-back
page was never rendered, so it cannot be indexed. Only the part of a page
marked ``data-pagefind-body`` (its heading and text, see
:func:`govpub.search.pages.searchable`) is indexed, and only pages that carry
it are handed to Pagefind: listings, the home page, the search page and the
chrome around the text are not.

**Shards.** Pagefind cannot index one page: it indexes a whole folder. So the
indexed pages are split into :func:`shard_count` shards by a hash of their
path in the site (:func:`shard_of`: stable, and even), and each shard is a
Pagefind index of its own in ``pagefind/<n>/``, built from a folder of hard
links to its pages only. ``pagefind/shards.json`` lists, per page language,
the shards that hold pages of that language, and each shard's *key*: a
SHA-256 of Pagefind's version, the options below and every page's path and
bytes. A shard whose key is the one the previous build published is taken
from the previous site as it is (hard links, a copy where linking fails)
instead of being indexed again: a one-page edit re-indexes one shard. The
browser loads the first shard of its language and merges the others
(``mergeIndex``, ``theme/javascripts/govpub-search.js``).

Pagefind is run as its own binary (the ``pagefind_bin_extended`` package:
the extended build segments Chinese text into words) in an empty working
folder with none of its ``PAGEFIND_*`` variables: a ``pagefind.yml`` or an
environment variable cannot change what is indexed or where it is written.
Its output is the same bytes for the same pages (file names are content
hashes; ``tests/test_search_index.py`` builds it twice to hold it to that),
with one exception that :func:`settle_entry` removes: Pagefind lists the
languages of ``pagefind-entry.json`` in an order that changes from run to run
(a hash map's), so the file is rewritten with its languages sorted. A reused
shard is therefore the very bytes indexing it again would write, and the
whole index is byte for byte the index of a full build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError
from ..i18n import _, ngettext

#: the folder of the site that holds the index and Pagefind's own script
BUNDLE_DIR = "pagefind"
#: the list of shards in the bundle: languages → shard names, shard name → key
SHARD_LIST = "shards.json"
#: the shard every search page asks the browser to fetch early (``<link rel=modulepreload>``):
#: with the index in one shard, the shard of every page
FIRST_SHARD = "0"
#: part of every key: change it when govpub changes what it does to Pagefind's output
#: (:func:`settle_entry`), so that no shard made the old way is reused
SHARD_FORMAT = "govpub-search-shard-1"
#: indexed pages per shard that :func:`shard_count` aims at, and the most shards. Every
#: shard costs each query one index chunk per word of the query (25–120 KB) and each full
#: build one more start of Pagefind (about 0.4 s CPU); measured at 1,000 and 10,000 pages
#: (docs/build.md, "The index in shards"), more than one shard does not pay: a one-page
#: rebuild saves less than a query downloads more. One shard still spares Pagefind every
#: build in which no indexed page changed.
PAGES_PER_SHARD = 2500
MAX_SHARDS = 1
#: parts of an indexed page that are not its text: heading permalinks ("¶"), the status
#: banner and the index box (the same labels on every policy and notice page), and the
#: block only printed (item code, address, source, times: repeated from the page, with
#: English labels on Chinese pages)
EXCLUDED_SELECTORS = (".headerlink", ".govpub-status", ".gp-index-box", ".gp-print-meta")
#: files of Pagefind's bundle that govpub's search page does not load (Pagefind's
#: ready-made interfaces, and its web worker: the search page runs Pagefind with
#: ``noWorker``): not published, so the site carries only what it uses
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
                "pagefind-modular-ui.css", "pagefind-component-ui.js",
                "pagefind-component-ui.css", "pagefind-highlight.js", "pagefind-worker.js")
#: an element carrying data-pagefind-body (in text, "<" is always escaped)
_BODY = re.compile(rb"<[A-Za-z][^<>]*?\sdata-pagefind-body[\s=>/]")


def pagefind_binary() -> Path:
    """The extended Pagefind binary installed with govpub (``pagefind_bin_extended``)."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise BuildError(
            _("the search index needs Pagefind's extended build (Chinese word segmentation), "
              "which is not installed"),
            hint=_("install govpub with its dependencies (make setup), which include "
                   "pagefind_bin_extended")) from None
    try:
        return Path(get_executable())
    except FileNotFoundError as exc:
        raise BuildError(_("Pagefind's binary is missing: {error}").format(error=exc),
                         hint=_("reinstall it: pip install --force-reinstall "
                                "'pagefind_bin_extended'")) from None


def pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin_extended")
    except PackageNotFoundError:
        return "unknown"


def _clean_environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items()
            if not key.upper().startswith("PAGEFIND")}


def pagefind_options() -> list[str]:
    options = ["--silent"]
    for selector in EXCLUDED_SELECTORS:
        options += ["--exclude-selectors", selector]
    return options


def pagefind_command(site_dir: Path, output: Path) -> list[str]:
    """Index the pages under ``site_dir`` into the folder ``output``."""
    return [str(pagefind_binary()), "--site", str(site_dir), "--output-path", str(output),
            *pagefind_options()]


def settle_entry(bundle: Path) -> None:
    """Rewrite ``pagefind-entry.json`` with its languages in a fixed order (sorted).

    pagefind.js looks languages up by name, and falls back to the one with the
    most pages: the order carries no meaning, so fixing it changes nothing else.
    """
    entry = bundle / "pagefind-entry.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data.get("languages", {}).items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                     encoding="utf-8")


# --- which pages, which shard ---------------------------------------------------------


def shard_count(pages: int) -> int:
    """How many shards for ``pages`` indexed pages: one per PAGES_PER_SHARD, in powers of
    two (so the count, and every shard's pages, change only when the site doubles)."""
    count = 1
    while count < MAX_SHARDS and pages >= count * 2 * PAGES_PER_SHARD:
        count *= 2
    return count


def shard_of(rel: str, count: int) -> str:
    """The shard of the page at ``rel`` (its path in the site): a hash, so shards are even."""
    if count <= 1:
        return FIRST_SHARD
    digest = hashlib.sha256(rel.encode("utf-8")).digest()
    return str(int.from_bytes(digest[:8], "big") % count)


def indexed_pages(site_dir: Path, memo=None) -> dict[str, str]:
    """Every HTML file of the site that carries ``data-pagefind-body``: path → SHA-256.

    ``memo(rel, path)`` may give the SHA-256 of a file it knows (the previous
    build's, for a file that is still the very same file); the bytes are read
    anyway, to see whether the page is indexed. Links and the bundle are skipped.
    """
    found: dict[str, str] = {}
    for folder, dirs, names in os.walk(site_dir):
        here = Path(folder)
        rel_folder = here.relative_to(site_dir).as_posix()
        prefix = "" if rel_folder == "." else rel_folder + "/"
        if not prefix:
            dirs[:] = [d for d in dirs if d != BUNDLE_DIR]
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(".html"):
                continue
            path = here / name
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            data = path.read_bytes()
            if not _BODY.search(data):
                continue
            rel = prefix + name
            known = memo(rel, path) if memo is not None else None
            found[rel] = known or hashlib.sha256(data).hexdigest()
    return found


def shard_key(pages: dict[str, str]) -> str:
    """What a shard's index is made from: Pagefind, its options, every page's path and bytes."""
    lines = [SHARD_FORMAT, pagefind_version(), *pagefind_options(), *UNUSED_FILES]
    lines += [f"{rel}\0{digest}" for rel, digest in sorted(pages.items())]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def plan_shards(pages: dict[str, str]) -> dict[str, dict[str, str]]:
    """The shards of these pages: shard name → {path: SHA-256}; shards without pages left out."""
    count = shard_count(len(pages))
    shards: dict[str, dict[str, str]] = {}
    for rel, digest in pages.items():
        shards.setdefault(shard_of(rel, count), {})[rel] = digest
    return dict(sorted(shards.items(), key=lambda item: int(item[0])))


# --- making the bundle -----------------------------------------------------------------


@dataclass
class ShardOutcome:
    """What one write of the index did: the shards indexed again and those reused."""

    indexed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.indexed) + len(self.reused)


def search_report(outcome: ShardOutcome) -> str:
    """The build's line about the index: how many shards were indexed again, how many reused."""
    return ngettext("search index: {indexed} of {total} shard indexed again, {reused} reused",
                    "search index: {indexed} of {total} shards indexed again, {reused} reused",
                    outcome.total).format(indexed=len(outcome.indexed), total=outcome.total,
                                          reused=len(outcome.reused))


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, a file system without hard links
        shutil.copyfile(source, target)


def _regular_files(folder: Path) -> list[Path] | None:
    """Every file under ``folder`` if all are regular files (no link anywhere), else None."""
    if folder.is_symlink() or not folder.is_dir():
        return None
    files = []
    for current, dirs, names in os.walk(folder):
        here = Path(current)
        for name in dirs + names:
            mode = os.lstat(here / name).st_mode
            if stat.S_ISLNK(mode):
                return None
            if name in names:
                if not stat.S_ISREG(mode):
                    return None
                files.append(here / name)
    return files


def _run_pagefind(site_dir: Path, output: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="govpub-pagefind-") as empty:
        try:
            run = subprocess.run(pagefind_command(site_dir, output), cwd=empty,
                                 env=_clean_environment(), capture_output=True, text=True,
                                 errors="replace", check=False)
        except OSError as exc:
            raise BuildError(_("cannot run Pagefind: {error}").format(error=exc)) from None
    if run.returncode != 0:
        detail = " ".join((run.stderr or run.stdout or "").split())[-600:]
        raise BuildError(_("Pagefind could not index the site (exit {code}): {detail}")
                         .format(code=run.returncode, detail=detail),
                         hint=_("the previous site is unchanged"))
    settle_entry(output)
    for name in UNUSED_FILES:
        unused = output / name
        if unused.is_file():
            unused.unlink()


def _index_shard(site_dir: Path, pages: list[str], output: Path) -> None:
    """Index only ``pages`` of ``site_dir``: Pagefind runs over a folder of links to them,
    which gives the same URLs. The folder is made in the bundle being written (on the
    site's file system, so the links are hard links; gone with the bundle if killed)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    farm = Path(tempfile.mkdtemp(prefix=".pages-", dir=output.parent))
    try:
        for rel in pages:
            target = farm / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(site_dir / rel, target)
        _run_pagefind(farm, output)
    finally:
        shutil.rmtree(farm, ignore_errors=True)


def shard_languages(shard: Path) -> list[str]:
    entry = json.loads((shard / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sorted(entry.get("languages", {}))


def read_shard_list(bundle: Path) -> dict:
    """The shard list of a bundle ({} when there is none, or it cannot be read)."""
    path = bundle / SHARD_LIST
    try:
        if path.is_symlink() or not path.is_file():
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("shards"), dict) else {}


def write_bundle(site_dir: Path, bundle: Path, previous: Path | None = None,
                 trusted=None, memo=None) -> ShardOutcome:
    """Write the index of ``site_dir``'s pages into ``bundle``, a folder that must not exist.

    ``previous``: a bundle whose shards may be reused when their key is the
    same; ``trusted(folder, files)`` says whether a shard of it may be (every
    file the previous build published there, unchanged since, and no other). The shards to index are
    indexed side by side, one Pagefind per core.
    """
    site_dir = Path(site_dir).resolve()
    shards = plan_shards(indexed_pages(site_dir, memo))
    keys = {name: shard_key(pages) for name, pages in shards.items()}
    old = read_shard_list(previous) if previous is not None else {}
    old_keys = old.get("shards", {})
    bundle.mkdir(parents=True)
    outcome = ShardOutcome()
    to_index = []
    for name in shards:
        reusable = None
        if old_keys.get(name) == keys[name]:
            reusable = _regular_files(previous / name)
            if reusable is not None and trusted is not None \
                    and not trusted(previous / name, reusable):
                reusable = None
        if reusable:
            for path in reusable:
                target = bundle / name / path.relative_to(previous / name)
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(path, target)
            outcome.reused.append(name)
        else:
            to_index.append(name)
    with ThreadPoolExecutor(max_workers=max(1, min(len(to_index), os.cpu_count() or 1)),
                            thread_name_prefix="pagefind") as pool:
        runs = [pool.submit(_index_shard, site_dir, sorted(shards[name]), bundle / name)
                for name in to_index]
    for run in runs:
        run.result()
    outcome.indexed = to_index
    languages: dict[str, list[str]] = {}
    for name in shards:
        for language in shard_languages(bundle / name):
            languages.setdefault(language, []).append(name)
    listing = {"languages": dict(sorted(languages.items())), "shards": keys}
    (bundle / SHARD_LIST).write_text(json.dumps(listing, sort_keys=False,
                                                separators=(",", ":")), encoding="utf-8")
    return outcome


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()  # never written through; a folder of that name is the index's
    elif path.is_dir():
        shutil.rmtree(path)


def _same_file(path: Path, recorded) -> bool:
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and \
        (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) == tuple(recorded)


def write_search_index(model, site_dir: Path, delta=None) -> None:
    """Post-build step: index the rendered site into ``site_dir/pagefind/``.

    With the render's delta (``govpub.build.postbuild.SiteDelta``) that names
    the site it replaces and the files it published (stat and SHA-256), the
    shards whose pages did not change are taken from that site, provided
    every file of them is still the file that build published; the outcome
    is left on the delta (``search``) for the build to report.
    """
    site_dir = Path(site_dir).resolve()
    bundle = site_dir / BUNDLE_DIR
    _remove(bundle)
    previous_site = getattr(delta, "previous_site", None)
    recorded = getattr(delta, "previous_files", None) or {}
    previous = trusted = memo = None
    if previous_site is not None and recorded:
        previous_site = Path(previous_site)
        previous = previous_site / BUNDLE_DIR

        def published(path: Path) -> bool:
            known = recorded.get(path.relative_to(previous_site).as_posix())
            return known is not None and _same_file(path, known[0])

        def trusted(folder: Path, files: list[Path]) -> bool:
            prefix = folder.relative_to(previous_site).as_posix() + "/"
            listed = {rel for rel in recorded if rel.startswith(prefix)}
            return {path.relative_to(previous_site).as_posix() for path in files} == listed \
                and all(published(path) for path in files)

        if not published(previous / SHARD_LIST):
            previous = None

        def memo(rel: str, path: Path) -> str | None:
            known = recorded.get(rel)
            return known[1] if known is not None and _same_file(path, known[0]) else None

    outcome = write_bundle(site_dir, bundle, previous, trusted, memo)
    if delta is not None:
        delta.search = outcome


write_search_index.uses_delta = True  # type: ignore[attr-defined]


def carry_search_index(previous_site: Path, site_dir: Path) -> bool:
    """Give the new site the index of the site it replaces (hard links), to refresh later.

    Only for ``govpub serve``'s own folders, never deployed: the index may lag
    behind the pages until :func:`refresh_search_index` has run. False when
    the previous site has no index, or one without a shard list (made by a govpub
    before shards: the new search pages load that list first): the caller indexes
    now instead.
    """
    previous = Path(previous_site) / BUNDLE_DIR
    if previous.is_symlink() or not previous.is_dir() or not read_shard_list(previous):
        return False  # none, or one made before shards, which the new pages cannot load
    bundle = Path(site_dir) / BUNDLE_DIR
    _remove(bundle)
    _carry_folder(os.fspath(previous), os.fspath(bundle))
    return True


def _carry_folder(source: str, target: str) -> None:
    """Link every regular file under ``source`` into ``target`` (made), folders alike.

    Regular files only: a link planted in the folder (it is under .govpub/, which
    a branch can commit) must not make the server hand out a file from elsewhere.
    With :func:`os.scandir` and plain strings: 10,140 files at 10,000 pages, where
    a path object per file cost more than the links.
    """
    os.makedirs(target, exist_ok=True)
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _carry_folder(entry.path, os.path.join(target, entry.name))
            elif entry.is_file(follow_symlinks=False):
                _link_or_copy(entry.path, os.path.join(target, entry.name))


def refresh_search_index(site_dir: Path) -> ShardOutcome:
    """Index a published site again in place, swapping the new index in when complete.

    For ``govpub serve``: the pages were published first and are being served,
    with the index of the site before (:func:`carry_search_index`). Shards
    whose pages did not change are reused from that index; the new index is
    written beside the site and renamed into it, so a reader never loads half
    an index (a file it asked for may belong to the index before; the search
    page then asks again after a reload).
    """
    site_dir = Path(site_dir).resolve()
    fresh = site_dir.parent / f".{site_dir.name}.pagefind-new"
    stale = site_dir.parent / f".{site_dir.name}.pagefind-old"
    _remove(fresh)
    _remove(stale)
    bundle = site_dir / BUNDLE_DIR
    try:
        outcome = write_bundle(site_dir, fresh, previous=bundle)
        if bundle.exists() or bundle.is_symlink():
            os.rename(bundle, stale)
        os.rename(fresh, bundle)
    finally:
        _remove(fresh)
        _remove(stale)
    return outcome
