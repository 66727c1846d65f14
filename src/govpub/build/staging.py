"""The stage stage: copy exactly the approved bytes, plus generated pages, into staging.

The renderer reads only ``.govpub/staging/`` (``.govpub/preview-staging/``
for previews), so it can never publish what the gate did not hand it. Each
file is copied from the bytes just read and re-hashed: if a file changed
between the check and the copy, the digest no longer matches its approval
and the build stops rather than publish unreviewed bytes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..digest import digest_for
from ..errors import BuildError
from ..i18n import N_, _
from ..sitemodel import SiteModel
from .generated import body_of, generate_all
from .pipeline import WORK_DIR, BuildState
from .serviceitem import guide_markdown

_LEAVES_STAGING = N_("refusing to stage {path!r}: the path leaves the staging folder")


def staging_dir_for(root: Path, preview: bool) -> Path:
    return root / WORK_DIR / ("preview-staging" if preview else "staging")


class _Destinations:
    """Paths in the staging folder, refusing any that resolves outside it.

    Each folder is resolved once (a link planted in staging is caught there),
    not each file: resolving 10,000 paths cost more than copying the files.
    """

    def __init__(self, staging: Path) -> None:
        self.staging = staging.resolve()
        self.checked: set[str] = set()

    def __call__(self, rel: str) -> Path:
        parts = rel.split("/")
        if rel.startswith("/") or "\0" in rel or any(p in ("", ".", "..") for p in parts):
            raise BuildError(_(_LEAVES_STAGING).format(path=rel))
        folder = "/".join(parts[:-1])
        if folder not in self.checked:
            if not (self.staging / folder).resolve().is_relative_to(self.staging):
                raise BuildError(_(_LEAVES_STAGING).format(path=rel))
            self.checked.add(folder)
        destination = self.staging / rel
        if destination.is_symlink():
            destination.unlink()  # never written through; the copy below replaces it
        return destination


def _approved_bytes(doc) -> bytes:
    raw = doc.file.read_bytes()
    if digest_for(doc.path, raw) != doc.digest:
        raise BuildError(_("{path} changed while the site was being built").format(
            path=doc.repo_path), hint=_("run the build again; it will check the new version"))
    return raw


def staged_files(model: SiteModel) -> Iterator[tuple[str, bytes]]:
    """Every file of the staging folder, one at a time (attachments can be large)."""
    attachment_paths = {doc.path for doc in model.attachments}
    generated = generate_all(model)
    for path in generated:
        if path in attachment_paths:
            raise BuildError(_("a generated page would replace the attachment content/{path}")
                             .format(path=path), hint=_("rename the attachment"))
    for doc in model.attachments:
        yield doc.path, _approved_bytes(doc)
    for page in model.pages:
        raw = _approved_bytes(page.doc)
        extra = guide_markdown(page, model)
        if page.path in generated:
            extra += "\n" + body_of(generated.pop(page.path))
        if extra:
            raw = raw.rstrip(b"\n") + b"\n" + extra.encode("utf-8")
        yield page.path, raw
    for path, text in generated.items():
        yield path, text.encode("utf-8")


def _existing_files(folder: Path) -> set[str]:
    found = set()
    for current, _dirs, names in os.walk(folder):
        rel_dir = Path(current).relative_to(folder).as_posix()
        for name in names:
            found.add(name if rel_dir == "." else f"{rel_dir}/{name}")
    return found


def write_tree(folder: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Make ``folder`` hold exactly ``files``; return the number of pages.

    Files whose staged bytes are already right are left alone: on a busy disk
    unlinking and recreating thousands of files costs more than comparing them.
    """
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    stale = _existing_files(folder)
    made: set[Path] = set()
    pages = 0
    destination_of = _Destinations(folder)
    for rel, data in files:
        destination = destination_of(rel)
        pages += rel.endswith((".md", ".markdown"))
        if rel in stale:
            stale.discard(rel)
            if destination.is_file() and not destination.is_symlink() \
                    and destination.stat().st_size == len(data) and destination.read_bytes() == data:
                continue
        if destination.parent not in made:
            destination.parent.mkdir(parents=True, exist_ok=True)
            made.add(destination.parent)
        destination.write_bytes(data)
    for rel in stale:
        (folder / rel).unlink()
    for current, dirs, names in os.walk(folder, topdown=False):
        if not dirs and not names and Path(current) != folder:
            Path(current).rmdir()
    return pages


def _noting_digests(files: Iterable[tuple[str, bytes]],
                    staged: dict[str, str | None]) -> Iterator[tuple[str, bytes]]:
    """Pass ``files`` on, noting each path and each page's SHA-256 (the render key)."""
    for rel, data in files:
        is_page = rel.endswith((".md", ".markdown"))
        staged[rel] = hashlib.sha256(data).hexdigest() if is_page else None
        yield rel, data


def stage(state: BuildState) -> None:
    state.staging_dir = staging_dir_for(state.root, state.options.preview)
    state.staged = {}
    state.pages_written = write_tree(state.staging_dir,
                                     _noting_digests(staged_files(state.model), state.staged))
