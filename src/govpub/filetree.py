"""File-tree operations the build, its render parts, its post-build steps and the search
index share.

They are about folders beside a site that a pull request may have planted
things in (``.site.govpub-tmp`` and its siblings live in the repository):
a link there is removed, never followed, and never written through; a file
of the previous site is taken only if it is still the very file recorded.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

#: what identifies a regular file as written: device, inode, size, modification time
FileStat = tuple[int, int, int, int]
#: a file's status as the caches keep it: FileStat and the change time, which no program
#: can set back (st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns)
Status = tuple[int, int, int, int, int]


def status_of(st: os.stat_result) -> Status:
    """The :data:`Status` of a file, from its ``os.lstat``."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def file_status(path: str | os.PathLike) -> Status | None:
    """The :data:`Status` of ``path`` (a link's own, not followed); None when missing."""
    try:
        return status_of(os.lstat(path))
    except OSError:
        return None


def file_stat(path: Path | str) -> FileStat | None:
    """The :data:`FileStat` of a regular file (not followed if a link); None otherwise."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def link_if_unchanged(old: Path | str, target: Path | str, recorded) -> bool:
    """Hard-link ``old`` at ``target`` if it is still the file ``recorded`` (its
    :data:`FileStat` when the last build published it): True; False when it is not, or
    cannot be linked (the caller writes the file instead)."""
    if recorded is None or file_stat(old) != tuple(recorded):
        return False
    try:
        os.link(old, target)
    except OSError:
        return False
    return True


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
