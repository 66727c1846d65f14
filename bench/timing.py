"""The time and memory one command takes, as the benchmarks measure it.

``run_timed`` runs a command to its end and reports, as the operating system
counts them (``os.wait4``):

- ``wall``: seconds from start to exit;
- ``cpu``: user + system seconds of the command and of every worker process it
  waited for (a build that renders on every core is counted whole);
- ``memory``: peak resident set in MB of the command or of any one of its
  workers.

Why CPU time: the machines these benchmarks run on are shared (a test loop,
other builds). Other work stretches the wall clock of whichever run it
overlaps, but hardly the CPU time the command itself used, so CPU time —
and the minimum of several runs — is the steadier signal when comparing two
commands. Wall time is printed too: it is what a user waits, and with worker
processes it tells a different story from CPU time.

``children_cpu`` is the same CPU count for work that is not one command (an
in-process step that starts helper processes): take it before and after.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from collections.abc import Container, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Timed:
    wall: float
    cpu: float
    memory: float
    proc: subprocess.CompletedProcess


def run_timed(args: list[str], *, cwd: Path | str | None = None,
              extra_env: Mapping[str, str] | None = None,
              ok: Container[int] = (0,)) -> Timed:
    """Run ``args`` (environment: ``os.environ`` plus ``extra_env``), output captured.

    Exits the benchmark with the command's output if its exit code is not in ``ok``.
    """
    env = {**os.environ, **(extra_env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        proc = subprocess.CompletedProcess(args, process.returncode,
                                           out.read().decode(errors="replace"),
                                           err.read().decode(errors="replace"))
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} failed (exit {proc.returncode}):\n"
                         f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return Timed(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc)


def children_cpu() -> float:
    """User + system seconds of every child process this process has waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
