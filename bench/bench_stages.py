"""Benchmark: where a one-page rebuild's time goes, stage by stage (build and serve).

    .venv/bin/python bench/bench_stages.py                 # 10,000 pages, build and serve
    .venv/bin/python bench/bench_stages.py 1000 --edits 3  # other sizes, more edits
    .venv/bin/python bench/bench_stages.py --serve-only    # or --build-only
    .venv/bin/python bench/bench_stages.py --profile DIR   # also a cProfile per stage
    .venv/bin/python bench/bench_stages.py --back-to-back  # serve: edit at once, not waiting

In this process, on a copy of the corpus of ``bench/corpus.py`` (made in a
temporary folder, so ``bench/out`` is not changed): a full build first, with
an empty cache (not timed by stage), then ``--edits`` times one notice's
text changed and signed off and the site built again, each stage of the
pipeline timed (``govpub.build.pipeline``: load, check, gate, stage, render,
post-build, publish). ``build`` is ``govpub build`` into a site folder;
``serve`` is one rebuild as ``govpub serve``'s watcher runs it
(``rebuild_once``: the pages published first, the search index updated
after, timed as "search"); then the bench waits until serve has prepared
the next site (``govpub.build.prepared``, timed as "next site prepared"),
as an editor's next save comes later than that; ``--back-to-back`` edits at
once, and the next rebuild takes the folder half made. The serve row leaves
out what the watcher adds before a rebuild starts (its quiet of 0.2 s and
one look at the tree);
``bench_incremental.py --serve`` measures an edit until the server returns
it. What runs in worker processes (the check's, the render's parts, the
search index's) is in the stage's wall time; CPU time is printed for each
stage, in brackets, and for the whole rebuild: this process and its children
(not the fork server's workers: see ``bench/timing.py``). On a busy machine
the CPU times are the steadier figures.

Issue 17's targets at 10,000 pages: a one-page rebuild in ≤ 10 % of a full
build's wall time (``bench_incremental.py`` measures both); an edit served
within 2 s.
"""

from __future__ import annotations

import cProfile
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

STAGES = ("load", "check", "gate", "stage", "render", "post-build", "publish")


def cpu_seconds() -> float:
    own, children = os.times(), os.times()
    return own.user + own.system + children.children_user + children.children_system


def timed_stages(timings: dict[str, float], profile_dir: Path | None, label: str):
    """The pipeline's stages, each timed into ``timings`` (and profiled, if asked)."""
    from govpub.build import pipeline

    wrapped = []
    for stage in pipeline.default_stages():
        def run(state, _run=stage.run, _name=stage.name):
            profiler = cProfile.Profile() if profile_dir else None
            start, cpu = time.perf_counter(), cpu_seconds()
            if profiler:
                profiler.enable()
            try:
                _run(state)
            finally:
                if profiler:
                    profiler.disable()
                    profiler.dump_stats(profile_dir / f"{label}-{_name}.prof")
                timings[_name] = time.perf_counter() - start
                timings[f"{_name} cpu"] = cpu_seconds() - cpu
        wrapped.append(pipeline.Stage(stage.name, run))
    return wrapped


def rebuild(mode: str, root: Path, profile_dir: Path | None,
            wait_prepared: bool = True) -> dict[str, float]:
    """One build of ``root`` as ``mode`` (build or serve), each stage timed; serve's then
    waits until the next site is prepared (``govpub.build.prepared``), unless
    ``wait_prepared`` is false (edits back to back)."""
    from govpub.build import pipeline, serve

    timings: dict[str, float] = {}
    stages = timed_stages(timings, profile_dir, mode)
    original = pipeline.default_stages
    pipeline.default_stages = lambda: stages  # serve's rebuild asks the pipeline for them
    quiet = lambda message: None  # noqa: E731
    try:
        start, cpu = time.perf_counter(), cpu_seconds()
        if mode == "build":
            options = pipeline.BuildOptions(root=root, site_dir=root.parent / "site",
                                            echo=quiet)
            pipeline.run_build(options)
            published = time.perf_counter()
        else:
            from govpub.i18n import _

            said: list[tuple[float, str]] = []
            options = pipeline.BuildOptions(
                root=root, serve=True, defer_search=True,
                echo=lambda message: said.append((time.perf_counter(), message)))
            if not serve.rebuild_once(options):
                raise SystemExit("serve's rebuild failed: " + "; ".join(m for _t, m in said))
            # "rebuilt": the pages are served from here on
            published = next(at for at, message in said if message == _("rebuilt"))
            serve.settle_memory()  # as the server does after each rebuild
            timings["search"] = time.perf_counter() - published
            if wait_prepared:  # an editor's next save comes later than the bench's
                from govpub.build import prepared

                waited = time.perf_counter()
                prepared.wait()
                timings["prepared"] = time.perf_counter() - waited
        timings["total"] = published - start
        timings["cpu"] = cpu_seconds() - cpu
    finally:
        pipeline.default_stages = original
    return timings


def measure(pages: int, modes: list[str], edits: int, profile_dir: Path | None,
            back_to_back: bool = False) -> None:
    from bench_build import corpus, share_handouts
    from bench_incremental import a_notice, change_text

    source = corpus(pages)
    with tempfile.TemporaryDirectory(prefix="govpub-bench-stages-") as work:
        root = Path(work) / "corpus"
        shutil.copytree(source, root, symlinks=True)
        os.environ["GOVPUB_CACHE_DIR"] = str(Path(work) / "cache")
        share_handouts(source, root, Path(work) / "cache")  # printed once per corpus
        os.environ.setdefault("GOVPUB_LANG", "en")
        rel = a_notice(root)
        for mode in modes:
            first = time.perf_counter()
            rebuild(mode, root, None, not back_to_back)
            print(f"{pages:>6} pages, {mode}: first (full) build {time.perf_counter() - first:.1f} s",
                  flush=True)
            for edit in range(edits):
                change_text(root, rel, f"{mode}-{edit}-{time.time_ns()}")
                seen = rebuild(mode, root, profile_dir, not back_to_back)
                cells = " · ".join(f"{name} {seen[name]:.2f} ({seen[name + ' cpu']:.2f})"
                                   for name in STAGES if name in seen)
                extra = f" · then search {seen['search']:.2f}" if "search" in seen else ""
                if "prepared" in seen:
                    extra += f" · next site prepared {seen['prepared']:.2f} s later"
                print(f"{pages:>6} pages, {mode}, edit {edit + 1}, wall (CPU) s: {cells} = "
                      f"{seen['total']:.2f} s "
                      f"wall to {'served' if mode == 'serve' else 'published'}, "
                      f"{seen['cpu']:.2f} s CPU{extra} (load average "
                      f"{os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":  # (multiprocessing's fork server imports this file again)
    args = sys.argv[1:]
    edits, profile_dir = 2, None
    if "--edits" in args:
        at = args.index("--edits")
        edits = int(args[at + 1])
        del args[at:at + 2]
    if "--profile" in args:
        at = args.index("--profile")
        profile_dir = Path(args[at + 1]).resolve()
        profile_dir.mkdir(parents=True, exist_ok=True)
        del args[at:at + 2]
    modes = ["build", "serve"]
    if "--serve-only" in args:
        modes = ["serve"]
    if "--build-only" in args:
        modes = ["build"]
    sizes = [int(a) for a in args if not a.startswith("--")] or [10_000]
    for size in sizes:
        measure(size, modes, edits, profile_dir, "--back-to-back" in args)
