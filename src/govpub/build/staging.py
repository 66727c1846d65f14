"""The stage stage: copy exactly the approved bytes, plus generated pages, into staging.

The renderer reads only ``.govpub/staging/`` (``.govpub/preview-staging/``
for previews), so it can never publish what the gate did not hand it. Each
file is copied from the bytes just read and re-hashed: if a file changed
between the check and the copy, the digest no longer matches its approval
and the build stops rather than publish unreviewed bytes.

A file the last stage read is not read again when nothing can have changed
it or its staged copy (:meth:`StagingMemo.vouched`): its status (device,
inode, size, modification and change time) is the one taken before that
stage read it and checked its digest, it was last changed well before that
stage began (so a later write has a later change time, which cannot be set
back), its approved digest and what is appended to it are the same, and the
staged copy is still the file that stage wrote. At 10,000 pages every
rebuild of ``govpub serve`` read every page again; once the system had
dropped them from memory while serve waited, that was 2 s of a rebuild.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..cachedir import cache_dir_for
from ..digest import digest_for
from ..errors import BuildError
from ..filetree import Status, file_status, status_of
from ..i18n import N_, _
from ..sealed import keep_sealed, read_sealed
from ..sitemodel import SiteModel
from .generated import body_of, generate_all
from .pipeline import WORK_DIR, BuildState
from .serviceitem import guide_markdown

_BAD_PARTS = frozenset({"", ".", ".."})
_LEAVES_STAGING = N_("refusing to stage {path!r}: the path leaves the staging folder")


def staging_dir_for(root: Path, preview: bool) -> Path:
    return root / WORK_DIR / ("preview-staging" if preview else "staging")


class _Destinations:
    """Paths in the staging folder, refusing any that resolves outside it.

    Each folder is resolved once (a link planted in staging is caught there),
    not each file: resolving 10,000 paths cost more than copying the files.
    Paths are plain strings: a ``Path`` per staged file cost a tenth of a second.
    """

    def __init__(self, staging: Path | str) -> None:
        self.staging = os.path.realpath(staging)
        self.checked: set[str] = set()

    def __call__(self, rel: str) -> str:
        if rel.startswith("/") or "\0" in rel or not _BAD_PARTS.isdisjoint(rel.split("/")):
            raise BuildError(_(_LEAVES_STAGING).format(path=rel))
        folder = rel.rpartition("/")[0]
        if folder not in self.checked:
            resolved = os.path.realpath(os.path.join(self.staging, folder))
            if resolved != self.staging and not resolved.startswith(self.staging + os.sep):
                raise BuildError(_(_LEAVES_STAGING).format(path=rel))
            self.checked.add(folder)
        return self.staging + os.sep + rel


def _approved_bytes(doc) -> bytes:
    with open(doc.file, "rb", buffering=0) as handle:  # unbuffered: one read of the file
        raw = handle.readall()
    if digest_for(doc.path, raw) != doc.digest:
        raise BuildError(_("{path} changed while the site was being built").format(
            path=doc.repo_path), hint=_("run the build again; it will check the new version"))
    return raw


@dataclass(slots=True)
class Approved:
    """An authored file to stage: its approved bytes, and what is appended to a page (its
    service guide, a generated listing). Read by :meth:`staged` only when the staged
    copy cannot be vouched for without reading (:meth:`StagingMemo.vouched`)."""

    doc: object
    extra: bytes
    #: the source file's status, taken before it is read (None: not a regular file)
    status: Status | None
    extra_digest: str

    def staged(self) -> bytes:
        raw = _approved_bytes(self.doc)
        return raw.rstrip(b"\n") + b"\n" + self.extra if self.extra else raw


def _approved(doc, extra: str = "") -> Approved:
    data = extra.encode("utf-8")
    return Approved(doc, data, file_status(doc.file), hashlib.sha256(data).hexdigest())


def staged_files(model: SiteModel) -> Iterator[tuple[str, bytes | Approved]]:
    """Every file of the staging folder, one at a time (attachments can be large): the
    authored ones as :class:`Approved` (read when staged), the generated ones as bytes."""
    attachment_paths = {doc.path for doc in model.attachments}
    generated = generate_all(model)
    for path in generated:
        if path in attachment_paths:
            raise BuildError(_("a generated page would replace the attachment content/{path}")
                             .format(path=path), hint=_("rename the attachment"))
    for doc in model.attachments:
        yield doc.path, _approved(doc)
    for page in model.pages:
        extra = guide_markdown(page, model)
        if page.path in generated:
            extra += "\n" + body_of(generated.pop(page.path))
        yield page.path, _approved(page.doc, extra)
    for path, text in generated.items():
        yield path, text.encode("utf-8")


#: (st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns) of a staged file as written, and the
#: SHA-256 of its bytes: the staging memo's entry. The change time too: a tool can set a
#: file's modification time back after writing it, not its change time.
Known = tuple[Status, str]
#: an authored file as the last stage read it: its status before the read, its approved
#: digest, the SHA-256 of what was appended to it, and the SHA-256 of what was staged
Source = tuple[Status, str, str, str]
#: a file whose modification time is this close to the memo's own time may have been
#: written again within one tick of the file system's clock: its bytes are compared
_RACY_NS = 100_000_000
_COARSE_RACY_NS = 2_000_000_000  # file systems that keep whole seconds (or milliseconds)
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC


def _ticked_since(changed_ns: int, then_ns: int) -> bool:
    """The file system's clock has ticked between a file's time ``changed_ns`` and
    ``then_ns``: a later write gives the file a later time."""
    window = _COARSE_RACY_NS if changed_ns % 1_000_000 == 0 else _RACY_NS
    return changed_ns + window < then_ns


@dataclass
class StagingMemo:
    """What the last stage left in one staging folder: path → (stat as written, SHA-256).

    A file whose stat is still the one recorded holds the recorded bytes, so a
    file to be staged with that digest is neither read nor written again; any
    other file (touched since, or written within a clock tick of the memo) is
    compared byte for byte. The memo only saves work: what is staged is still
    the bytes the gate handed over.
    """

    files: dict[str, Known] = field(default_factory=dict)
    #: time.time_ns() once the folder was complete
    time_ns: int = 0
    #: the authored files that stage read, by staged path (see the module's note)
    sources: dict[str, Source] = field(default_factory=dict)
    #: time.time_ns() before that stage read any of them
    started_ns: int = 0

    def unchanged(self, rel: str, seen: Status, digest: str) -> bool:
        known = self.files.get(rel)
        if known is None or known[0] != seen or known[1] != digest:
            return False
        return _ticked_since(seen[3], self.time_ns)

    def vouched(self, rel: str, item: Approved, seen: Status | None) -> str | None:
        """The SHA-256 of what is staged at ``rel``, when it is ``item``'s staged bytes
        without reading them (see the module's note); None: read them."""
        known = self.sources.get(rel)
        if known is None or seen is None or item.status is None:
            return None
        status, digest, extra_digest, staged = known
        if status != item.status or digest != item.doc.digest \
                or extra_digest != item.extra_digest:
            return None
        if not _ticked_since(status[4], self.started_ns):
            return None  # changed within a tick of that stage's reading: may change unseen
        return staged if self.unchanged(rel, seen, staged) else None

    def holds_other(self, rel: str, seen: Status, digest: str) -> bool:
        """The file is as the memo saw it, with other bytes: it must be written, not read."""
        known = self.files.get(rel)
        return known is not None and known[0] == seen and known[1] != digest


def _scan(folder: str) -> tuple[dict[str, os.DirEntry], list[str]]:
    """The entries (files, links, anything not a folder) and the folders under ``folder``;
    links are not followed. One ``scandir`` per folder: its entries know their type."""
    entries: dict[str, os.DirEntry] = {}
    folders: list[str] = []
    pending = [("", folder)]
    while pending:
        prefix, current = pending.pop()
        with os.scandir(current) as listing:
            for entry in listing:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append(rel)
                    pending.append((rel + "/", entry.path))
                else:
                    entries[rel] = entry
    return entries, folders


def _make_folder(staging: str, folder: str, present: set[str], needed: set[str],
                 existing: dict[str, os.DirEntry]) -> None:
    """Make ``folder`` and note it and its parents as needed (a file in the way goes)."""
    missing = []
    ancestor = folder
    while ancestor and ancestor not in needed:
        needed.add(ancestor)
        if ancestor not in present:
            missing.append(ancestor)
        ancestor = ancestor.rpartition("/")[0]
    for rel in reversed(missing):  # outermost first
        if existing.pop(rel, None) is not None:
            os.unlink(os.path.join(staging, rel))
        os.makedirs(os.path.join(staging, rel), exist_ok=True)
        present.add(rel)


def _remove_folder(staging: str, folder: str, present: set[str],
                   existing: dict[str, os.DirEntry]) -> None:
    shutil.rmtree(os.path.join(staging, folder))
    inside = folder + "/"
    present.difference_update([rel for rel in present if rel == folder or rel.startswith(inside)])
    for rel in [rel for rel in existing if rel.startswith(inside)]:
        del existing[rel]


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        return os.read(fd, len(data) + 1) == data
    finally:
        os.close(fd)


def _write(path: str, data: bytes) -> tuple[int, int, int, int, int]:
    """Write ``data`` to ``path``, never through a link; the stat of the file as written."""
    try:
        fd = os.open(path, _WRITE, 0o666)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        os.unlink(path)  # a link planted since the folder was read: replaced, not followed
        fd = os.open(path, _WRITE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        st = os.fstat(fd)
    finally:
        os.close(fd)
    return status_of(st)


def write_tree(folder: Path, files: Iterable[tuple[str, bytes | Approved]],
               memo: StagingMemo | None = None) -> int:
    """Make ``folder`` hold exactly ``files``; return the number of pages.

    Files whose staged bytes are already right are left alone: on a busy disk
    unlinking and recreating thousands of files costs more than comparing them.
    ``memo`` (what the last call left in this folder) is read, then replaced by what
    this call leaves: a file still as the memo saw it is known without reading it,
    and an authored file (:class:`Approved`) the memo vouches for is not read at all.
    """
    memo = memo if memo is not None else StagingMemo()
    started_ns = time.time_ns()
    sources: dict[str, Source] = {}
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    destination_of = _Destinations(folder)
    existing, old_folders = _scan(destination_of.staging)
    present = set(old_folders)
    needed: set[str] = set()
    made: dict[str, Known] = {}
    pages = 0
    for rel, item in files:
        destination = destination_of(rel)
        pages += rel.endswith((".md", ".markdown"))
        parent = rel.rpartition("/")[0]
        if parent not in needed:
            _make_folder(destination_of.staging, parent, present, needed, existing)
        if rel in present:  # a folder where a file goes (stale): it goes
            _remove_folder(destination_of.staging, rel, present, existing)
        entry = existing.pop(rel, None)
        seen = None
        if entry is not None and entry.is_file(follow_symlinks=False):
            seen = status_of(entry.stat(follow_symlinks=False))
        if isinstance(item, Approved):
            vouched = memo.vouched(rel, item, seen)
            if vouched is not None:
                made[rel], sources[rel] = (seen, vouched), memo.sources[rel]
                continue
            data = item.staged()
        else:
            data = item
        digest = hashlib.sha256(data).hexdigest()
        if isinstance(item, Approved) and item.status is not None:
            sources[rel] = (item.status, item.doc.digest, item.extra_digest, digest)
        if seen is not None:
            if memo.unchanged(rel, seen, digest) or (
                    seen[2] == len(data) and not memo.holds_other(rel, seen, digest)
                    and _same_bytes(destination, data)):
                made[rel] = (seen, digest)
                continue
        elif entry is not None:
            os.unlink(destination)  # a link or other file planted there: never written through
        made[rel] = (_write(destination, data), digest)
    for rel in existing:
        os.unlink(os.path.join(destination_of.staging, rel))
    for rel in sorted(present - needed, key=len, reverse=True):
        os.rmdir(os.path.join(destination_of.staging, rel))
    memo.files = made
    memo.sources = sources
    memo.started_ns = started_ns
    memo.time_ns = time.time_ns()
    return pages


#: serve's memo of each staging folder, kept in memory between its rebuilds
_MEMOS: dict[str, StagingMemo] = {}
_MEMO_FORMAT = b"govpub-staging-memo-4\n"


def _memo_file(state: BuildState) -> Path | None:
    folder = cache_dir_for(state.root, "staging")
    return None if folder is None else folder / (
        "preview.memo" if state.options.preview else "site.memo")


def load_memo(path: Path | None, staging: str) -> StagingMemo:
    """The memo saved for ``staging``; an empty one when it is missing, for another
    folder, or not exactly what :func:`save_memo` wrote (never trusted in part)."""
    kept = read_sealed(path, _MEMO_FORMAT)
    if not (isinstance(kept, tuple) and len(kept) == 5):
        return StagingMemo()
    folder, time_ns, files, started_ns, sources = kept
    if folder != staging or not isinstance(time_ns, int) or not isinstance(files, dict) \
            or not isinstance(started_ns, int) or not isinstance(sources, dict):
        return StagingMemo()
    return StagingMemo(files=files, time_ns=time_ns, sources=sources, started_ns=started_ns)


def save_memo(path: Path | None, staging: str, memo: StagingMemo) -> None:
    # (when it cannot be kept, the next stage compares the files)
    keep_sealed(path, _MEMO_FORMAT,
                (staging, memo.time_ns, memo.files, memo.started_ns, memo.sources))


def stage(state: BuildState) -> None:
    """Stage the approved bytes. ``govpub build`` keeps the folder's memo in the cache
    folder, serve in memory (it does not save it: the next build compares the files)."""
    state.staging_dir = staging_dir_for(state.root, state.options.preview)
    key = os.path.realpath(state.staging_dir)
    memo_file = None if state.options.serve else _memo_file(state)
    memo = _MEMOS.get(key) or load_memo(memo_file, key)
    state.pages_written = write_tree(state.staging_dir, staged_files(state.model), memo)
    state.staged = {rel: digest if rel.endswith((".md", ".markdown")) else None
                    for rel, (_stat, digest) in memo.files.items()}
    if state.options.serve:
        _MEMOS[key] = memo
    else:
        save_memo(memo_file, key, memo)
