"""Two file-tree operations the build, its render parts and the search index share.

Both are about folders beside a site that a pull request may have planted
things in (``.site.govpub-tmp`` and its siblings live in the repository):
a link there is removed, never followed, and never written through.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def remove(path: Path) -> None:
    """Remove a file, a link (the link itself, never what it points to) or a folder."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """A hard link of ``source`` at ``target`` (new); a copy across file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
