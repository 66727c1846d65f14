"""Post-build steps: run on the temporary site folder, before it replaces the old site.

Extension point: :data:`POST_BUILD` is a list of functions
``(model: SiteModel, site_dir: Path) -> None``. Other parts of govpub add
theirs (open data, feeds, the signed manifest)::

    from govpub.build.postbuild import POST_BUILD
    POST_BUILD.append(write_open_data)

Steps run in list order; a step that writes a digest of the whole site (the
manifest) must stay last. A step marked with :func:`reads_html_only` runs
in a thread beside the steps after it (the link check waits on lychee while
the manifest is hashed); steps after it must not write HTML. A step marked
with :func:`writes_own_folder` (the search index: it reads the HTML and
writes only its own folder) also runs beside the steps after it, but the
next step that reads HTML (the link check: the index's folder holds links to
pages while it is written) and the manifest wait for it; meanwhile the files
already written are hashed for the manifest. A step raising an exception
fails the build and the previous site stays in place.

A step marked with :func:`uses_delta` also receives the :class:`SiteDelta`
of the render (``delta=``, None when there is none): what an incremental
render reused and wrote. The link check uses it to check only the pages
whose links can have broken, the manifest to hash only files it has not
hashed before (``docs/build.md``, "Incremental builds").
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from ..atomic import write_atomic
from ..cachedir import cache_dir_for
from ..errors import BuildError
from ..feeds import write_feeds
from ..filetree import FileStat, file_stat
from ..handouts import write_handouts
from ..i18n import _
from ..integrity.linkcheck import check_site_links
from ..integrity.manifest import sha256_file, signing_key_for
from ..integrity.manifest import write_manifest as signed_manifest
from ..opendata import write_open_data
from ..sealed import seal, unseal
from ..search import carry_search_index, write_search_index
from ..sitemodel import SiteModel
from .generated import generated_urls
from .linkscope import pages_to_recheck

PostBuildStep = Callable[[SiteModel, Path], None]
#: above this share of the site's HTML files, checking them all is as fast as choosing
FULL_CHECK_SHARE = 0.5


@dataclass
class SiteDelta:
    """What the render reused and wrote (govpub.build.incremental), for the steps below."""

    #: None: no record is kept of this build (no key, or reuse unsafe for this site)
    site_key: str | None = None
    outcome: object | None = None  # incremental.Outcome
    #: every file of the previous build of this folder: stat and SHA-256
    previous_files: dict[str, tuple[FileStat, str]] = field(default_factory=dict)
    #: the render reused nothing: every link is checked
    full: bool = True
    #: filled by write_manifest: every file of this build, stat and SHA-256
    files: dict[str, tuple[FileStat, str]] = field(default_factory=dict)
    #: the site folder the previous build published (``previous_files`` describe it)
    previous_site: Path | None = None
    #: filled by write_search_index: what it wrote, and the index's state (govpub.search)
    search: object | None = None
    #: hashed while the search was indexed: path → (stat, SHA-256) (see run_post_build)
    hashed_early: dict[str, tuple[FileStat, str]] = field(default_factory=dict)


#: URLs that ``urllib.parse.quote(url, safe="/")`` leaves as they are (and XML escaping too)
_PLAIN_URL = re.compile(r"[A-Za-z0-9_.\-~/]*")


def sitemap_xml(model: SiteModel) -> str:
    """sitemap.xml from the model: approved pages and generated indexes, absolute URLs."""
    entries: dict[str, str | None] = {}
    for url in generated_urls(model):
        entries[url] = None
    tz = model.policy.timezone
    for page in sorted(model.pages, key=lambda p: p.url):
        entries[page.url] = page.modified.astimezone(tz).date().isoformat()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    base = escape(model.policy.base_url)
    plain = _PLAIN_URL.fullmatch
    for url in sorted(entries):
        # escape(model.absolute(url)), without quoting the URLs that need none (most)
        loc = base + url if plain(url) else escape(model.absolute(url))
        lastmod = f"<lastmod>{entries[url]}</lastmod>" if entries[url] else ""
        lines.append(f"  <url><loc>{loc}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


SITEMAP_GZ_FORMAT = b"govpub-sitemap-gz-1\n"
#: the last sitemap's gzip, by cache file: (SHA-256 of the XML, its gzip)
_kept_gzip: dict[Path | None, tuple[bytes, bytes]] = {}


def _gzipped_sitemap(model: SiteModel, data: bytes) -> bytes:
    """``gzip.compress(data, mtime=0)``, taken from the last build when ``data`` is the same
    (compressing is most of this step's time): kept in memory and sealed in the cache
    folder, a damaged file ignored."""
    digest = hashlib.sha256(data).digest()
    folder = cache_dir_for(model.policy.root, "sitemap")
    path = folder / "sitemap.gz" if folder is not None else None
    kept = _kept_gzip.get(path)
    if kept is None and path is not None:
        try:
            blob = path.read_bytes()
            if blob.startswith(SITEMAP_GZ_FORMAT):
                payload = unseal(blob[len(SITEMAP_GZ_FORMAT):])
                kept = (payload[:32], payload[32:])
        except (OSError, ValueError):
            kept = None
    if kept is not None and kept[0] == digest:
        _kept_gzip[path] = kept
        return kept[1]
    compressed = gzip.compress(data, mtime=0)
    _kept_gzip[path] = (digest, compressed)
    if path is not None:
        with contextlib.suppress(OSError):  # else compressed again next time
            write_atomic(path, SITEMAP_GZ_FORMAT + seal(digest + compressed))
    return compressed


def write_sitemap(model: SiteModel, site_dir: Path) -> None:
    data = sitemap_xml(model).encode("utf-8")
    (site_dir / "sitemap.xml").write_bytes(data)
    # MkDocs writes a gzipped copy of its own sitemap; keep the two identical.
    (site_dir / "sitemap.xml.gz").write_bytes(_gzipped_sitemap(model, data))


def reads_html_only(step: PostBuildStep) -> PostBuildStep:
    """Mark a step that only reads the site's HTML: it may run beside later steps."""
    step.reads_html_only = True  # type: ignore[attr-defined]
    return step


def writes_own_folder(step):
    """Mark a step that reads the site's HTML and writes only a folder of its own (the
    search index): it runs beside the later steps; the next step that reads HTML and the
    manifest (last) wait for it."""
    step.writes_own_folder = True
    return step


def uses_delta(step):
    """Mark a step that takes the render's :class:`SiteDelta` as ``delta=``."""
    step.uses_delta = True
    return step


def run_step(step: PostBuildStep, model: SiteModel, site_dir: Path, delta=None) -> None:
    """Run one step, with ``delta=`` if it is marked :func:`uses_delta`."""
    extra = {"delta": delta} if getattr(step, "uses_delta", False) else {}
    step(model, site_dir, **extra)


def follows_pages(step):
    """Mark a step whose output no page includes (files beside the pages, or a report):
    ``govpub serve`` may run it once the pages are served (govpub.build.afterpages)."""
    step.follows_pages = True
    return step


def _site_paths(site_dir: Path) -> set[str]:
    """Every file's path in the site, as :func:`os.walk` lists them (a link to a folder is
    a folder, not followed); with :func:`os.scandir` and no path made relative per folder
    (0.13 s for 25,400 files at 10,000 pages, against 0.35 s)."""
    found = set()
    pending = [("", os.fspath(site_dir))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue  # as os.walk: a folder that cannot be read is passed over
        with entries:
            for entry in entries:
                if entry.is_dir():
                    if not entry.is_symlink():
                        pending.append((prefix + entry.name + "/", entry.path))
                    continue
                found.add(prefix + entry.name)
    return found


def pages_to_check(delta: SiteDelta | None, site_dir: Path) -> list[str] | None:
    """HTML files whose links must be checked after this render; None for all of them."""
    if delta is None or delta.full or delta.outcome is None:
        return None
    outcome = delta.outcome
    current = _site_paths(site_dir)
    html_files = {p for p in current if p.endswith((".html", ".htm"))}
    reused = {page.dest: page.links for page in outcome.pages.values()
              if page.dest not in outcome.rendered and page.links is not None}
    # new or rendered again, and HTML that is no page's (404.html): always, as if new
    fresh = html_files - set(reused)
    removed = set(delta.previous_files) - current
    chosen = fresh | pages_to_recheck(reused, removed, fresh)
    if len(chosen) > FULL_CHECK_SHARE * len(html_files):
        return None
    return sorted(chosen & html_files)


@reads_html_only
@uses_delta
def check_links(model: SiteModel, site_dir: Path, delta: SiteDelta | None = None) -> None:
    """Fail the build on a broken internal link or anchor in the rendered site.

    The rules check links between content files before the build; this
    catches what only exists after rendering (generated pages, theme links).
    lychee, offline: see govpub.integrity.linkcheck for why not linkchecker.
    After an incremental render only the pages whose links can have broken
    are checked (govpub.build.linkscope).
    """
    broken = check_site_links(site_dir, sources=pages_to_check(delta, site_dir))
    if broken:
        first = broken[0]
        message = _("broken link in the built site: {source}: {url} ({reason})").format(
            source=first.source, url=first.url, reason=first.reason)
        if len(broken) > 1:
            message += _(" (and {count} more)").format(count=len(broken) - 1)
        raise BuildError(message, hint=_("the previous site is unchanged"))


@uses_delta
def write_manifest(model: SiteModel, site_dir: Path, delta: SiteDelta | None = None) -> None:
    """manifest.json with the SHA-256 of every file, signed when a key is configured.

    A file the previous build hashed and that is still the same file (same
    inode, size and modification time: a page the incremental render reused
    as a hard link) keeps its hash; every other file is read.
    """
    if delta is None:
        signed_manifest(site_dir, key=signing_key_for(model.policy))
        return
    known = delta.previous_files
    early = delta.hashed_early
    files = delta.files

    def digest_of(rel: str, path: str) -> str:
        seen = file_stat(path)
        digest = digest_as_known(path, seen, early.get(rel) or known.get(rel))
        if seen is not None:
            files[rel] = (seen, digest)
        return digest

    signed_manifest(site_dir, key=signing_key_for(model.policy), digest_of=digest_of)


def digest_as_known(path: Path | str, seen, known) -> str:
    """The SHA-256 of ``path``: ``known`` = (stat, digest) when ``seen`` is that very stat
    (the same file, unchanged), else read."""
    if seen is not None and known is not None and seen == known[0]:
        return known[1]
    return sha256_file(path)


def _hashing_early_pays(delta: SiteDelta) -> bool:
    """Whether the render wrote enough for :func:`hash_early` to read while the index is
    written. After a one-page change it reads nothing: the 25,000 files it states at
    10,000 pages the manifest states again, and its Python work only takes turns with
    the index's thread."""
    outcome = delta.outcome
    if delta.full or outcome is None:
        return True
    return len(outcome.rendered) > FULL_CHECK_SHARE * (outcome.reused + len(outcome.rendered))


def hash_early(site_dir: Path, delta: SiteDelta, skip: str) -> None:
    """Hash the files written so far (all but the top folder ``skip``) for the manifest,
    while a step that writes that folder runs. The manifest takes a digest from here only
    for the very same file (stat, as with the previous build's digests); a step that
    wrote a file and gave its digest (open data) spares it being read."""
    known = delta.previous_files
    pending = [("", os.fspath(site_dir))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if rel != skip:
                        pending.append((rel + "/", entry.path))
                    continue
                seen = file_stat(entry.path)
                if seen is None:
                    continue  # a link or another kind of file: the manifest refuses it
                digest = digest_as_known(entry.path, seen,
                                         delta.hashed_early.get(rel) or known.get(rel))
                delta.hashed_early[rel] = (seen, digest)


writes_own_folder(write_search_index)
uses_delta(write_handouts)  # the site key: the items' handout keys come from a memo
uses_delta(write_open_data)  # files the previous site has as they are: hard links
uses_delta(write_feeds)
for _step in (write_sitemap, write_open_data, write_feeds, write_handouts, check_links):
    follows_pages(_step)

#: Post-build steps in order; keep write_manifest last. The search index reads the pages
#: as rendered and writes only search-index/: it runs first, beside the steps after it.
POST_BUILD: list[PostBuildStep] = [write_search_index, write_sitemap, write_open_data,
                                   write_feeds, write_handouts, check_links, write_manifest]


def run_post_build(model: SiteModel, site_dir: Path, delta: SiteDelta | None = None, *,
                   carry_search_from: Path | None = None, manifest: bool = True,
                   later: list | None = None) -> bool:
    """Run the steps; True when the search index was carried over instead of written.

    ``carry_search_from``: a site whose search index the new site takes as it is
    (``govpub serve``, which indexes again once the pages are served). Ignored
    when that site has none: the index is written as usual. ``manifest=False``:
    without the manifest (``govpub serve`` writes it once the pages are served,
    with the index as indexed again: :func:`write_manifest` on the served folder).
    ``later``: the steps marked :func:`follows_pages` are added to it, not run
    (``govpub serve`` runs them once the pages are served: govpub.build.afterpages).
    """
    from ..search.markers import INDEX_DIR

    steps = [step for step in POST_BUILD if manifest or step is not write_manifest]
    if later is not None:
        later += [step for step in steps if getattr(step, "follows_pages", False)]
        steps = [step for step in steps if step not in later]
    carried = False
    with ThreadPoolExecutor(thread_name_prefix="post-build") as beside:
        running, writing = [], []
        for step in steps:
            if step is write_search_index and carry_search_from is not None \
                    and carry_search_index(carry_search_from, site_dir):
                carried = True
                continue
            if writing and (getattr(step, "reads_html_only", False) or step is write_manifest
                            or step is steps[-1]):
                # the link check reads every HTML file (the index's link farm is some while
                # it runs) and the manifest hashes every file: what runs beside ends first
                if delta is not None and write_manifest in steps and _hashing_early_pays(delta):
                    hash_early(site_dir, delta, INDEX_DIR)
                for future in writing:
                    future.result()
                writing = []
            if getattr(step, "writes_own_folder", False):
                writing.append(beside.submit(run_step, step, model, site_dir, delta))
            elif getattr(step, "reads_html_only", False):
                running.append(beside.submit(run_step, step, model, site_dir, delta))
            else:
                run_step(step, model, site_dir, delta)
    for future in writing + running:  # the pool has waited for them; a failure is raised here
        future.result()
    return carried
