"""Benchmark: the check of `govpub serve`'s rebuild after one edit, with what serve kept.

    .venv/bin/python bench/bench_check_kept.py [PAGES] [--corpus DIR] [--edits N] [--profile FILE]

In this process, as serve's rebuild runs it (``check_repository(..., keep=True)``,
the check cache in a temporary folder): one check with an empty cache (serve's
first build), then ``--edits`` times one notice's text changed and signed off
(``bench_incremental.change_text``) and the tree checked again. Each edit's
check prints its wall time, its CPU time (user + system of this process and its
worker processes) and the load average. The check alone: ``bench_stages.py
--serve-only`` times it inside the whole rebuild (~90 s first build).

``--corpus DIR``: a copy of your own of ``bench/out/build-corpus-10000`` (the
edits are written into it). Issue 17's serve target is an edit served within
2 s in total: the check's part should be a few hundred ms.

Run with another ``PYTHONPATH`` to compare two versions of govpub, interleaved;
a version without kept state (no ``keep`` argument) runs the check as before.
"""

from __future__ import annotations

import cProfile
import inspect
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def cpu_seconds() -> float:
    own = os.times()
    return own.user + own.system + own.children_user + own.children_system


def main() -> None:
    args = sys.argv[1:]
    edits, corpus_dir, profile = 3, None, None
    if "--profile" in args:  # a cProfile of the last edit's check
        at = args.index("--profile")
        profile = args[at + 1]
        del args[at:at + 2]
    if "--edits" in args:
        at = args.index("--edits")
        edits = int(args[at + 1])
        del args[at:at + 2]
    if "--corpus" in args:
        at = args.index("--corpus")
        corpus_dir = Path(args[at + 1]).resolve()
        del args[at:at + 2]
    if corpus_dir is None:
        from bench_build import corpus
        corpus_dir = corpus(int(args[0]) if args else 10_000)
    from bench_incremental import a_notice, change_text

    with tempfile.TemporaryDirectory(prefix="govpub-bench-kept-") as cache:
        os.environ["GOVPUB_CACHE_DIR"] = cache
        os.environ.setdefault("GOVPUB_LANG", "en")
        from govpub import checker
        from govpub.config import load_policy
        from govpub.timeparse import parse_now

        kept = "keep" in inspect.signature(checker.check_repository).parameters
        extra = {"keep": True} if kept else {}

        def check(profiler=None) -> tuple[float, float, int]:
            policy = load_policy(corpus_dir)  # (serve's "load" stage, not the check's)
            now = parse_now(None, policy.timezone)
            if profiler:
                profiler.enable()
            start, cpu = time.perf_counter(), cpu_seconds()
            result = checker.check_repository(policy, now, **extra)
            if profiler:
                profiler.disable()
                profiler.dump_stats(profile)
            return time.perf_counter() - start, cpu_seconds() - cpu, len(result.findings)

        wall, cpu, found = check()
        print(f"{checker.__file__}: kept state {'yes' if kept else 'no'}; first check "
              f"(empty cache) {wall:.2f} s, {found} findings", flush=True)
        rel = a_notice(corpus_dir)
        for edit in range(edits):
            change_text(corpus_dir, rel, f"kept-{edit}-{time.time_ns()}")
            last = profile and edit == edits - 1
            wall, cpu, found = check(cProfile.Profile() if last else None)
            print(f"edit {edit + 1}: check {wall:.2f} s wall, {cpu:.2f} s CPU, {found} findings "
                  f"(load average {os.getloadavg()[0]:.1f}, "
                  f"{time.strftime('%H:%M:%S', time.gmtime())} UTC)", flush=True)


if __name__ == "__main__":  # (multiprocessing's fork server imports this file again)
    main()
