"""The whole verdict of an unchanged tree, kept: a repeated `govpub check` answers at once.

The check cache (:mod:`govpub.checkcache`) spares a repeated check the
loading of unchanged files, but every rule that reads ``review/``, the clock
or other files still runs — two seconds at 10,000 pages. When *nothing* the
check reads has changed, the answer is the one given last time, and this
module gives it back without loading the policy, the rules or a single page.

What the verdict is keyed by (all of it, or it is not reused):

- every file and folder under the check's inputs (:data:`INPUTS`: ``content/``,
  ``review/``, ``site_config/``, ``disclosure/``), by path and status (type,
  device, inode, size, modification and change times — the change time no
  program can set back); ``tests/test_verdicts.py`` runs the check under an
  audit hook and fails if it opens anything else in the repository;
- govpub's own code, the installed packages, Python, the environment
  variables that change what the check says, and the language of messages
  (:func:`govpub.stamp.code_key`);
- the time. Rules whose findings depend on the time say so (``Rule.clock``)
  and, while they check, name the instants at which their findings may
  change (``ctx.changes_at``: a scheduled page's publication time, a link
  approval's review date, a sign-off's time; the checker names the
  midnights for rules cached by the day, such as ID numbers). The verdict
  holds strictly between the last such instant before the check and the
  first one after it, and only for a time of the same time zone.

Never reused when in doubt. The tree is walked once per check: by the
lookup, when a verdict may be kept, else (a fresh clone, nothing to look up)
by a forked child while the check starts on this core (the other core is idle
then: a walk of 20,000 files is a tenth of a second). A verdict is kept by
that state only if every input's change time — and that of the repository's
folder, where an input folder's removal shows — is over two seconds older
than the check's start (a file's times may not have ticked yet: git's "racy"
rule). Every change to a file or folder (a write; a new, removed or renamed
entry) sets the change time of the file or of its folder to the moment it
happens, and nothing sets it back. So if nothing changed while the check
ran, the tree it read is the state kept; if something did, the tree can never
be in that state again (an entry's change time is now later than any the
state holds), and the verdict kept by it is never found. If the real clock
was set while the check ran (it parted from the monotonic clock), a change
time may lie before the start: nothing is kept. The verdict is written with a
digest of its own bytes (a damaged file is ignored).
Like the check cache it lives in the user's cache folder, never in the
repository, so a checkout cannot supply its own verdict.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .atomic import write_atomic
from .cachedir import cache_dir_for
from .layout import CONFIG_DIR, CONTENT_DIR, DISCLOSURE_DIR, REVIEW_DIR
from .sealed import seal, unseal

FORMAT = b"govpub-verdicts-1"
FILE = "verdicts.pickle"
#: every folder of the repository the whole check reads (relative to the root)
INPUTS = (CONTENT_DIR, REVIEW_DIR, CONFIG_DIR, DISCLOSURE_DIR)
#: verdicts kept per repository (other languages, other --now, the tree before an edit)
KEPT = 8
#: an input changed this recently may change again without its times changing
RACY_NS = 2_000_000_000
#: the real clock and the monotonic one may part by this much during a check before the
#: clock counts as set (NTP slews a clock by at most half a millisecond a second)
CLOCK_SET_NS = 100_000_000


@dataclass(frozen=True)
class Started:
    """When a check began, before it read anything, by the real and the monotonic clock."""

    wall_ns: int
    monotonic_ns: int

    @classmethod
    def now(cls) -> Started:
        return cls(time.time_ns(), time.monotonic_ns())

    def settled_before(self, state: TreeState, root: Path) -> bool:
        """Whether every input of ``state`` (walked since the start) and the repository's
        folder were last changed over RACY_NS before the start, by a clock that was not
        set since (see the module's docstring)."""
        wall, monotonic = time.time_ns() - self.wall_ns, time.monotonic_ns() - self.monotonic_ns
        if abs(wall - monotonic) > CLOCK_SET_NS:
            return False  # the clock was set: a change time may lie before the start
        try:
            root_changed = os.lstat(root).st_ctime_ns
        except OSError:
            return False
        return max(state.newest_ns, root_changed) < self.wall_ns - RACY_NS


@dataclass(frozen=True)
class Window:
    """Between which instants (exclusive) of one clock the verdict holds.

    ``clock`` is ``"now"`` (the time the check judges at: ``--now`` or the real
    time) or ``"clock"`` (the later of that and the real clock).
    """

    clock: str
    after: datetime | None
    before: datetime | None

    def holds(self, at: datetime) -> bool:
        return (self.after is None or self.after < at) and (self.before is None or at < self.before)


@dataclass(frozen=True)
class Verdict:
    """What ``govpub check`` reports for the whole tree (before narrowing to PATHs)."""

    findings: tuple
    files: int
    publishable: int
    windows: tuple[Window, ...]
    #: the time zone of the time judged at (the ID-number rule reads its date there)
    zone: str
    #: the site's time zone (site_config/site.yml), in which ``--now`` is read
    site_zone: str


@dataclass(frozen=True)
class TreeState:
    """The inputs' statuses, digested, and the newest change time among them."""

    digest: str
    newest_ns: int


def _zone_key(moment: datetime) -> str:
    zone = moment.tzinfo
    return getattr(zone, "key", None) or str(moment.utcoffset())


def tree_state(root: Path) -> TreeState:
    """Every input file and folder by path and status, without reading a byte of them."""
    rows: list[tuple] = []
    newest = 0
    base = os.path.abspath(root)
    skip = len(base)
    pending = [os.path.join(base, name) for name in reversed(INPUTS)]
    while pending:
        folder = pending.pop()
        try:
            st = os.lstat(folder)
        except FileNotFoundError:
            rows.append((folder[skip:], None))
            continue
        rows.append((folder[skip:], st.st_mode))
        newest = max(newest, st.st_ctime_ns)
        if not stat.S_ISDIR(st.st_mode):
            continue
        for name in sorted(os.listdir(folder), reverse=True):
            path = folder + os.sep + name
            st = os.lstat(path)
            if stat.S_ISDIR(st.st_mode):
                pending.append(path)
            else:
                rows.append((path[skip:], st.st_mode, st.st_dev, st.st_ino, st.st_size,
                             st.st_mtime_ns, st.st_ctime_ns))
                if st.st_ctime_ns > newest:
                    newest = st.st_ctime_ns
    # names are str with surrogate escapes for undecodable bytes: pickle keeps them exactly
    payload = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
    return TreeState(hashlib.sha256(payload).hexdigest(), newest)


def verdict_key(state: TreeState) -> str:
    """The inputs, govpub's code and environment, and the language of messages."""
    from .i18n import current_language
    from .stamp import code_key

    digest = hashlib.sha256(FORMAT)
    digest.update(b"\0" + code_key().encode())
    digest.update(b"\0" + current_language().encode())
    digest.update(b"\0" + state.digest.encode())
    return digest.hexdigest()


def _store(root: Path) -> Path | None:
    folder = cache_dir_for(root, "check")
    return None if folder is None else folder / FILE


def _read_all(path: Path) -> dict[str, Verdict]:
    try:
        kept = pickle.loads(unseal(path.read_bytes()))
    except Exception:  # unreadable, damaged (caught by the seal) or not ours: nothing kept
        return {}
    if not isinstance(kept, dict) or \
            not all(isinstance(v, Verdict) for v in kept.values()):
        return {}
    return kept


def recall(root: Path, now_text: str | None) -> Verdict | None:
    """The verdict kept for the tree as it is now, at the time judged at (``--now``, read
    in the site's time zone, or the real time); None if none holds."""
    return look_up(root, now_text)[0]


def look_up(root: Path, now_text: str | None) -> tuple[Verdict | None, TreeState | None]:
    """(the verdict :func:`recall` gives, the tree's state it was looked up by, the one to
    :func:`keep` the check's verdict by); (None, None) when nothing is kept at all: the
    caller walks the tree beside the check (:class:`TreeWalk`)."""
    path = _store(root)
    if path is None or not path.is_file():
        return None, None
    state = tree_state(root)
    if time.time_ns() - state.newest_ns < RACY_NS:
        return None, state
    verdict = _read_all(path).get(verdict_key(state))
    return (_holding(verdict, now_text) if verdict is not None else None), state


def _holding(verdict: Verdict, now_text: str | None) -> Verdict | None:
    from zoneinfo import ZoneInfo

    from .timeparse import DateFormatError, parse_now

    try:
        now = parse_now(now_text, ZoneInfo(verdict.site_zone))
    except (DateFormatError, ValueError, KeyError):
        return None  # the check itself says what is wrong with it
    if verdict.zone != _zone_key(now):
        return None
    readings = {"now": now, "clock": max(datetime.now(UTC), now)}
    if all(window.holds(readings[window.clock]) for window in verdict.windows):
        return verdict
    return None


def windows_of(instants: dict[str, list[datetime]], now: datetime, clock_before: datetime,
               clock_after: datetime) -> tuple[Window, ...] | None:
    """The windows a verdict holds in, from the instants its rules named
    (``CheckResult.instants``); None if it holds for no other time.

    ``clock_before``/``clock_after``: the real clock before and after the check
    (a rule read it in between: no instant of that clock may lie in between).
    """
    windows = []
    for clock, first, last in (("now", now, now),
                               ("clock", max(clock_before, now), max(clock_after, now))):
        named = instants.get(clock) or ()
        if not named:
            continue
        after = max((t for t in named if t <= first), default=None)
        before = min((t for t in named if t > first), default=None)
        if after == first or (before is not None and before <= last):
            return None  # judged right at (or across) an instant: either side may differ
        windows.append(Window(clock, after, before))
    return tuple(windows)


class TreeWalk:
    """The tree's state, walked by a forked child while this process goes on (the check
    starts with a few tenths of a second on one core); where there is no fork, walked
    when asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._pid = None
        self._reader = None
        try:
            reader, writer = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except (AttributeError, OSError):
            os.close(reader)
            os.close(writer)
            return
        if pid == 0:  # the child: walk, send, leave without running anything of the parent's
            code = 1
            try:
                os.close(reader)
                state = tree_state(root)
                with os.fdopen(writer, "wb") as out:
                    out.write(pickle.dumps((state.digest, state.newest_ns)))
                code = 0
            finally:
                os._exit(code)
        os.close(writer)
        self._pid, self._reader = pid, reader

    def state(self) -> TreeState:
        """The state the child walked (walked here if it could not)."""
        if self._pid is None:
            return tree_state(self.root)
        with os.fdopen(self._reader, "rb") as received:
            data = received.read()
        _pid, status = os.waitpid(self._pid, 0)
        self._pid = None
        try:
            digest, newest = pickle.loads(data) if status == 0 else (None, None)
        except Exception:  # the child failed halfway
            digest, newest = None, None
        if isinstance(digest, str) and isinstance(newest, int):
            return TreeState(digest, newest)
        return tree_state(self.root)  # walked here instead


def keep(root: Path, state: TreeState, result, now: datetime, clock_before: datetime,
         started: Started) -> bool:
    """Keep ``result`` (a whole-tree CheckResult) by ``state`` (walked since the check
    ``started``, before or while it ran) if it is safe to give back later."""
    path = _store(root)
    site_zone = getattr(result.context.policy.timezone, "key", None)
    if path is None or site_zone is None:
        return False
    if not started.settled_before(state, root):
        return False  # an input changed just before or while the check ran
    windows = windows_of(result.instants, now, clock_before, datetime.now(UTC))
    if windows is None:
        return False
    verdict = Verdict(findings=tuple(result.findings), files=len(result.context.corpus.documents),
                      publishable=len(result.publishable), windows=windows,
                      zone=_zone_key(now), site_zone=site_zone)
    kept = _read_all(path)
    kept.pop(key := verdict_key(state), None)
    kept[key] = verdict
    while len(kept) > KEPT:
        kept.pop(next(iter(kept)))
    try:
        write_atomic(path, seal(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)))
    except OSError:
        return False  # a store that cannot be written is only a slower next run
    return True
