"""Removing a replaced site folder without making the build wait for it.

After the swap, the old site folder holds as many files and folders as the
site (10,000 pages: 22,000 entries). Deleting them is most of what an
incremental rebuild would cost, and nothing needs to wait for it: the new
site is already in place. So a large old folder is renamed to a unique
``.<site>.govpub-trash-…`` name beside the site and deleted by a detached
process; the next build sweeps up any trash a killed deleter left behind.
Small folders are deleted at once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

#: at or above this many pages, the old site is deleted in the background (at 1,000 pages
#: deleting it took 0.4–0.5 s of a one-page rebuild; starting the deleter, 20 ms)
DETACH_FROM_PAGES = 200
#: the deleter yields the processor to everything else (niceness 19): at 10,000 pages it
#: takes about 4 s of CPU, beside the build or rebuild that comes next
_DELETE = ("import os, shutil, sys; os.nice(19); "
           "shutil.rmtree(sys.argv[1], ignore_errors=True)")


def trash_prefix(site_dir: Path) -> str:
    return f".{site_dir.name}.govpub-trash-"


def discard(folder: Path, site_dir: Path, *,
            background: bool) -> subprocess.Popen | None:
    """Delete ``folder`` (an old copy of ``site_dir``): now, or in a detached process
    (returned, for whoever wants to wait for it)."""
    if not folder.exists() and not folder.is_symlink():
        return None
    if folder.is_symlink() or not folder.is_dir():
        folder.unlink()
        return None
    if not background:
        shutil.rmtree(folder)
        return None
    trash = site_dir.parent / f"{trash_prefix(site_dir)}{os.getpid()}-{time.time_ns()}"
    os.rename(folder, trash)
    return _delete_detached(trash)


def sweep(site_dir: Path) -> None:
    """Delete the trash of earlier builds whose deleter did not finish (killed, rebooted)."""
    prefix = trash_prefix(site_dir)
    try:
        leftovers = [entry for entry in site_dir.parent.iterdir() if entry.name.startswith(prefix)]
    except OSError:
        return
    for entry in leftovers:
        if entry.is_dir() and not entry.is_symlink():
            _delete_detached(entry)


def _delete_detached(folder: Path) -> subprocess.Popen | None:
    try:
        return subprocess.Popen([sys.executable, "-c", _DELETE, str(folder)],
                                start_new_session=True, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                close_fds=True)
    except OSError:  # cannot start a process: delete it here, as before
        shutil.rmtree(folder, ignore_errors=True)
        return None
