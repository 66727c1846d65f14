"""Benchmark: a full `govpub build` against the rebuild after one page changed; serve latency.

    .venv/bin/python bench/bench_incremental.py              # 1,000 and 10,000 pages
    .venv/bin/python bench/bench_incremental.py 2000         # other sizes
    .venv/bin/python bench/bench_incremental.py --verify     # also compare with a full build
    .venv/bin/python bench/bench_incremental.py --serve      # also: edit → served, via serve

For each size (the corpus of ``bench/corpus.py``, PDF handouts already
printed by ``bench/bench_build.py`` or a first build, kept in the user's cache
folder and shared with each run's empty one: ``bench_build.share_handouts``):

1. a full build: an empty cache folder (``GOVPUB_CACHE_DIR``), so nothing
   is reused — what CI's fresh clone does;
2. one notice's text is changed and signed off again, and the same site is
   built again with the cache the full build left: the incremental rebuild;
3. the same for a change of one notice's *title* (its column index and the
   home page list it, so they are rendered again too);
4. with ``--verify``, a full build of the changed repository into another
   folder, compared file by file with the incremental result;
5. with ``--serve``, ``govpub serve`` runs on the corpus; a notice is edited
   and signed off, and the time until the server returns the new text is
   measured; then the same with ``govpub serve --preview`` and an edit alone
   (the editor's loop: the unreviewed page is shown under its banner). The
   watcher hears of the edit from the operating system and waits for the
   tree to be quiet for 0.2 s. Serve publishes the pages first and indexes
   the search right after: the time until it says so is printed too, and the
   next edit waits for it, then ``--pause`` seconds more (default 1.5), as
   between an editor's saves. Printed for each edit: when the edit and its
   sign-off were written, when serve said it saw the change and when it said
   "rebuilt". ``--serve-only`` skips the builds, ``--no-preview`` the
   preview's measurement, ``--edits N`` makes N edits (default 3).

Wall time and CPU time (user + system of the child) are printed; the ratio
is incremental / full. Target (issue 17): a one-page change at 10,000 pages
rebuilds in ≤ 10 % of a full build's wall time; serve shows an edit within 2 s.
The machine is shared: run with --repeat 3 and read the minimum.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BENCH))

from bench_build import corpus, share_handouts  # noqa: E402
from timing import run_timed  # noqa: E402

from govpub.config import load_policy  # noqa: E402
from govpub.review.records import add_signoff  # noqa: E402

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def timed(args: list[str], cwd: Path, cache: Path) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, output) of one build with ``cache`` (bench/timing.py)."""
    run = run_timed(args, cwd=cwd, extra_env={"NO_MKDOCS_2_WARNING": "1", "GOVPUB_LANG": "en",
                                              "GOVPUB_CACHE_DIR": str(cache)})
    return run.wall, run.cpu, run.proc.stdout


def sign(root: Path, rel: str) -> None:
    policy = load_policy(root)
    for reviewer in sorted(policy.reviewers)[: policy.levels_for(rel)]:
        add_signoff(policy, rel, reviewer, "public", "bench", NOW)


def a_notice(root: Path) -> str:
    notices = sorted((root / "content" / "notices").glob("*.md"))
    return notices[len(notices) // 2].relative_to(root / "content").as_posix()


def change_text(root: Path, rel: str, tag: str) -> None:
    path = root / "content" / rel
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n修订说明：{tag}。\n",
                    encoding="utf-8")
    sign(root, rel)


def change_title(root: Path, rel: str, tag: str) -> None:
    path = root / "content" / rel
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)}（{tag}）", text, count=1,
                  flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    sign(root, rel)


def same_files(one: Path, two: Path) -> list[str]:
    """Paths that differ between two site folders (missing on either side included)."""
    def listing(folder: Path) -> set[str]:
        return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}

    a, b = listing(one), listing(two)
    differ = sorted(a ^ b)
    differ += [rel for rel in sorted(a & b)
               if (one / rel).read_bytes() != (two / rel).read_bytes()]
    return differ


def reused_line(out: str) -> str:
    found = re.search(r"rendered \d+ pages? again, reused \d+", out)
    return found.group(0) if found else "every page rendered"


def measure(pages: int, repeat: int, verify: bool) -> dict:
    root = corpus(pages)
    site = OUT / f"incremental-site-{pages}"
    build = [str(BIN / "govpub"), "--root", str(root), "build", "--site-dir", str(site)]
    rel = a_notice(root)
    full_runs, text_runs, title_runs = [], [], []
    for run in range(repeat):
        with tempfile.TemporaryDirectory(prefix="govpub-bench-cache-") as cache_dir:
            cache = Path(cache_dir)
            share_handouts(root, root, cache)
            shutil.rmtree(site, ignore_errors=True)
            full_runs.append(timed(build, root, cache))
            change_text(root, rel, f"第{run + 1}次")
            text_runs.append(timed(build, root, cache))
            change_title(root, rel, f"第{run + 1}次")
            title_runs.append(timed(build, root, cache))
            if verify and run == 0:
                other = OUT / f"incremental-check-{pages}"
                shutil.rmtree(other, ignore_errors=True)
                with tempfile.TemporaryDirectory() as empty:
                    share_handouts(root, root, Path(empty))
                    timed([*build[:-1], str(other)], root, Path(empty))
                differ = same_files(site, other)
                print(f"{pages:>6} pages: incremental site == full build: "
                      f"{'yes' if not differ else 'NO: ' + ', '.join(differ[:5])}", flush=True)
                shutil.rmtree(other, ignore_errors=True)
    best = {name: min(runs, key=lambda r: r[0])
            for name, runs in (("full", full_runs), ("text", text_runs), ("title", title_runs))}
    return {"pages": pages, **best}


def serve_latency(pages: int, edits: int = 3, preview: bool = False,
                  pause: float = 1.5) -> tuple[list[float], list[float], list[tuple]]:
    """Seconds from an edit on disk (signed off, unless ``preview``) to the new text served,
    and to serve saying the search index was updated (it indexes after serving the pages);
    and for each edit where those seconds went: (edit and sign-off written, serve said
    "change detected", serve said "rebuilt"), each from the start of the edit."""
    root = corpus(pages)
    rel = a_notice(root)
    url_path = rel.removesuffix(".md") + "/"
    with tempfile.TemporaryDirectory(prefix="govpub-bench-cache-") as cache:
        share_handouts(root, root, Path(cache))
        env = {**os.environ, "GOVPUB_CACHE_DIR": cache, "GOVPUB_LANG": "en",
               "PYTHONUNBUFFERED": "1"}
        server = subprocess.Popen([str(BIN / "govpub"), "--root", str(root), "serve",
                                   *(["--preview"] if preview else []),
                                   "--port", "0"], cwd=root, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            address = None
            for line in server.stdout:
                found = re.search(r"http://127\.0\.0\.1:\d+/", line)
                if found:
                    address = found.group(0)
                    break
            if address is None:
                raise SystemExit("govpub serve did not start")
            said: list[str] = []  # keep reading: a full pipe would stop the server
            searches: list[float] = []  # when serve said the search index was updated
            detected: list[float] = []  # when serve said it saw a change
            rebuilt: list[float] = []  # when serve said the pages were published

            def read() -> None:
                for line in server.stdout:
                    said.append(line)
                    if line.strip() == "search index updated":
                        searches.append(time.perf_counter())
                    elif line.startswith("change detected"):
                        detected.append(time.perf_counter())
                    elif line.strip() == "rebuilt":
                        rebuilt.append(time.perf_counter())

            threading.Thread(target=read, daemon=True).start()
            latencies, search_latencies, steps = [], [], []
            for edit in range(edits):
                tag = f"serve-{time.time_ns()}"
                time.sleep(pause)  # as between an editor's saves (the watcher settles)
                rebuilds = len(rebuilt)
                start = time.perf_counter()
                if preview:
                    path = root / "content" / rel
                    path.write_text(path.read_text(encoding="utf-8").rstrip("\n")
                                    + f"\n\n修订说明：{tag}。\n", encoding="utf-8")
                else:
                    change_text(root, rel, tag)
                written = time.perf_counter() - start
                next_ask = start
                while True:
                    # the server answers in serve's own process: a page asked for 50 times
                    # a second while serve rebuilds competes with the rebuild for the
                    # interpreter, which no reader does; a page is new only once serve
                    # says "rebuilt", so ask often only from then on, and twice a second
                    # before (a serve that failed to say it is still measured)
                    if len(rebuilt) <= rebuilds and time.perf_counter() < next_ask:
                        time.sleep(0.005)
                        continue
                    next_ask = time.perf_counter() + 0.5
                    try:
                        with urllib.request.urlopen(address + url_path, timeout=5) as reply:
                            if tag.encode() in reply.read():
                                break
                    except OSError:
                        pass
                    if time.perf_counter() - start > 120:
                        raise SystemExit(f"edit {edit + 1} not served after 120 s; serve said:\n"
                                         + "".join(said[-20:]))
                    time.sleep(0.005 if len(rebuilt) > rebuilds else 0.02)
                latencies.append(time.perf_counter() - start)
                indexed = len(searches) + 1
                while len(searches) < indexed:  # serve indexes the search after the pages
                    if time.perf_counter() - start > 240:
                        raise SystemExit("search index not updated after 240 s; serve said:\n"
                                         + "".join(said[-20:]))
                    time.sleep(0.02)
                search_latencies.append(searches[-1] - start)
                steps.append((written, detected[-1] - start if detected else float("nan"),
                              rebuilt[-1] - start if rebuilt else float("nan"),
                              len(rebuilt) - rebuilds))
            time.sleep(pause)  # a rebuild nobody asked for would start by now
            print(f"{pages:>6} pages: serve saw {len(detected)} changes for {edits} edits",
                  flush=True)
            return latencies, search_latencies, steps
        finally:
            server.terminate()
            server.wait(timeout=30)
            if preview:  # the edits were not signed off: sign, so the next full build has them
                sign(root, rel)


def main(sizes: list[int], repeat: int, verify: bool, serve: bool, builds: bool,
         serve_preview: bool = True, pause: float = 1.5, edits: int = 3) -> None:
    OUT.mkdir(exist_ok=True)
    for pages in sizes:
        if builds:
            r = measure(pages, repeat, verify)
            full = r["full"]
            for name, label in (("text", "one page's text"), ("title", "one page's title")):
                wall, cpu, out = r[name]
                print(f"{pages:>6} pages: full build {full[0]:6.1f} s wall {full[1]:6.1f} s CPU · "
                      f"after {label} changed {wall:5.1f} s wall {cpu:5.1f} s CPU "
                      f"({reused_line(out)}) · ratio {wall / full[0]:.3f} wall, "
                      f"{cpu / full[1]:.3f} CPU (target ≤ 0.10)", flush=True)
        if serve:
            for preview, label in ((False, "govpub serve, edit + sign-off"),
                                   (True, "govpub serve --preview, edit")):
                if preview and not serve_preview:
                    continue
                latencies, searched, steps = serve_latency(pages, edits, preview=preview,
                                                           pause=pause)
                print(f"{pages:>6} pages: {label} → served: "
                      + ", ".join(f"{s:.2f} s" for s in latencies)
                      + f" (best {min(latencies):.2f} s, median "
                      f"{statistics.median(latencies):.2f} s; target ≤ 2 s); → search index "
                      + "updated: " + ", ".join(f"{s:.2f} s" for s in searched), flush=True)
                print(f"{'':>6}        of which: " + "; ".join(
                    f"written {w:.2f}, change seen {d:.2f}, rebuilt {r:.2f}"
                    + (f" ({n} rebuilds)" if n != 1 else "")
                    for w, d, r, n in steps), flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    repeat = 1
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = int(args[at + 1])
        del args[at:at + 2]
    verify = "--verify" in args
    serve = "--serve" in args or "--serve-only" in args
    builds = "--serve-only" not in args
    serve_preview = "--no-preview" not in args
    edits = 3
    if "--edits" in args:
        at = args.index("--edits")
        edits = int(args[at + 1])
        del args[at:at + 2]
    pause = 1.5
    if "--pause" in args:
        at = args.index("--pause")
        pause = float(args[at + 1])
        del args[at:at + 2]
    args = [a for a in args if not a.startswith("--")]
    main([int(a) for a in args] or [1_000, 10_000], repeat, verify, serve, builds,
         serve_preview, pause, edits)
