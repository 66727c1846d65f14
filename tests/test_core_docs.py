"""Documentation generated from the code stays in step with it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from factory import REPO

from govpub.rules import registry


@pytest.mark.parametrize(("language", "name"), [("zh-CN", "rules.md"), ("en", "rules.en.md")])
def test_docs_rules_md_is_generated_from_the_rule_docstrings(language, name):
    """docs/rules.md in Chinese (the site's language), docs/rules.en.md in English."""
    generated = subprocess.run([sys.executable, "-m", "govpub", "--root", str(REPO),
                                "--lang", language, "rules", "--format", "markdown"],
                               capture_output=True, text=True, check=True).stdout
    on_disk = (REPO / "docs" / name).read_text(encoding="utf-8")
    assert on_disk == generated, f"docs/{name} is out of date: run `make docs`"


def test_every_rule_documents_what_why_and_fix():
    for rule in registry.all():
        text = rule.source_doc()
        assert rule.id.startswith("GP") and len(rule.id) == 5, rule
        for part in ("What it checks", "Why", "Fix"):
            assert part in text, f"{rule.id} docstring lacks '{part}'"
