"""``govpub serve``: the post-build steps that no page shows, run once the pages are served.

At 10,000 pages the steps after the render took 0.7–0.9 s of a one-page
rebuild's 2.4–2.9 s, and an edit could not show before they ended: the
sitemap, the open data (1,012 files made from the whole site model), the
feeds, the PDF handouts (Chromium is started when an item changed) and the
check of the rendered links. No page's HTML includes what they write; they
write files beside the pages, or only report.

So when serve rebuilds after a change that keeps every page it published,
those steps (marked :func:`govpub.build.postbuild.follows_pages`) are left
for later (:class:`AfterPages`): the new site takes the files they wrote for
the site it replaces as they are (hard links, :func:`carry`; regular files
only, a link planted there is not followed), its pages are served, and then
the steps run into a scratch folder and each file that differs replaces the
served one in a single rename (:meth:`AfterPages.write`: a reader gets the
old file or the new, never half of one); a carried file the steps no longer
write is removed. The link check then reads the site as served
(:meth:`AfterPages.check`). For those moments the open data and the feeds
can lag behind the pages, as the search index does; serve's folder is never
deployed (``govpub.build.publish.SERVE_MARKER``).

When a page that was published is gone (deleted, taken back by its
sign-off, held back), nothing is left for later: the steps run before the
swap, as in ``govpub build``, so that no list, feed or sitemap of the new
site names it. So too after a render of every page (a new template,
configuration or navigation): such a rebuild is a build's in all but the search.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..filetree import file_stat, remove
from ..opendata.records import HANDOUT_NAME
from .postbuild import run_step

#: the files the steps write beside the pages: these folders, these files at the top, and
#: a handout in a page's folder
CARRIED_FOLDERS = ("api", "feeds")
CARRIED_FILES = ("sitemap.xml", "sitemap.xml.gz", "data.json")
#: the name a carried file is linked under before it replaces the render's
CARRY_SUFFIX = ".govpub-carried"


def pages_gone(delta, site_dir: Path) -> bool:
    """Whether an HTML page the site before published is not in the new one (``site_dir``,
    rendered): a page deleted, taken back or held back; True when that cannot be told (no
    render record of the site before, or none of this render). A render of every page tells
    as well as one of a few: the record lists every file of the site before."""
    outcome = getattr(delta, "outcome", None)
    if outcome is None or delta.previous_site is None:
        return True
    published = {page.dest for page in outcome.pages.values()}
    return any(rel.endswith((".html", ".htm")) and rel not in published
               and not os.path.lexists(os.path.join(site_dir, rel))
               for rel in delta.previous_files)


@dataclass
class AfterPages:
    """Post-build steps left until the new site is served, and the files carried for them."""

    steps: list = field(default_factory=list)
    #: site paths linked from the site replaced (what the steps wrote for it)
    carried: set[str] = field(default_factory=set)

    def write(self, model, site_dir: Path, delta) -> None:
        """Run the steps that write files, into a scratch folder beside ``site_dir``; put
        each file that is not the one served in its place, remove the carried files they
        no longer write. The steps link an unchanged file from the site served (where the
        carried files are the very files the last build recorded)."""
        site_dir = Path(site_dir)
        scratch = site_dir.with_name(f".{site_dir.name}.govpub-after-pages")
        if os.path.lexists(scratch):
            remove(scratch)  # left by a serve that was stopped meanwhile
        scratch.mkdir()
        try:
            here = replace(delta, previous_site=site_dir) if delta is not None else None
            for step in self.steps:
                if not getattr(step, "reads_html_only", False):
                    run_step(step, model, scratch, here)
            written = _files(scratch)
            for rel in sorted(written):
                source, target = scratch / rel, site_dir / rel
                if file_stat(target) == file_stat(source):
                    continue  # linked from the site served: the same file
                target.parent.mkdir(parents=True, exist_ok=True)
                if os.path.isdir(target) and not os.path.islink(target):
                    remove(target)  # a folder where a file goes: os.replace cannot
                os.replace(source, target)
            for rel in sorted(self.carried - written):
                remove(site_dir / rel)
        finally:
            remove(scratch)

    def check(self, model, site_dir: Path, delta) -> None:
        """Run the steps that only read the site (the link check), on the site as served."""
        for step in self.steps:
            if getattr(step, "reads_html_only", False):
                run_step(step, model, site_dir, delta)


def carry(previous_site: Path, site_dir: Path, model) -> set[str]:
    """Link into ``site_dir`` what the steps wrote in ``previous_site``: the files of
    :data:`CARRIED_FOLDERS` and :data:`CARRIED_FILES`, and each page's handout whose
    folder the new site has. Regular files only (a link or anything else found there is
    not carried, nor ever followed). A file the render wrote at such a path is one the
    steps write over (the theme's sitemap template, copied as it is): the carried file
    takes its place, in one rename. The site paths linked."""
    from ..handouts import handout_path
    from ..opendata.records import service_items

    previous, site = os.fspath(previous_site), os.fspath(site_dir)
    wanted = [rel for rel in CARRIED_FILES if _is_regular(os.path.join(previous, rel))]
    for folder in CARRIED_FOLDERS:
        wanted += _regular_files(os.path.join(previous, folder), folder + "/")
    wanted += [rel for rel in map(handout_path, service_items(model))
               if _is_regular(os.path.join(previous, rel))]
    carried = set()
    for rel in wanted:
        source, target = os.path.join(previous, rel), os.path.join(site, rel)
        try:
            try:
                os.link(source, target, follow_symlinks=False)
            except FileNotFoundError:
                if rel.endswith("/" + HANDOUT_NAME):
                    continue  # its page is not in the new site
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.link(source, target, follow_symlinks=False)
            except FileExistsError:
                if not os.path.isfile(target) or os.path.islink(target):
                    continue
                os.link(source, target + CARRY_SUFFIX, follow_symlinks=False)
                os.replace(target + CARRY_SUFFIX, target)
        except OSError:
            continue  # gone meanwhile
        carried.add(rel)
    return carried


def _is_regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _regular_files(folder: str, prefix: str) -> list[str]:
    """Site paths of the regular files under ``folder`` (links are not followed)."""
    found = []
    pending = [(prefix, folder)]
    while pending:
        at, path = pending.pop()
        try:
            entries = os.scandir(path)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((at + entry.name + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    found.append(at + entry.name)
    return found


def _files(folder: Path) -> set[str]:
    return set(_regular_files(os.fspath(folder), ""))


__all__ = ["CARRIED_FILES", "CARRIED_FOLDERS", "AfterPages", "carry", "pages_gone"]
