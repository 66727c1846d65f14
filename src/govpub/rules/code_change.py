"""GP217: a pull request changes govpub's own code or CI (a notice for the code owners)."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from . import Rule, register


@register
class CodeChange(Rule):
    """A pull request changes govpub's own code or the CI that runs it.

    What it checks: with `--changed-since REF`, every changed file under
    `src/`, `scripts/`, `.github/`, `.gitlab/`, `.ci/`, or `pyproject.toml`,
    `Makefile`, `.gitlab-ci.yml` is listed as a notice.
    Why: the check itself runs with the govpub of the base commit, so a change
    to the checker cannot pass its own check; whether the change is right is
    for the code owners to approve on the platform (CODEOWNERS and branch
    protection).
    Example: a pull request edits `src/govpub/review/four_eyes.py`.
    Fix: nothing to fix here; a code owner reviews and approves the change.
    """

    id = "GP217"
    name = "code-change"
    severity = Severity.INFO
    locked = True
    about_signoffs = True

    def check(self, ctx) -> Iterator:
        return iter(())
