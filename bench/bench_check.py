"""Benchmark: the whole `govpub check` process on a generated corpus.

Usage: python bench/bench_check.py [PAGES] [--corpus DIR]   (default 10,000)

``--corpus DIR``: check that existing repository (e.g. a copy of
``bench/out/build-corpus-10000``) instead of generating one (the check and
the touched run write into it: use a copy of your own).

Prints pages per second end to end (process start to exit, as a user or CI
sees it), peak memory, and the ratio to a plain python-frontmatter parse of
the same files. Targets (issue 2): at least 4,000 pages/s, under 500 MB.

The runs (issue 17, the check cache of govpub.checkcache):

- cold: an empty cache folder (``GOVPUB_CACHE_DIR``), as in CI's fresh clone;
  target ≥ 5,000 pages/s. The cache is written on the way.
- warm: the same tree checked again with the cache the cold run left;
  target < 0.5 s at 10,000 pages. Nothing the check reads has changed, so
  the kept verdict is given back (govpub.verdicts; a verdict is kept only for
  a tree unchanged for two seconds before the check began, so each series
  starts two seconds after the last one touched a page).
- filling: one page written again (same bytes, a new change time), then
  checked: the kept verdict no longer applies, and this second check that
  runs fills the per-file cache (govpub.checkcache fills it from the second
  check on: the cold run, which may be CI's only one, does not pay for it);
- touched: the same again: the per-file cache spares the loading of every
  page — the cost of a check after an edit.

Wall time and CPU time (user + system of the process and its workers) are
printed: on a shared machine CPU time is the steadier signal.

``--compiled``: run govpub from bytecode compiled ahead (``compileall``, beside
the sources), as an installed package runs and as ``make setup`` leaves it.
Without it (and without ``make setup`` since the last edit), an environment
that sets ``PYTHONDONTWRITEBYTECODE`` (the development machines of this project
do) compiles every govpub module from source in every run, in the check's
serial start.
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import frontmatter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate
from timing import run_timed

OUT = Path(__file__).resolve().parent / "out"
GOVPUB = [sys.executable, "-m", "govpub"]


def plain_parse_seconds(content: Path) -> tuple[float, int]:
    files = sorted(content.rglob("*.md"))
    start = time.perf_counter()
    for path in files:
        frontmatter.loads(path.read_text(encoding="utf-8"))
    return time.perf_counter() - start, len(files)


def compiled_bytecode() -> None:
    """Compile govpub's modules ahead, beside their sources (``__pycache__``, ignored by
    git), as an installed package has them (see --compiled). The other packages have
    theirs already."""
    import compileall
    import importlib.util

    compileall.compile_dir(Path(importlib.util.find_spec("govpub").origin).parent, quiet=1)


def _one_check(root: Path, cache: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, exit code) of one `govpub check` process."""
    run = run_timed([*GOVPUB, "--root", str(root), "check", "--now", "2026-11-28T12:00"],
                    extra_env={"GOVPUB_CACHE_DIR": str(cache)}, ok=(0, 1))
    return run.wall, run.cpu, run.proc.returncode


def _touch(root: Path) -> None:
    page = next((root / "content").rglob("*.md"))
    page.write_bytes(page.read_bytes())


def check_seconds(root: Path, runs: int = 3) -> dict:
    """Median cold, warm, filling and touched runs, each series with a new empty cache."""
    cold, warm, filling, touched = [], [], [], []
    code = 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="govpub-bench-cache-") as cache:
            # a verdict is kept only for a tree unchanged for two seconds before the check
            # began (govpub.verdicts.RACY_NS): the last series touched a page just now
            time.sleep(2.1)
            cold.append(_one_check(root, Path(cache)))
            warm.append(_one_check(root, Path(cache)))
            _touch(root)
            filling.append(_one_check(root, Path(cache)))
            _touch(root)
            touched.append(_one_check(root, Path(cache)))
            code = cold[-1][2]
            if {warm[-1][2], filling[-1][2], touched[-1][2]} != {code}:
                sys.exit("a later check decided differently from the cold one")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {"peak_mb": peak_mb, "code": code}
    for name, series in (("cold", cold), ("warm", warm), ("filling", filling),
                         ("touched", touched)):
        result[name] = statistics.median(r[0] for r in series)
        result[f"{name}_cpu"] = statistics.median(r[1] for r in series)
    return result


def main() -> None:
    args = sys.argv[1:]
    compiled = "--compiled" in args
    if compiled:
        args.remove("--compiled")
        compiled_bytecode()
    corpus = None
    if "--corpus" in args:
        at = args.index("--corpus")
        corpus = Path(args[at + 1]).resolve()
        del args[at:at + 2]
    pages = int(args[0]) if args else 10_000
    root = corpus or OUT / f"corpus-{pages}"
    if corpus is None:
        generate(root, pages)
    parse_s, page_files = plain_parse_seconds(root / "content")
    total_files = sum(1 for p in (root / "content").rglob("*") if p.is_file())
    r = check_seconds(root)
    check_s, peak_mb, code = r["cold"], r["peak_mb"], r["code"]
    plain_rate = page_files / parse_s
    rate = page_files / check_s
    print(f"corpus: {page_files} pages, {total_files} files, {root}")
    if compiled:
        print("govpub run from bytecode compiled ahead (--compiled)")
    print(f"plain python-frontmatter parse (1 core): {parse_s:.2f} s = {plain_rate:,.0f} pages/s")
    print(f"govpub check, cold (empty cache; whole process, median of 3): {check_s:.2f} s wall "
          f"{r['cold_cpu']:.2f} s CPU = {rate:,.0f} pages/s  [exit {code}]")
    print(f"govpub check, warm (unchanged tree, median of 3): {r['warm']:.2f} s wall "
          f"{r['warm_cpu']:.2f} s CPU = {page_files / r['warm']:,.0f} pages/s; "
          f"warm / cold: {r['warm'] / check_s:.2f} wall, {r['warm_cpu'] / r['cold_cpu']:.2f} CPU")
    print(f"govpub check, one page touched, the next check to run (fills the per-file "
          f"cache; median of 3): {r['filling']:.2f} s wall {r['filling_cpu']:.2f} s CPU")
    print(f"govpub check, one page touched again (the cache filled; median of 3): "
          f"{r['touched']:.2f} s wall {r['touched_cpu']:.2f} s CPU")
    print(f"ratio govpub check (cold) / plain parse (time): {check_s / parse_s:.2f}x")
    print(f"peak memory of govpub check: {peak_mb:.0f} MB")
    print(f"targets: cold >= 5,000 pages/s -> {'OK' if rate >= 5000 else 'MISSED'}; "
          f"warm < 0.5 s -> {'OK' if r['warm'] < 0.5 else 'MISSED'}; "
          f"< 500 MB -> {'OK' if peak_mb < 500 else 'MISSED'}")


if __name__ == "__main__":
    main()
