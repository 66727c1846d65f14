"""An installed govpub (``pip install .``, as the pull-request job installs the base's)
carries every file it needs, not only the ones an editable install happens to see.

The theme's favicon once stayed behind: a wheel-installed govpub built sites whose
every page linked to a missing ``images/favicon.svg``, and only the pull-request job
(the one place that installs govpub for real) noticed.
"""

from __future__ import annotations

import fnmatch
import subprocess
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "govpub"


def _package_data_patterns() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return project["tool"]["setuptools"]["package-data"]["govpub"]


def _shipped(rel: str, patterns: list[str]) -> bool:
    # setuptools' "**/*.svg" matches at any depth, the top folder included
    return any(fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern.removeprefix("**/"))
               for pattern in patterns)


def test_every_file_of_the_package_is_installed_with_it():
    tracked = subprocess.run(["git", "ls-files", "-z", "--", "src/govpub"], cwd=REPO,
                             capture_output=True, check=True).stdout.decode().split("\0")
    patterns = _package_data_patterns()
    data = [Path(name).relative_to("src/govpub").as_posix() for name in tracked
            if name and not name.endswith(".py")]
    assert data, "git lists no data files: is this a checkout?"
    left_behind = [rel for rel in data if not _shipped(rel, patterns)]
    assert left_behind == [], ("files of src/govpub that `pip install .` would leave behind: "
                               "add their pattern to [tool.setuptools.package-data]")
