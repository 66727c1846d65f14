"""Post-build steps: run on the temporary site folder, before it replaces the old site.

Extension point: :data:`POST_BUILD` is a list of functions
``(model: SiteModel, site_dir: Path) -> None``. Other parts of govpub add
theirs (open data, feeds, the signed manifest)::

    from govpub.build.postbuild import POST_BUILD
    POST_BUILD.append(write_open_data)

Steps run in list order; a step that writes a digest of the whole site (the
manifest) must stay last. A step marked with :func:`reads_html_only` runs
in a thread beside the steps after it (the link check waits on lychee while
the manifest is hashed); steps after it must not write HTML. A step raising
an exception fails the build and the previous site stays in place.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.sax.saxutils import escape

from ..errors import BuildError
from ..feeds import write_feeds
from ..handouts import write_handouts
from ..integrity.linkcheck import check_site_links
from ..integrity.manifest import signing_key_for
from ..integrity.manifest import write_manifest as signed_manifest
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


def reads_html_only(step: PostBuildStep) -> PostBuildStep:
    """Mark a step that only reads the site's HTML: it may run beside later steps."""
    step.reads_html_only = True  # type: ignore[attr-defined]
    return step


@reads_html_only
def check_links(model: SiteModel, site_dir: Path) -> None:
    """Fail the build on a broken internal link or anchor in the rendered site.

    The rules check links between content files before the build; this
    catches what only exists after rendering (generated pages, theme links).
    lychee, offline: see govpub.integrity.linkcheck for why not linkchecker.
    """
    broken = check_site_links(site_dir)
    if broken:
        first = broken[0]
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        raise BuildError(f"broken link in the built site: {first.source}: {first.url} "
                         f"({first.reason}){more}", hint="the previous site is unchanged")


def write_manifest(model: SiteModel, site_dir: Path) -> None:
    """manifest.json with the SHA-256 of every file, signed when a key is configured."""
    signed_manifest(site_dir, key=signing_key_for(model.policy))


#: Post-build steps in order; keep write_manifest last.
POST_BUILD: list[PostBuildStep] = [write_sitemap, write_open_data, write_feeds, write_handouts,
                                   check_links, write_manifest]


def run_post_build(model: SiteModel, site_dir: Path) -> None:
    with ThreadPoolExecutor(thread_name_prefix="post-build") as beside:
        running = []
        for step in POST_BUILD:
            if getattr(step, "reads_html_only", False):
                running.append(beside.submit(step, model, site_dir))
            else:
                step(model, site_dir)
    for future in running:  # the pool has waited for them; a failure is re-raised here
        future.result()
