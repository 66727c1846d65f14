"""Where govpub keeps what it may reuse between runs: outside the repository.

The check cache (per-file results) and the render record (what each page of
the last build was made from) decide what is *not* done again, so they must
never come from the thing being judged. ``.govpub/`` is gitignored, but a
pull request can still commit files there (``git add -f``), and a fresh CI
clone would then read a verdict or a page the pull request wrote itself. The
caches therefore live in the user's cache folder, one subfolder per
repository, where a checkout cannot put anything:

- ``GOVPUB_CACHE_DIR`` if set (CI jobs that keep a cache between runs point
  it at the kept folder);
- else ``$XDG_CACHE_HOME/govpub``, else ``~/.cache/govpub``.

When no such folder can be made (a read-only home), govpub works without a
cache: every run is a cold run, never an error.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

ENV = "GOVPUB_CACHE_DIR"


def cache_root() -> Path:
    configured = os.environ.get(ENV)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "govpub"


def cache_dir_for(root: Path, kind: str) -> Path | None:
    """``<cache root>/<repository>/<kind>``, made if missing; None when it cannot be."""
    resolved = Path(root).resolve()
    name = re.sub(r"[^A-Za-z0-9._-]", "_", resolved.name)[:40] or "root"
    tag = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:16]
    folder = cache_root() / f"{name}-{tag}" / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return folder
