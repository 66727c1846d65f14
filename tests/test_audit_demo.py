"""The demo site passes the audit: nothing stale, empty, expired or overdue.

Pinned to the demo's "today" so that the test does not rot as real time passes.
"""

from __future__ import annotations

import json
from pathlib import Path

from govpub.cli import main

REPO = Path(__file__).resolve().parent.parent
DEMO_NOW = "2026-11-28T12:00:00+08:00"


def test_demo_has_no_audit_breaches(capsys):
    code = main(["--root", str(REPO), "audit", "--now", DEMO_NOW, "--format", "json"])
    findings = json.loads(capsys.readouterr().out)
    breaches = [f"{f['path']}:{f['line']}: {f['rule']} {f['message']}"
                for f in findings if f["severity"] == "error"]
    assert breaches == [] and code == 0


def test_demo_comments_are_not_overdue(capsys):
    code = main(["--root", str(REPO), "comments", "--now", DEMO_NOW, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["warnings"] == []
    assert all(item["state"] != "overdue" for item in data["open"])
