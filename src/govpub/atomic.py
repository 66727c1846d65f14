"""Write files so that a crash mid-write never leaves a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename over ``path``."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def keep_cache_file(path: Path, data: bytes | str) -> bool:
    """Write a file of govpub's cache whole or not at all (a temporary file renamed over
    it): True when ``path`` now holds ``data``. A failure is no error (False): the cache
    only saves work, and the next run does it. No fsync: a cache file lost to a crash
    is a cold run, never a wrong one (each is sealed or checked by its reader)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    temp = path.with_name(path.name + ".tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):  # (a folder there, say: then it stays)
            temp.unlink(missing_ok=True)
        return False
    return True
