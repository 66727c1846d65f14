"""Check results kept between runs, keyed by each file's digest: a repeated check is cheap.

What is kept, per file under ``content/`` (key: its path and the SHA-256 of
its bytes):

- the file as loaded (front matter, line numbers, loading problems) and the
  values rules derived from it alone (its links, anchors, text segments);
- the findings of the rules marked ``cacheable`` — those whose findings
  depend on nothing but the file's path and bytes and the policy (not the
  time, not another file, not git); of the rules marked ``cacheable = "day"``
  (they also read the date: an ID number's birth date must be past), the
  findings with the date they hold for.

Every other rule runs again on every check, on the documents as cached:
the sign-off rules (they read ``review/``; the parsed records are kept too,
by their own digest, each process's in one batch), the rules across files
(links, unique codes), and the rules that read the clock. So the cache cannot change a verdict: a result
is reused only for the same bytes at the same path, under the same policy,
the same rules, the same govpub and the same language — findings carry their
message worded for the reader (``generation``: any change there drops
every entry), and every entry carries a digest of its own bytes — a damaged
entry is ignored, not trusted.

To know a file's digest without reading it, the cache keeps each file's
(device, inode, size, modification and change time) beside its digest, as
git's index does. Any write changes the change time (``ctime``), which no
program can set back; a file changed within two seconds of being recorded
is not recorded (its timestamps may not have ticked yet). A file whose
status differs is read and hashed, and its results are still found by
digest (a fresh clone of an unchanged tree reuses them).

Filled from the second check on: ``govpub check`` fills the cache from the
second check of a generation on, not the first. Filling it (packing each
document, taking statuses, batching records) was a third of a cold check
(3.4 s wall at 10,000 pages on a loaded machine, 2.2 s without the cache),
paid in every CI run on a fresh clone, where no later check ever reads it —
a cache admits what is seen twice. The
first check of a clone, or after a change of policy or of govpub, leaves the
kept verdict (:mod:`govpub.verdicts`) and a mark; the next check not answered
by that verdict (an edit came) fills the cache, and the checks after it reuse
it. Builds and ``govpub serve`` fill it at once: their next (incremental)
build reads it.

The cache is a SQLite file in the user's cache folder (:mod:`govpub.cachedir`),
never in the repository: a checkout must not be able to supply its own
verdicts. A cold run (as in CI's fresh clone): point ``GOVPUB_CACHE_DIR`` at
an empty folder.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import functools
import hashlib
import io
import json
import operator
import os
import pickle
import sqlite3
import time
import types
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .cachedir import cache_dir_for
from .content import Document, Entry
from .digest import is_text_file as is_text_file_path
from .filetree import Status, file_status
from .findings import Finding
from .i18n import current_language
from .layout import CONTENT_DIR
from .sealed import seal, unseal

if TYPE_CHECKING:
    from .config import Policy
    from .rules import Rule

FORMAT = "govpub-check-cache-2"  # 2: records kept in batches
DATABASE = "check.sqlite3"
#: kept sign-off records beyond twice the current ones before they are compacted
RECORDS_SLACK = 64
#: the database's page size when it is made (SQLite's default is 4 KB)
PAGE_BYTES = 16384
#: up to this many entries are fetched by key; more, by reading the whole table
FETCH_BY_KEY = 256
#: a file changed this recently is hashed every time, never known by its status alone
RACY_NS = 2_000_000_000

#: derived values not kept for pages: larger than the page they are made from, or made
#: again from it quicker than written and read back (the sensitive-content scan's text;
#: the body's links, which only the links kept in the head are made from: writing them
#: was a sixth of writing a cold run's cache, and a later check never read them)
REMADE_FOR_PAGES = frozenset({"sensitive-segments", "body-links"})

def _read_bytes(path) -> bytes:
    with open(path, "rb", buffering=0) as stream:  # (no Path made of a path again)
        return stream.readall()


def _pack_findings(findings: list) -> bytes | None:
    return _pack(findings) if findings else None  # most files have none: nothing to unpack


def _unpack_findings(blob) -> list:
    return [] if blob is None else _unpack(blob)


@functools.cache
def _slot_setters(cls: type) -> tuple[tuple[str, ...], tuple]:
    names = tuple(f.name for f in dataclasses.fields(cls))
    return names, tuple(cls.__dict__[name].__set__ for name in names)


def _rebuild(cls: type, values: tuple):
    """A slots dataclass instance from its field values (frozen ones too), without __init__."""
    instance = object.__new__(cls)
    for setter, value in zip(_slot_setters(cls)[1], values, strict=True):
        setter(instance, value)
    return instance


@functools.cache
def _slotted_fields(cls: type):
    """A getter of the field values of a slots dataclass, as a tuple; None for other types."""
    if not ("__slots__" in cls.__dict__ and dataclasses.is_dataclass(cls)):
        return None
    names = _slot_setters(cls)[0]
    if not names or not all(isinstance(cls.__dict__.get(n), types.MemberDescriptorType)
                            for n in names):
        return None
    if len(names) == 1:
        return lambda obj: (getattr(obj, names[0]),)
    return operator.attrgetter(*names)


def _slotted_reducer(cls: type):
    values = _slotted_fields(cls)
    return lambda obj: (_rebuild, (cls, values(obj)))


@functools.cache
def _dispatch_table() -> dict:
    """Reducers of the slots dataclasses kept in the cache (links, segments, findings), by
    type: pickle looks a type up there in C, where a ``reducer_override`` was a Python
    call for every object that is not a plain value (each named tuple, each class
    named), which doubled the cost of writing a cold run's cache. A slots dataclass not
    listed is still kept right, pickle's own (slower) way."""
    from .links.extract import Link
    from .sensitive.sources import Segment

    table = dict(copyreg.dispatch_table)
    for cls in (Link, Segment, Finding):
        if _slotted_fields(cls) is not None:
            table[cls] = _slotted_reducer(cls)
    return table


def _pack(value) -> bytes:
    """``value`` pickled, slots dataclasses as (class, values): a tenth of the time pickle's
    own way takes to rebuild them, which was most of a warm check."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch_table()
    pickler.dump(value)
    return seal(out.getvalue())


def _unpack(blob):
    """The value, or raise ValueError for a damaged blob (never a half-trusted value)."""
    payload = unseal(blob)
    try:
        return pickle.loads(payload)
    except Exception as exc:  # any damage that slipped past the digest
        raise ValueError("damaged cache entry") from exc


def cacheable_key(rel: str, raw: bytes, digest: str) -> str | None:
    """The cache key of a file's results, or None when its digest does not pin its bytes.

    A text file's digest ignores a BOM and CR line ends (DESIGN.md §5), but
    its findings do not (GP010 names the line): such a file is not cached.
    """
    if is_text_file_path(rel) and (raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw):
        return None
    return f"{rel}\0{digest}"


class CachedDocument(Document):
    """A document from the cache: its text and the rest of what was derived load on demand."""

    __slots__ = ("_body", "_rest")

    def __init__(self, *args, rest: bytes | None = None, **kwargs) -> None:
        self._rest = rest
        super().__init__(*args, **kwargs)

    @property
    def body(self):
        if self._rest is not None:
            self._load_rest()
        return self._body

    @body.setter
    def body(self, value) -> None:
        self._body = value

    def derive(self, key: str, compute):
        if key not in self.derived and self._rest is not None:
            self._load_rest()
        return Document.derive(self, key, compute)

    def _load_rest(self) -> None:
        blob, self._rest = self._rest, None
        body, derived = _unpack(blob)
        self._body = body
        for key, value in derived.items():
            self.derived.setdefault(key, value)


_SHARED_FIELDS = ("path", "is_page", "digest", "size", "meta", "body_line", "key_lines",
                  "problems", "readable")


def _head_of(doc: Document, shared: frozenset[str]) -> tuple:
    fields = tuple(getattr(doc, name) for name in _SHARED_FIELDS)
    return (*fields, {k: v for k, v in doc.derived.items() if k in shared})


def cached_document(head: bytes | tuple, rest: bytes | None, file: Path) -> CachedDocument:
    """The document :meth:`CheckCache.store` returned the blobs of (``rest`` None: without
    its text, as a document whose body was not kept; ``head`` unpacked already or not)."""
    return _document(_unpack(head) if isinstance(head, bytes) else head, rest, file)


def unpack_head(head: bytes) -> tuple:
    return _unpack(head)


def _document(head: tuple, rest: bytes | None, file: Path) -> CachedDocument:
    values = dict(zip(_SHARED_FIELDS, head[:-1], strict=True))
    doc = CachedDocument(file=file, body=None, rest=rest, **values)
    doc.derived = dict(head[-1])
    return doc


def _canonical_policy(policy: Policy) -> str:
    from .stamp import Unkeyable, canonical

    shown = {}
    for item in dataclasses.fields(policy):
        if item.name in ("root", "schemas"):  # the folder; the schemas are files (hashed)
            continue
        value = getattr(policy, item.name)
        if dataclasses.is_dataclass(value):
            value = dataclasses.asdict(value)
        elif isinstance(value, dict):
            value = {k: dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v
                     for k, v in value.items()}
        try:
            shown[item.name] = canonical(value)
        except Unkeyable:
            shown[item.name] = repr(value)
    return json.dumps(shown, sort_keys=True, default=str)


def generation(policy: Policy, rules: list[type[Rule]]) -> str:
    """Everything the cached results depend on besides each file: change it, drop them all."""
    from .stamp import code_key, tree_digest

    digest = hashlib.sha256(FORMAT.encode())
    digest.update(b"\0" + code_key().encode())
    # findings carry their message in the language of the run that made them
    digest.update(b"\0language\0" + current_language().encode())
    digest.update(b"\0policy-files\0" + tree_digest(policy.config_dir).encode())
    digest.update(b"\0policy\0" + _canonical_policy(policy).encode())
    for rule in rules:
        digest.update(f"\0rule\0{rule.id}\0{rule.__module__}.{rule.__qualname__}\0"
                      f"{rule.cacheable}".encode())
    return digest.hexdigest()


class CheckCache:
    """One repository's cached check results (one SQLite file, one generation at a time)."""

    def __init__(self, path: Path, generation_key: str, root: Path, cacheable: frozenset[str],
                 shared: frozenset[str], daily: frozenset[str] = frozenset(),
                 today: str = "") -> None:
        self.path = path
        self.generation = generation_key
        self.root = root
        self._root_prefix = os.fspath(root) + os.sep
        self.cacheable = cacheable  # ids of the rules whose findings are kept
        self.daily = daily  # ids of the rules whose findings are kept for the day
        self.today = today  # the check's date in the site's time zone
        #: reused documents whose daily findings are of another day: run those rules again
        self.stale_days: set[str] = set()
        self.shared = shared  # derived values loaded with every cached document
        self.statuses: dict[str, tuple[Status, str]] = {}
        #: status of each file to load as the split saw it, before it was read
        self.seen: dict[str, Status | None] = {}
        self._pending_files: list[tuple[str, Status, str]] = []
        self._pending_docs: list[tuple] = []
        self._pending_days: list[tuple[str, bytes, str]] = []
        #: parsed sign-off records by their digest: all kept, those this process parsed,
        #: those this check used
        self.records: dict[str, object] = {}
        self._pending_records: dict[str, object] = {}
        self.records_used: set[str] = set()
        #: entries kept in this process's memory between checks (govpub serve; see
        #: govpub.checkmemo): key → (head values, rest blob, findings, day, daily findings),
        #: or None when the process keeps none
        self.kept: dict[str, tuple] | None = None
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self.hits = 0
        self.misses = 0

    # --- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, policy: Policy, rules: list[type[Rule]], shared: frozenset[str],
             today: str, statuses: dict | None = None) -> CheckCache | None:
        """``statuses``: the files' statuses and digests this process kept (see
        govpub.checkmemo; facts about the files, whatever the generation): not read
        again from the database, and what this check learns is added to them."""
        folder = cache_dir_for(policy.root, "check")
        if folder is None:
            return None
        cache = cls(folder / DATABASE, generation(policy, rules), policy.root,
                    frozenset(r.id for r in rules if r.cacheable is True), shared,
                    frozenset(r.id for r in rules if r.cacheable == "day"), today)
        if statuses:
            cache.statuses = statuses
        try:
            cache._prepare()
        except sqlite3.DatabaseError:  # damaged beyond reading: start again, never trust it
            cache.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(cache.path) + suffix).unlink(missing_ok=True)
            try:
                cache._prepare()
            except sqlite3.DatabaseError:
                return None
        return cache

    def _db(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():  # never across a fork
            self._connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            # a new database only (set before its first write): a kept page is a few KB,
            # over the default 4 KB page; larger pages made writing a cold run's cache
            # a fifth quicker
            self._connection.execute(f"PRAGMA page_size={PAGE_BYTES}")
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
            self._pid = os.getpid()
        return self._connection

    def _prepare(self) -> None:
        db = self._db()
        db.executescript("""
            CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, dev INTEGER, ino INTEGER,
                                              size INTEGER, mtime INTEGER, ctime INTEGER,
                                              digest TEXT);
            CREATE TABLE IF NOT EXISTS docs (k TEXT PRIMARY KEY, head BLOB, rest BLOB,
                                             findings BLOB, day TEXT, daily BLOB);
            CREATE TABLE IF NOT EXISTS records (k TEXT PRIMARY KEY, value BLOB);
            CREATE TABLE IF NOT EXISTS again (bucket INTEGER PRIMARY KEY, value BLOB);
        """)
        row = db.execute("SELECT v FROM meta WHERE k = 'generation'").fetchone()
        if row is None or row[0] != self.generation:
            db.execute("BEGIN")
            db.execute("DELETE FROM docs")
            db.execute("DELETE FROM records")
            db.execute("DELETE FROM again")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (self.generation,))
            db.execute("COMMIT")
        if self.statuses:
            return  # kept by the process (see open)
        for path, *status, digest in db.execute("SELECT * FROM files"):
            self.statuses[path] = (tuple(status), digest)

    def seen_before(self) -> bool:
        """Whether this cache is worth filling: a check of this generation ran here before,
        or something filled it already (a build). Else this check is marked as seen, for
        the next to find, and False is said (see "Filled from the second check on" above)."""
        try:
            db = self._db()
            row = db.execute("SELECT v FROM meta WHERE k = 'seen'").fetchone()
            if (row is not None and row[0] == self.generation) \
                    or db.execute("SELECT 1 FROM docs LIMIT 1").fetchone() is not None:
                return True
            db.execute("INSERT OR REPLACE INTO meta VALUES ('seen', ?)", (self.generation,))
        except sqlite3.DatabaseError:
            return True  # as if seen: the check then uses (and repairs) the cache as before
        return False

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    # --- a file's digest ---------------------------------------------------------------

    def known_digest(self, repo_path: str, status: Status | None) -> str | None:
        known = self.statuses.get(repo_path)
        return known[1] if known is not None and status is not None and known[0] == status \
            else None

    def remember(self, repo_path: str, status: Status | None, digest: str) -> None:
        if status is None or time.time_ns() - status[4] < RACY_NS:
            return
        if self.statuses.get(repo_path) != (status, digest):
            self.statuses[repo_path] = (status, digest)
            self._pending_files.append((repo_path, status, digest))

    # --- documents -----------------------------------------------------------------------

    def split(self, entries: list[Entry], digest_of) -> tuple[dict[str, tuple], list[Entry]]:
        """(hits: path → (document, cached findings), entries still to load)."""
        keys: dict[str, str] = {}
        empty = self._db().execute("SELECT 1 FROM docs LIMIT 1").fetchone() is None
        prefix = self._root_prefix + CONTENT_DIR + os.sep  # where list_entries found them
        for entry in entries:
            if empty:
                break  # a cold run: nothing to find (each file's status is taken as it is read)
            if entry.refusal or entry.collides_with:
                continue
            status = file_status(prefix + entry.rel)  # (not entry.file: no Path made text)
            self.seen[entry.rel] = status
            repo_path = "content/" + entry.rel
            digest = self.known_digest(repo_path, status)
            if digest is None:
                try:
                    raw = entry.file.read_bytes()
                except OSError:
                    continue
                digest = digest_of(entry.rel, raw)
                if cacheable_key(entry.rel, raw, digest) is None:
                    continue
                self.remember(repo_path, status, digest)
            keys[entry.rel] = f"{entry.rel}\0{digest}"
        kept = self.kept if self.kept is not None else {}
        today = self.today
        found = self._fetch_docs([k for k in keys.values()
                                  if k not in kept or kept[k][3] != today])
        hits: dict[str, tuple] = {}
        rest = []
        for entry in entries:
            key = keys.get(entry.rel, "")
            hit = None
            known = kept.get(key)
            if known is not None and known[3] == today:  # this process read it before
                hit = (_document(known[0], known[1], entry.file), known[2] + known[4])
            elif (row := found.get(key)) is not None:
                try:
                    head, findings = _unpack(row[0]), _unpack_findings(row[2])
                    daily = _unpack_findings(row[4])
                    if row[3] == today:
                        hit = (_document(head, row[1], entry.file), findings + daily)
                    else:
                        self.stale_days.add(entry.rel)
                        hit = (_document(head, row[1], entry.file), findings)
                    if self.kept is not None:
                        self.kept[key] = (head, row[1], findings, row[3], daily)
                except (ValueError, TypeError):
                    hit = None  # damaged: loaded again like any new file
            if hit is None:
                rest.append(entry)
            else:
                hits[entry.rel] = hit
        if self.kept is not None:
            for key in self.kept.keys() - set(keys.values()):
                del self.kept[key]  # of files gone or changed
        self.hits, self.misses = len(hits), len(rest)
        return hits, rest

    def _fetch_docs(self, keys: list[str]) -> dict[str, tuple]:
        if not keys:
            return {}
        query = "SELECT k, head, rest, findings, day, daily FROM docs"
        if len(keys) <= FETCH_BY_KEY:  # a few (the rest kept in memory): by the index
            return {k: row for k, *row in self._db().execute(
                f"{query} WHERE k IN ({', '.join('?' * len(keys))})", keys)}
        wanted = set(keys)
        return {k: row for k, *row in self._db().execute(query) if k in wanted}

    def before_reading(self, entry: Entry) -> None:
        """Take the status of a file about to be read, if the split did not (see store)."""
        if entry.rel not in self.seen and not (entry.refusal or entry.collides_with):
            self.seen[entry.rel] = file_status(entry.file)

    def store(self, doc: Document, findings: list[Finding]) -> tuple[bytes, bytes] | None:
        """Keep a freshly loaded document (with all it derived) and its cacheable findings.

        Returns the (head, rest) blobs kept, from which :func:`cached_document` makes
        the document again (a worker process sends them to the parent instead of
        pickling the document a second time); None when the document is not kept.
        """
        if not doc.digest or doc.body is None:
            return None
        if any(p.rule in ("GP009", "GP010") for p in doc.problems):
            return None  # about where the file is or its BOM and line ends: not pinned
        if is_text_file_path(doc.path) and not doc.is_page:
            return None  # a text attachment: its digest does not pin BOM and line ends
        kept = [f for f in findings if f.rule in self.cacheable]
        daily = [f for f in findings if f.rule in self.daily]
        head = _pack(_head_of(doc, self.shared))
        dropped = self.shared | REMADE_FOR_PAGES if doc.is_page else self.shared
        rest = _pack((doc.body, {k: v for k, v in doc.derived.items() if k not in dropped}))
        self._pending_docs.append((f"{doc.path}\0{doc.digest}", head, rest,
                                   _pack_findings(kept), self.today, _pack_findings(daily)))
        before = self.seen.get(doc.path)
        if before is not None and file_status(doc.file) == before:  # not changed while read
            self.remember(doc.repo_path, before, doc.digest)
        return head, rest

    def keep_in_memory(self, doc_path: str, digest: str, head, rest: bytes,
                       findings: list[Finding]) -> None:
        """With a process that keeps entries (``kept``): the entry just stored for this
        document (``head``: its blob or its values unpacked), as a later check would read
        it back, so that even the first check leaves it in memory."""
        if self.kept is None:
            return
        if isinstance(head, bytes):
            head = _unpack(head)
        self.kept[f"{doc_path}\0{digest}"] = (
            head, rest, [f for f in findings if f.rule in self.cacheable], self.today,
            [f for f in findings if f.rule in self.daily])

    def store_daily(self, doc: Document, findings: list[Finding]) -> None:
        """The daily rules' findings of a reused document, for today."""
        daily = [f for f in findings if f.rule in self.daily]
        self._pending_days.append((self.today, _pack_findings(daily),
                                   f"{doc.path}\0{doc.digest}"))

    # --- sign-off records ------------------------------------------------------------------

    def record(self, record_file: str | os.PathLike, parse, unreadable,
               status: Status | None = None):
        """``parse(the file's bytes)``, answered from the cache while the bytes are the same
        (``unreadable(error)`` when the file cannot be read). The file is read once: its
        digest is of the bytes parsed. ``status``: the file's, taken by the caller just
        before (else taken here)."""
        text = os.fspath(record_file)  # (the file named by its text below: no Path again)
        prefix = self._root_prefix
        if status is None:
            status = file_status(text)
        repo_path = text[len(prefix):].replace(os.sep, "/") if text.startswith(prefix) else None
        digest = self.known_digest(repo_path, status) if repo_path is not None else None
        if digest is not None and digest in self.records:
            self.records_used.add(digest)
            return self.records[digest]
        try:
            raw = _read_bytes(text)
        except OSError as exc:
            return unreadable(exc)
        if repo_path is None:
            return parse(raw)
        digest = hashlib.sha256(raw).hexdigest()
        value = self.records[digest] if digest in self.records else parse(raw)
        if status is not None and file_status(text) == status \
                and time.time_ns() - status[4] >= RACY_NS:  # unchanged while it was read
            self.remember(repo_path, status, digest)
            self.records_used.add(digest)
            if digest not in self.records:
                self.records[digest] = self._pending_records[digest] = value
        return value

    def load_records(self) -> None:
        """Every parsed record of this generation, at once (kept in batches, see flush)."""
        for (blob,) in self._db().execute("SELECT value FROM records"):
            try:
                batch = _unpack(blob)
            except ValueError:
                continue  # damaged: those records are parsed again
            if isinstance(batch, dict):
                self.records.update(batch)

    def compact_records(self) -> None:
        """Keep only the current records, in one batch, when most kept are not: those this
        process used and those of every record file as last seen (worker processes used
        theirs and wrote their files' digests)."""
        if len(self.records) <= 2 * len(self.records_used) + RECORDS_SLACK:
            return
        try:
            db = self._db()
            current = self.records_used | {digest for (digest,) in db.execute(
                "SELECT digest FROM files WHERE path NOT LIKE 'content/%'")}
        except sqlite3.DatabaseError:
            return
        if len(self.records) <= 2 * len(current) + RECORDS_SLACK:
            return
        used = {d: self.records[d] for d in current if d in self.records}
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM records")
            db.execute("INSERT INTO records VALUES (?, ?)", (_batch_key(), _pack(used)))
            db.execute("COMMIT")
        except sqlite3.DatabaseError:
            return
        for digest in self.records.keys() - used.keys():  # (the dict a process may keep)
            del self.records[digest]

    # --- writing -----------------------------------------------------------------------

    def flush(self) -> None:
        """Write what this process learned (each process its own transaction)."""
        if not (self._pending_docs or self._pending_files or self._pending_days
                or self._pending_records):
            return
        try:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                           self._pending_docs)
            db.executemany("UPDATE docs SET day = ?, daily = ? WHERE k = ?", self._pending_days)
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [(p, *s, d) for p, s, d in self._pending_files])
            if self._pending_records:  # one batch: one pickle, not one per record
                db.execute("INSERT INTO records VALUES (?, ?)",
                           (_batch_key(), _pack(self._pending_records)))
            db.execute("COMMIT")
        except sqlite3.DatabaseError:
            return  # a cache that cannot be written is only a slower next run
        finally:
            self._pending_docs, self._pending_files, self._pending_days = [], [], []
            self._pending_records = {}

    # --- the findings of the rules run again, by bucket (govpub.checkmemo) -------------

    def again_buckets(self) -> dict[int, object]:
        """The kept buckets, unpacked; a damaged one is left out (the caller checks what
        each is before trusting it: :func:`govpub.checkmemo.stored_buckets`)."""
        found = {}
        try:
            rows = self._db().execute("SELECT bucket, value FROM again").fetchall()
        except sqlite3.DatabaseError:
            return found
        for bucket, blob in rows:
            try:
                found[bucket] = _unpack(blob)
            except ValueError:
                continue
        return found

    def keep_again_buckets(self, changed: dict[int, object | None]) -> None:
        """Keep these buckets (None: drop the bucket); quietly not at all if it fails."""
        if not changed:
            return
        kept = [(bucket, _pack(value)) for bucket, value in changed.items() if value is not None]
        dropped = [(bucket,) for bucket, value in changed.items() if value is None]
        db = self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO again VALUES (?, ?)", kept)
            db.executemany("DELETE FROM again WHERE bucket = ?", dropped)
            db.execute("COMMIT")
        except sqlite3.DatabaseError:
            with contextlib.suppress(sqlite3.DatabaseError):
                db.execute("ROLLBACK")

    def prune(self, current: set[str]) -> None:
        """Drop entries of other versions and of files that no longer exist (one tree)."""
        db = self._db()
        stale = [(k,) for (k,) in db.execute("SELECT k FROM docs") if k not in current]
        if stale:
            try:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("DELETE FROM docs WHERE k = ?", stale)
                db.execute("COMMIT")
            except sqlite3.DatabaseError:
                pass


def _batch_key() -> str:
    return f"{os.getpid()}-{time.time_ns()}-{os.urandom(4).hex()}"


_active: list[CheckCache] = []


@contextmanager
def reading_records(cache: CheckCache | None):
    """While active, sign-off records are parsed through ``cache`` (see read_record)."""
    if cache is None:
        yield
        return
    _active.append(cache)
    try:
        yield
    finally:
        _active.remove(cache)


def record_reader(parse, unreadable):
    """``read(record_file)``: ``parse(its bytes)``, a pure function of them, or
    ``unreadable(error)`` when the file cannot be read; while a check runs (see
    reading_records) answered from the check cache."""

    def read(record_file, status: Status | None = None):
        """``status``: the file's (file_status), if the caller has just taken it."""
        if _active:
            return _active[-1].record(record_file, parse, unreadable, status)
        try:
            raw = _read_bytes(record_file)
        except OSError as exc:
            return unreadable(exc)
        return parse(raw)

    return read
