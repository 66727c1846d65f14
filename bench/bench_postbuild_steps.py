"""Benchmark: the post-build steps other than the search index, the link check and the manifest.

Usage (from the repository root, on a corpus copy built once; see bench_incremental.py):
  python bench/bench_postbuild_steps.py CORPUS [ROUNDS]

Loads the site model of CORPUS once (load, check, gate), then runs each step
(sitemap, open data, feeds, handouts) ROUNDS times into fresh folders, as a
rebuild does: the first round is the first build of a process (memos read
from the cache folder, or cold), the others are serve's rebuilds (memos in
memory). The model is the same every round, so the later rounds are the
best case of a one-page change (which makes one record or page again). Steps
that take the render's delta get one with a fixed site key.
Prints wall and CPU seconds per step and round, with the load average.
Compare two versions by running it with each one's ``src`` first on PYTHONPATH.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from govpub.build import postbuild
from govpub.build.pipeline import BuildOptions, BuildState, check, load
from govpub.feeds import write_feeds
from govpub.handouts import write_handouts
from govpub.opendata import write_open_data

STEPS = [("sitemap", postbuild.write_sitemap), ("open data", write_open_data),
         ("feeds", write_feeds), ("handouts", write_handouts)]


def model_of(root: Path):
    from govpub.build.gate import gate

    state = BuildState(options=BuildOptions(root=root.resolve(), echo=lambda _m: None))
    for stage in (load, check, gate):
        stage(state)
    return state.model


def main() -> None:
    root = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    model = model_of(root)
    print(f"{len(model.pages)} pages · load average {os.getloadavg()[0]:.2f} · "
          f"{time.strftime('%Y-%m-%d %H:%M:%S')}", flush=True)
    totals = []
    # a steady site key, as the render hands one to the steps marked uses_delta
    extra = {"delta": postbuild.SiteDelta(site_key="bench-site-key")}
    for number in range(rounds):
        site = Path(tempfile.mkdtemp(prefix="govpub-steps-"))
        row, wall_sum, cpu_sum = [], 0.0, 0.0
        for name, step in STEPS:
            wall, cpu = time.perf_counter(), time.process_time()
            step(model, site, **(extra if getattr(step, "uses_delta", False) else {}))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            wall_sum += wall
            cpu_sum += cpu
            row.append(f"{name} {wall:.2f}/{cpu:.2f}")
        shutil.rmtree(site)
        totals.append((wall_sum, cpu_sum))
        print(f"round {number + 1}: " + " · ".join(row)
              + f" · total {wall_sum:.2f}/{cpu_sum:.2f} s (wall/CPU) · load "
              f"{os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
