"""Run every benchmark in bench/ (bench_*.py) one after the other.

Usage: python bench/run_all.py [NAME ...]   e.g. `python bench/run_all.py check build`
Each benchmark prints its own figures and the ratios to the plain tools.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    wanted = set(sys.argv[1:])
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"== {name} ==", flush=True)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)])
        print(f"-- {name}: {time.perf_counter() - start:.1f} s, exit {proc.returncode}\n",
              flush=True)
        if proc.returncode != 0:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
