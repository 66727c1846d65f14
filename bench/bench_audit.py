"""Benchmark: `govpub audit` against the plain `govpub check` on a generated site.

Run: .venv/bin/python bench/bench_audit.py [PAGES]   (default 2000)

The audit runs the gate (the same work as `govpub check`) and then its own
checks; the ratio shows what the audit adds. Also times the annual report
(figures, CSV and three SVG charts) on the same repository.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

from govpub.audit import run_audit
from govpub.checker import check_repository
from govpub.config import load_policy
from govpub.report import write_annual_report

NOW = datetime(2026, 1, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def main(pages: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, pages=pages)
        policy = load_policy(root)
        check_repository(policy, NOW)  # warm the imports and the OS cache
        t_check, result = timed(lambda: check_repository(policy, NOW))
        t_audit, audit = timed(lambda: run_audit(policy, NOW))
        t_report, _ = timed(lambda: write_annual_report(policy, 2025, NOW))
        print(f"{pages} pages ({len(result.context.corpus.documents)} files)")
        print(f"govpub check (gate only)   {t_check:7.2f} s")
        print(f"govpub audit               {t_audit:7.2f} s  "
              f"(audit/check = {t_audit / t_check:.2f}x; {len(audit.findings)} findings)")
        print(f"govpub report annual 2025  {t_report:7.2f} s  "
              f"(report/check = {t_report / t_check:.2f}x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
