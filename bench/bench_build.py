"""Benchmark: the governed `govpub build` against a plain `mkdocs build` of the same pages.

    .venv/bin/python bench/bench_build.py            # 1,000 and 10,000 pages
    .venv/bin/python bench/bench_build.py 500 2000   # other sizes
    .venv/bin/python bench/bench_build.py --repeat 3 # best of 3 (the machine is shared)

For each size, ``bench/corpus.py`` generates a complete, signed-off
repository. The governed build runs every rule, stages the approved files,
generates column indexes, renders with MkDocs + Material and writes the
sitemap and manifest. The plain build renders the same ``content/`` with the
same theme, search plugin and Markdown extensions and a sensible nav (one
entry per column, like the governed build; no hook, no gate).

The figures are of the rebuild of a site whose PDF handouts are already
cached (the first build of a new corpus prints them all and is reported on
its own line). Large sites render in parts on every core (docs/build.md), so
wall time and CPU time tell different stories; both are printed.

Targets (issue 3): governed ≤ 1.15 × plain; 10,000 pages ≤ 12 × 1,000 pages;
average output per page < 100 KB.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BENCH))

from corpus import generate  # noqa: E402
from timing import run_timed  # noqa: E402


def corpus(pages: int) -> Path:
    root = OUT / f"build-corpus-{pages}"
    stamp = root / ".complete"
    if not stamp.exists():
        generate(root, pages, seed=0)
        stamp.write_text("ok\n")
    return root


def _pdf_folder(root: Path, cache_root: Path | None) -> Path | None:
    """The folder of printed PDF handouts govpub uses for ``root`` with the cache folder
    ``cache_root`` (None: the user's, as when GOVPUB_CACHE_DIR is not set)."""
    from govpub.cachedir import ENV, cache_dir_for
    from govpub.handouts import CACHE_KIND

    saved = os.environ.pop(ENV, None)
    try:
        if cache_root is not None:
            os.environ[ENV] = str(cache_root)
        return cache_dir_for(root, CACHE_KIND)
    finally:
        os.environ.pop(ENV, None)
        if saved is not None:
            os.environ[ENV] = saved


#: where govpub kept the printed PDFs inside the repository before December 2026
OLD_PDF_CACHE = ".govpub/cache/handouts"


def _pdf_store(root: Path) -> Path | None:
    """The user's cache folder of the corpus's printed PDFs, given those a corpus made
    before the cache moved out of the repository (hard links: they are the bench's own)."""
    store = _pdf_folder(root, None)
    if store is not None and not any(store.glob("*.pdf")):
        for old in (root / OLD_PDF_CACHE).glob("*.pdf"):
            os.link(old, store / old.name)
    return store


def handouts_printed(root: Path) -> bool:
    """The corpus's PDF handouts are printed (kept in the user's cache folder)."""
    store = _pdf_store(root)
    return store is not None and any(store.glob("*.pdf"))


def share_handouts(corpus_root: Path, root: Path, cache_root: Path) -> None:
    """Let a build of ``root`` with the (empty) cache folder ``cache_root`` find the PDF
    handouts printed for ``corpus_root`` (and keep what it prints there): the figures are
    of a site's rebuild, not of Chromium printing 1,000 PDFs (about 0.15 s each)."""
    store = _pdf_store(corpus_root)
    here = _pdf_folder(root, cache_root)
    if store is None or here is None or here.is_symlink():
        return
    here.rmdir()
    here.symlink_to(store, target_is_directory=True)


def plain_config(root: Path) -> Path:
    """The repository's mkdocs.yml without the govpub hook, nav = first page of each column."""
    config = {"INHERIT": str(REPO / "mkdocs.yml"), "hooks": [],
              "docs_dir": str(root / "content"),
              "theme": {"name": "material", "custom_dir": str(REPO / "src/govpub/theme")}}
    nav = []
    for column in sorted(p for p in (root / "content").iterdir() if p.is_dir()):
        pages = sorted(column.glob("*.md"))
        if pages:
            nav.append({column.name: f"{column.name}/{pages[0].name}"})
    config["nav"] = nav
    path = root / "mkdocs-plain.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one command (bench/timing.py)."""
    run = run_timed(args, cwd=cwd, extra_env={"NO_MKDOCS_2_WARNING": "1"})
    return run.wall, run.cpu


def output_stats(site: Path) -> tuple[int, int]:
    """(number of HTML pages, total bytes of the site folder)."""
    pages, total = 0, 0
    for folder, _dirs, files in os.walk(site):
        for name in files:
            total += os.path.getsize(os.path.join(folder, name))
            pages += name == "index.html"
    return pages, total


def measure(pages: int, repeat: int) -> dict:
    """Best of ``repeat`` alternating runs (the machine is shared: the minimum is the signal)."""
    root = corpus(pages)
    governed_site = OUT / f"build-site-{pages}"
    plain_site = OUT / f"plain-site-{pages}"
    plain_times, governed_times = [], []
    if not handouts_printed(root):
        # The first build of a site prints every PDF handout (Chromium, cached by content
        # afterwards); any later build, like a site's daily rebuild, reuses them.
        shutil.rmtree(governed_site, ignore_errors=True)
        first = timed([str(BIN / "govpub"), "--root", str(root), "build", "--site-dir",
                       str(governed_site)], root)
        print(f"{pages:>6} pages: first govpub build, printing every PDF handout: "
              f"{first[0]:.1f} s wall (not counted below)", flush=True)
    for _ in range(repeat):
        for site in (governed_site, plain_site):  # both start from an empty output folder
            shutil.rmtree(site, ignore_errors=True)
        plain_times.append(timed([str(BIN / "mkdocs"), "build", "-q", "-f",
                                  str(plain_config(root)), "-d", str(plain_site)], root))
        governed_times.append(timed([str(BIN / "govpub"), "--root", str(root), "build",
                                     "--site-dir", str(governed_site)], root))
    html_pages, total = output_stats(governed_site)
    return {"pages": pages,
            "governed": min(t[0] for t in governed_times), "plain": min(t[0] for t in plain_times),
            "governed_cpu": min(t[1] for t in governed_times),
            "plain_cpu": min(t[1] for t in plain_times),
            "html_pages": html_pages, "bytes_per_page": total / max(html_pages, 1)}


def main(sizes: list[int], repeat: int) -> None:
    OUT.mkdir(exist_ok=True)
    results = []
    for pages in sizes:
        r = measure(pages, repeat)
        results.append(r)
        print(f"{r['pages']:>6} pages: govpub build {r['governed']:7.1f} s wall "
              f"{r['governed_cpu']:7.1f} s CPU · plain mkdocs {r['plain']:7.1f} s wall "
              f"{r['plain_cpu']:7.1f} s CPU · ratio {r['governed'] / r['plain']:.3f} wall, "
              f"{r['governed_cpu'] / r['plain_cpu']:.3f} CPU (target ≤ 1.15) · "
              f"{r['html_pages']} HTML pages, {r['bytes_per_page'] / 1024:.1f} KB per page "
              f"(target < 100 KB)", flush=True)
    if len(results) >= 2:
        small, large = results[0], results[-1]
        factor = large["pages"] / small["pages"]
        growth = large["governed"] / small["governed"]
        growth_cpu = large["governed_cpu"] / small["governed_cpu"]
        print(f"linearity: {large['pages']} pages took {growth:.2f}× the wall time and "
              f"{growth_cpu:.2f}× the CPU time of {small['pages']} "
              f"(pages ×{factor:.0f}; target ≤ {factor * 1.2:.0f}×)")


if __name__ == "__main__":
    args = sys.argv[1:]
    repeat = 1
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = int(args[at + 1])
        del args[at:at + 2]
    main([int(a) for a in args] or [1_000, 10_000], repeat)
