"""Benchmark: open data + feeds against the whole build, and PDF handouts.

Usage: python bench/bench_opendata.py [PAGES] [HANDOUTS]   (defaults 10,000 and 100)

1. Builds the generated corpus (bench/corpus.py) with ``govpub build`` run
   in-process, timing the open-data and feed post-build steps inside it
   (handouts are left out of this build: they are measured on their own).
   Target (issue 7): open data + feeds add under 10% to the build.
2. Prints HANDOUTS PDF handouts with Chromium: a cold cache, a warm cache
   (nothing changed) and one changed item. Target: under 60 s, or incremental.
3. Compares Chromium's print-to-PDF with WeasyPrint on the same handout
   HTML, when WeasyPrint is importable here or GOVPUB_BENCH_WEASYPRINT_PYTHON
   names a Python that has it (WeasyPrint is not a govpub dependency).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

from govpub.build import postbuild
from govpub.build.pipeline import BuildOptions, run_build
from govpub.feeds import feed_files, write_feeds
from govpub.handouts import plan, write_handouts
from govpub.handouts.chromium import Job, find_chromium, render_pdfs
from govpub.handouts.document import render_handout
from govpub.opendata import open_data_files, write_open_data

OUT = Path(__file__).resolve().parent / "out"
NOW = "2026-11-28T12:00"
COMPARE_ITEMS = 10

WEASYPRINT_SCRIPT = r"""
import json, resource, sys, time
from pathlib import Path
import weasyprint
files = sorted(Path(sys.argv[1]).glob("*.html"))
start = time.perf_counter()
for f in files:
    weasyprint.HTML(filename=str(f)).write_pdf(str(f.with_suffix(".weasy.pdf")))
print(json.dumps({"seconds": time.perf_counter() - start, "count": len(files),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def corpus(pages: int) -> Path:
    root = OUT / f"corpus-{pages}"
    if not (root / "site_config").is_dir():
        print(f"generating a {pages}-page corpus in {root} …", flush=True)
        generate(root, pages=pages)
    return root


def timed_build(root: Path) -> tuple[float, dict[str, float], object]:
    """One in-process build without handouts; seconds spent in each of our steps."""
    spent = {"open data": 0.0, "feeds": 0.0}

    def timed(name, step):
        def run(model, site_dir):
            start = time.perf_counter()
            step(model, site_dir)
            spent[name] += time.perf_counter() - start
        return run

    saved = list(postbuild.POST_BUILD)
    steps = []
    for step in saved:
        if step is write_handouts:
            continue
        if step is write_open_data:
            step = timed("open data", step)
        elif step is write_feeds:
            step = timed("feeds", step)
        steps.append(step)
    postbuild.POST_BUILD[:] = steps
    site = Path(tempfile.mkdtemp(prefix="govpub-bench-site-"))
    try:
        start = time.perf_counter()
        state = run_build(BuildOptions(root=root, site_dir=site / "site", now_text=NOW,
                                       echo=lambda _line: None))
        total = time.perf_counter() - start
    finally:
        postbuild.POST_BUILD[:] = saved
        shutil.rmtree(site, ignore_errors=True)
    return total, spent, state.model


def median_seconds(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def handouts(model, count: int) -> None:
    from govpub.sitemodel import SiteModel

    items = [p for p in model.pages if p.type == "service-item"][:count]
    others = [p for p in model.pages if p.type != "service-item"]
    small = SiteModel(policy=model.policy, now=model.now, pages=items + others,
                      attachments=model.attachments)
    with tempfile.TemporaryDirectory(prefix="govpub-bench-handouts-") as tmp:
        cache, site = Path(tmp) / "cache", Path(tmp) / "site"
        start = time.perf_counter()
        cold = write_handouts(small, site, cache_dir=cache)
        cold_s = time.perf_counter() - start
        start = time.perf_counter()
        warm = write_handouts(small, site, cache_dir=cache)
        warm_s = time.perf_counter() - start
        next(iter(sorted(cache.glob("*.pdf")))).unlink()  # one item changed
        start = time.perf_counter()
        one = write_handouts(small, site, cache_dir=cache)
        one_s = time.perf_counter() - start
        sizes = [p.stat().st_size for p in site.rglob("handout.pdf")]
    print(f"handouts, {len(items)} items, Chromium, {os.cpu_count()} workers:")
    print(f"  cold cache     {cold_s:7.1f} s  ({cold_s / max(1, cold['printed']):.2f} s per item, "
          f"printed {cold['printed']})")
    print(f"  warm cache     {warm_s:7.2f} s  (printed {warm['printed']}, reused {warm['cached']})")
    print(f"  one changed    {one_s:7.2f} s  (printed {one['printed']})")
    print(f"  PDF size       median {statistics.median(sizes) / 1024:.0f} KiB")
    print(f"  target < 60 s cold: {'met' if cold_s < 60 else 'NOT met'}; incremental: "
          f"{'yes' if warm['printed'] == 0 and one['printed'] == 1 else 'no'}")


def compare_engines(model) -> None:
    jobs = plan(model)[:COMPARE_ITEMS]
    binary = find_chromium()
    weasy_python = os.environ.get("GOVPUB_BENCH_WEASYPRINT_PYTHON")
    if weasy_python is None:
        try:
            import weasyprint  # noqa: F401
            weasy_python = sys.executable
        except ImportError:
            pass
    with tempfile.TemporaryDirectory(prefix="govpub-bench-engines-") as tmp:
        for page, source, _key in jobs:
            (Path(tmp) / f"{page.url.strip('/').replace('/', '_')}.html").write_text(
                render_handout(source), encoding="utf-8")
        print(f"engines, the same {len(jobs)} handouts, one at a time:")
        if binary:
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            start = time.perf_counter()
            render_pdfs(binary, [Job(render_handout(source), Path(tmp) / f"c{i}.pdf", page.modified)
                                 for i, (page, source, _k) in enumerate(jobs)], workers=1)
            chromium_s = time.perf_counter() - start
            peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
            size = statistics.median(p.stat().st_size for p in Path(tmp).glob("c*.pdf"))
            print(f"  Chromium    {chromium_s / len(jobs):6.2f} s per PDF, peak {peak:.0f} MB, "
                  f"median {size / 1024:.0f} KiB")
        else:
            print("  Chromium    not installed")
        if weasy_python:
            proc = subprocess.run([weasy_python, "-c", WEASYPRINT_SCRIPT, tmp],
                                  capture_output=True, text=True)
            if proc.returncode == 0:
                data = json.loads(proc.stdout.strip().splitlines()[-1])
                size = statistics.median(p.stat().st_size for p in Path(tmp).glob("*.weasy.pdf"))
                print(f"  WeasyPrint  {data['seconds'] / data['count']:6.2f} s per PDF, "
                      f"peak {data['peak_mb']:.0f} MB, median {size / 1024:.0f} KiB")
            else:
                print(f"  WeasyPrint  failed: {proc.stderr.strip().splitlines()[-1:]}")
        else:
            print("  WeasyPrint  not available (set GOVPUB_BENCH_WEASYPRINT_PYTHON)")


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    root = corpus(pages)
    total, spent, model = timed_build(root)
    ours = spent["open data"] + spent["feeds"]
    rest = total - ours
    print(f"build of {pages} pages ({len(model.pages)} published, "
          f"{sum(p.type == 'service-item' for p in model.pages)} service items), handouts off:")
    print(f"  whole build    {total:7.1f} s")
    print(f"  open data      {spent['open data']:7.2f} s (writing included)")
    print(f"  feeds          {spent['feeds']:7.2f} s")
    print(f"  share          {ours / rest:7.1%} added to the rest of the build (target < 10%)")
    od = median_seconds(lambda: open_data_files(model))
    fd = median_seconds(lambda: feed_files(model))
    print(f"  in memory      open data {od:.2f} s, feeds {fd:.2f} s (median of 3)")
    handouts(model, count)
    compare_engines(model)


if __name__ == "__main__":
    main()
