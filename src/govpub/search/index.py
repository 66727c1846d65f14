"""The search index: Pagefind over the rendered site, as a post-build step.

The index is built from the HTML the renderer wrote into the temporary site
folder, which holds only what the gate staged: a quarantined or held-back
page was never rendered, so it cannot be indexed. Only the part of a page
marked ``data-pagefind-body`` (its heading and text, see
:func:`govpub.search.pages.searchable`) is indexed: listings, the home page,
the search page and the chrome around the text are not.

Pagefind is run as its own binary (the ``pagefind_bin_extended`` package:
the extended build segments Chinese text into words) in an empty working
folder with none of its ``PAGEFIND_*`` variables: a ``pagefind.yml`` or an
environment variable cannot change what is indexed or where it is written.
Its output is the same bytes for the same pages (file names are content
hashes; ``tests/test_search_index.py`` builds it twice to hold it to that),
with one exception that :func:`settle_entry` removes: Pagefind lists the
languages of ``pagefind-entry.json`` in an order that changes from run to run
(a hash map's), so the file is rewritten with its languages sorted.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

from ..errors import BuildError
from ..i18n import _

#: the folder of the site that holds the index and Pagefind's own script
BUNDLE_DIR = "pagefind"
#: parts of an indexed page that are not its text: heading permalinks ("¶"), the status
#: banner and the index box (the same labels on every policy and notice page)
EXCLUDED_SELECTORS = (".headerlink", ".govpub-status", ".gp-index-box")
#: files of Pagefind's bundle that govpub's search page does not load (Pagefind's
#: ready-made interfaces): not published, so the site carries only what it uses
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
                "pagefind-modular-ui.css", "pagefind-component-ui.js",
                "pagefind-component-ui.css", "pagefind-highlight.js")


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


def _clean_environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items()
            if not key.upper().startswith("PAGEFIND")}


def pagefind_command(site_dir: Path, output: Path | None = None) -> list[str]:
    """Index ``site_dir`` into its ``pagefind/`` folder, or into ``output`` when given."""
    where = ["--output-subdir", BUNDLE_DIR] if output is None else ["--output-path", str(output)]
    command = [str(pagefind_binary()), "--site", str(site_dir), *where, "--silent"]
    for selector in EXCLUDED_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


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


def _run_pagefind(site_dir: Path, bundle: Path, output: Path | None = None) -> None:
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
    settle_entry(bundle)
    for name in UNUSED_FILES:
        unused = bundle / name
        if unused.is_file():
            unused.unlink()


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()  # never written through; a folder of that name is the index's
    elif path.is_dir():
        shutil.rmtree(path)


def write_search_index(model, site_dir: Path) -> None:
    """Post-build step: index the rendered site into ``site_dir/pagefind/``."""
    site_dir = Path(site_dir).resolve()
    bundle = site_dir / BUNDLE_DIR
    _remove(bundle)
    _run_pagefind(site_dir, bundle)


def carry_search_index(previous_site: Path, site_dir: Path) -> bool:
    """Give the new site the index of the site it replaces (hard links), to refresh later.

    Only for ``govpub serve``'s own folders, never deployed: the index may lag
    behind the pages until :func:`refresh_search_index` has run. False when
    the previous site has no index (the caller indexes now instead).
    """
    previous = Path(previous_site) / BUNDLE_DIR
    if previous.is_symlink() or not previous.is_dir():
        return False
    bundle = Path(site_dir) / BUNDLE_DIR
    _remove(bundle)
    # regular files only: a link planted in the folder (it is under .govpub/, which a
    # branch can commit) must not make the server hand out a file from elsewhere
    for folder, dirs, files in os.walk(previous):
        here = Path(folder)
        target = bundle / here.relative_to(previous)
        target.mkdir(exist_ok=True)
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        for name in files:
            if stat.S_ISREG(os.lstat(here / name).st_mode):
                os.link(here / name, target / name)
    return True


def refresh_search_index(site_dir: Path) -> None:
    """Index a published site again in place, swapping the new index in when complete.

    For ``govpub serve``: the pages were published first and are being served;
    the index is written beside the site and renamed into it, so a reader
    never loads half an index (a file it asked for may belong to the index
    before; the search page then asks again after a reload).
    """
    site_dir = Path(site_dir).resolve()
    fresh = site_dir.parent / f".{site_dir.name}.pagefind-new"
    stale = site_dir.parent / f".{site_dir.name}.pagefind-old"
    _remove(fresh)
    _remove(stale)
    try:
        _run_pagefind(site_dir, fresh, output=fresh)
        bundle = site_dir / BUNDLE_DIR
        if bundle.exists() or bundle.is_symlink():
            os.rename(bundle, stale)
        os.rename(fresh, bundle)
    finally:
        _remove(fresh)
        _remove(stale)
