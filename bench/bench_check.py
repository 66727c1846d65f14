"""Benchmark: the whole `govpub check` process on a generated corpus.

Usage: python bench/bench_check.py [PAGES]   (default 10,000)

Prints pages per second end to end (process start to exit, as a user or CI
sees it), peak memory, and the ratio to a plain python-frontmatter parse of
the same files. Targets (issue 2): at least 4,000 pages/s, under 500 MB.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import frontmatter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

OUT = Path(__file__).resolve().parent / "out"
GOVPUB = [sys.executable, "-m", "govpub"]


def plain_parse_seconds(content: Path) -> tuple[float, int]:
    files = sorted(content.rglob("*.md"))
    start = time.perf_counter()
    for path in files:
        frontmatter.loads(path.read_text(encoding="utf-8"))
    return time.perf_counter() - start, len(files)


def check_seconds(root: Path, runs: int = 3) -> tuple[float, float, int]:
    times = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([*GOVPUB, "--root", str(root), "check", "--now",
                               "2026-11-28T12:00"], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        code = proc.returncode
        if code not in (0, 1):
            sys.exit(f"govpub check failed: {proc.stderr}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), peak_mb, code


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    root = OUT / f"corpus-{pages}"
    generate(root, pages)
    parse_s, page_files = plain_parse_seconds(root / "content")
    total_files = sum(1 for p in (root / "content").rglob("*") if p.is_file())
    check_s, peak_mb, code = check_seconds(root)
    plain_rate = page_files / parse_s
    rate = page_files / check_s
    print(f"corpus: {page_files} pages, {total_files} files, {root}")
    print(f"plain python-frontmatter parse (1 core): {parse_s:.2f} s = {plain_rate:,.0f} pages/s")
    print(f"govpub check (whole process, median of 3): {check_s:.2f} s = {rate:,.0f} pages/s"
          f"  [exit {code}]")
    print(f"ratio govpub check / plain parse (time): {check_s / parse_s:.2f}x")
    print(f"peak memory of govpub check: {peak_mb:.0f} MB")
    print(f"targets: >= 4,000 pages/s -> {'OK' if rate >= 4000 else 'MISSED'}; "
          f"< 500 MB -> {'OK' if peak_mb < 500 else 'MISSED'}")


if __name__ == "__main__":
    main()
