"""Documentation generated from the code stays in step with it."""

from __future__ import annotations

import subprocess
import sys

from factory import REPO

from govpub.rules import registry


def test_docs_rules_md_is_generated_from_the_rule_docstrings():
    generated = subprocess.run([sys.executable, "-m", "govpub", "--root", str(REPO), "rules",
                                "--format", "markdown"], capture_output=True, text=True,
                               check=True).stdout
    on_disk = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == generated, "docs/rules.md is out of date: run `make docs`"


def test_every_rule_documents_what_why_and_fix():
    for rule in registry.all():
        text = rule.doc()
        assert rule.id.startswith("GP") and len(rule.id) == 5, rule
        for part in ("What it checks", "Why", "Fix"):
            assert part in text, f"{rule.id} docstring lacks '{part}'"
