"""What one check keeps for the next: the findings of the rules run on every check, by bucket.

A rebuild after one edit runs the whole check again. With the check cache
(:mod:`govpub.checkcache`) only the edited file is loaded, but the local
rules that are not ``cacheable`` — the sign-off rules (they read
``review/``), the rules that read the clock, the reproduction fidelity rule
(it reads the original's text beside the sign-off record) — ran again on
all 10,000 documents: 0.6–1 s of every rebuild. Here their findings are
kept in memory, by bucket of documents (a stable hash of the path: adding
or removing a page disturbs one bucket, not all that follow), and a bucket
is run again only when anything its findings depend on changed.

A bucket's findings are reused only when all of this is the same as when
they were made (else the bucket runs again — a kept result never changes
a finding or a verdict):

- for every document of the bucket: its path, its digest, the status of its
  file and of the two files beside its sign-off record that local rules
  may read, ``review/<path>.yml`` and ``review/<path>.original.md`` (device,
  inode, size, modification and change time; missing counts too). A file
  changed within two seconds is never trusted by its status (its times may
  not have ticked yet, git's "racy" rule): such a bucket is not kept;
- the check cache's generation (the policy and its files, govpub's code,
  the rules, the language of messages), the rule classes that ran (this
  process's code) and the time zone of the time judged at;
- the time: the rules that read a clock name the instants at which their
  findings may change (``ctx.changes_at``); a bucket is reused only if no
  such instant lies between the time it was checked at and the time of this
  check (either end included), for each clock (``now``, and ``clock``: the
  later of that and the real clock).

The buckets are also kept in the check cache's database (table ``again``), so
that the next process's check finds them: a one-page ``govpub build`` ran
those rules on all 10,000 documents (2 s of CPU, 0.5 s of wall on two
cores) before. A process reads them at its first check of a cache
generation (:func:`stored_buckets`: a damaged or ill-shaped one is dropped)
and writes the buckets it ran again or dropped (:func:`store_changes`).
What a bucket is reused by is the same in either case — the statuses of the
files, which a later process sees as this one did (a change time cannot be
set back) — so a stored bucket is as safe as one kept in memory.

Besides, ``govpub serve``'s process keeps the check cache's entries as read (``CheckCache.kept``): a
document's head as unpacked, its text still packed, its kept findings. Those
are the same for the same bytes (the key is the file's path and digest, and
the cache's generation); the documents made of them share their front
matter from check to check, which nothing changes once loaded (the compiled
schema check writes its defaults while the file is loaded, before the entry
is made): tests/test_check_memory.py compares them after serve's rebuilds
with the entries in the database.
``tests/test_check_memory.py`` compares kept and fresh checks after edits
of every kind, and runs those rules under an audit hook: one that reads a
file not named here must extend the key.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .filetree import Status, file_status, status_of
from .findings import Finding
from .review.records import RECORD_SUFFIX
from .watch.fidelity import ORIGINAL_SUFFIX

#: documents are kept in this many buckets (by a hash of their path)
BUCKETS = 64
#: a file changed this recently may change again without its status changing
RACY_NS = 2_000_000_000
#: the files beside a document's own that a local rule not cacheable may read, by suffix
#: of its path under review/ (the sign-off record; a reproduction's original text)
BESIDE = (RECORD_SUFFIX, ORIGINAL_SUFFIX)


def bucket_of(path: str) -> int:
    return zlib.crc32(path.encode("utf-8")) % BUCKETS


def clock_reading(now: datetime) -> datetime:
    """The "clock" a rule reads: the later of the time judged at and the real clock."""
    return max(datetime.now(UTC), now)


@dataclass
class Kept:
    """One bucket's findings, and what they were made from."""

    key: tuple
    findings: list[Finding]
    instants: dict[str, list[datetime]]
    #: per clock: the earliest and latest readings of it while the bucket was checked
    readings: dict[str, tuple[datetime, datetime]]

    def holds(self, key: tuple, readings: dict[str, tuple[datetime, datetime]]) -> bool:
        if key != self.key:
            return False
        for clock, instants in self.instants.items():
            if not instants:
                continue
            then, now = self.readings[clock], readings[clock]
            low, high = min(then[0], now[0]), max(then[1], now[1])
            if any(low <= instant <= high for instant in instants):
                return False
        return True


@dataclass
class KeptCheck:
    """What the last check of one repository in this process left for the next."""

    buckets: dict[int, Kept] = field(default_factory=dict)
    #: the cache generation whose stored buckets were read into ``buckets`` ("": none yet)
    stored: str = ""
    #: the check cache's entries as this process read them (CheckCache.kept), of one
    #: generation: read from the database and unpacked once, not on every check
    rows: dict[str, tuple] = field(default_factory=dict)
    #: parsed sign-off records by digest (CheckCache.records), of the same generation
    records: dict[str, object] = field(default_factory=dict)
    generation: str = ""
    #: files' statuses and digests (CheckCache.statuses): facts of any generation
    statuses: dict = field(default_factory=dict)
    #: each path's bucket (bucket_of), not hashed again on every check
    buckets_of: dict[str, int] = field(default_factory=dict)
    #: buckets run again and reused by the last check (for tests and benchmarks)
    ran: int = 0
    reused: int = 0


    def rows_for(self, generation: str) -> dict[str, tuple]:
        """The kept cache entries, if of ``generation`` (else none: they are dropped)."""
        if generation != self.generation:
            self.rows, self.records, self.generation = {}, {}, generation
        return self.rows

    def bucket_of(self, path: str) -> int:
        bucket = self.buckets_of.get(path)
        if bucket is None:
            bucket = self.buckets_of[path] = bucket_of(path)
        return bucket


_kept: dict[str, KeptCheck] = {}


def _well_formed(kept) -> bool:
    return isinstance(kept, Kept) and isinstance(kept.key, tuple) \
        and isinstance(kept.findings, list) and isinstance(kept.instants, dict) \
        and isinstance(kept.readings, dict) \
        and all(isinstance(f, Finding) for f in kept.findings) \
        and all(clock in kept.readings for clock, at in kept.instants.items() if at)


def stored_buckets(kept: KeptCheck, cache) -> None:
    """Read the buckets the check cache's database keeps into ``kept``, once per cache
    generation (a bucket this process holds already stays: it is at least as new)."""
    if kept.stored == cache.generation:
        return
    kept.stored = cache.generation
    for bucket, value in cache.again_buckets().items():
        if bucket not in kept.buckets and isinstance(bucket, int) and _well_formed(value):
            kept.buckets[bucket] = value


def store_changes(kept: KeptCheck, cache, changed) -> None:
    """Write the buckets ``changed`` (ran again, or gone) as ``kept`` now has them."""
    cache.keep_again_buckets({bucket: kept.buckets.get(bucket) for bucket in changed})


def kept_for(root: Path) -> KeptCheck:
    """This process's kept state for the repository at ``root``."""
    return _kept.setdefault(os.fspath(root), KeptCheck())


def forget(root: Path | None = None) -> None:
    """Drop what is kept (for one repository, or all)."""
    if root is None:
        _kept.clear()
    else:
        _kept.pop(os.fspath(root), None)


def beside_statuses(review_dir: str) -> dict[str, Status]:
    """The status of every file under ``review/`` named by a BESIDE suffix, by its path
    there: one listing of the folder, a status taken only of the files that exist (most
    pages have no original's text: a status asked of each was 10,000 failed calls)."""
    statuses: dict[str, Status] = {}
    cut = len(review_dir) + 1
    pending = [review_dir]
    while pending:
        try:
            listing = os.scandir(pending.pop())
        except OSError:
            continue
        with listing:
            for entry in listing:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    elif entry.name.endswith(BESIDE):
                        statuses[entry.path[cut:].replace(os.sep, "/")] = status_of(
                            entry.stat(follow_symlinks=False))
                except OSError:
                    continue
    return statuses


def document_key(beside: dict[str, Status], doc, status: Status | None,
                 started_ns: int) -> tuple | None:
    """What a document's findings of the rules run again depend on besides the policy and
    the time; None when a file changed too recently to be known by its status."""
    statuses = [status, *(beside.get(doc.path + suffix) for suffix in BESIDE)]
    for seen in statuses:
        if seen is not None and started_ns - seen[4] < RACY_NS:
            return None
    return (doc.path, doc.digest, *statuses)


def bucket_key(context: tuple, beside: dict[str, Status], documents: list, statuses: dict,
               started_ns: int) -> tuple | None:
    """The key of one bucket's findings (see the module's docstring), or None: not kept.
    ``beside``: :func:`beside_statuses`; ``statuses``: the documents' files' as the
    check cache took them before reading (else taken here)."""
    keys = []
    for doc in documents:
        status = statuses[doc.path] if doc.path in statuses else file_status(doc.file)
        key = document_key(beside, doc, status, started_ns)
        if key is None:
            return None
        keys.append(key)
    return (context, tuple(keys))
