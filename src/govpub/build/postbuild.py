"""Post-build steps: run on the temporary site folder, before it replaces the old site.

Extension point: :data:`POST_BUILD` is a list of functions
``(model: SiteModel, site_dir: Path) -> None``. Other parts of govpub add
theirs (open data, feeds, the signed manifest)::

    from govpub.build.postbuild import POST_BUILD
    POST_BUILD.append(write_open_data)

Steps run in list order; a step that writes a digest of the whole site (the
manifest) must stay last. A step raising an exception fails the build and
the previous site stays in place.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from ..feeds import write_feeds
from ..handouts import write_handouts
from ..opendata import write_open_data
from ..sitemodel import SiteModel
from .generated import generated_urls

PostBuildStep = Callable[[SiteModel, Path], None]


def sitemap_xml(model: SiteModel) -> str:
    """sitemap.xml from the model: approved pages and generated indexes, absolute URLs."""
    entries: dict[str, str | None] = {}
    for url in generated_urls(model):
        entries[url] = None
    for page in sorted(model.pages, key=lambda p: p.url):
        entries[page.url] = page.modified.astimezone(model.policy.timezone).date().isoformat()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in sorted(entries):
        lastmod = f"<lastmod>{entries[url]}</lastmod>" if entries[url] else ""
        lines.append(f"  <url><loc>{escape(model.absolute(url))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(model: SiteModel, site_dir: Path) -> None:
    data = sitemap_xml(model).encode("utf-8")
    (site_dir / "sitemap.xml").write_bytes(data)
    # MkDocs writes a gzipped copy of its own sitemap; keep the two identical.
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(data, mtime=0))


def _manifest_files(site_dir: Path) -> dict[str, str]:
    files = {}
    for folder, _dirs, names in os.walk(site_dir):
        for name in names:
            path = Path(folder) / name
            rel = path.relative_to(site_dir).as_posix()
            if rel == "manifest.json":
                continue
            files[rel] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(files.items()))


def write_manifest(model: SiteModel, site_dir: Path) -> None:
    """manifest.json: SHA-256 of every file (the signed one of govpub.integrity replaces this)."""
    try:
        from govpub.integrity.manifest import write_manifest as signed
    except ImportError:
        signed = None
    if signed is not None:
        signed(site_dir, key=None)
        return
    data = {"version": 1, "files": _manifest_files(site_dir)}
    (site_dir / "manifest.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


#: Post-build steps in order; keep write_manifest last.
POST_BUILD: list[PostBuildStep] = [write_sitemap, write_manifest]
POST_BUILD[-1:-1] = [write_open_data, write_feeds, write_handouts]  # issue 7 (manifest stays last)


def run_post_build(model: SiteModel, site_dir: Path) -> None:
    for step in POST_BUILD:
        step(model, site_dir)
