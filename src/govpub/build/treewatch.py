"""Being told at once when serve's inputs change (inotify through watchdog), polling if not.

``govpub serve`` used to look at the tree once a second: an edit waited half a
second on average before anything happened, and each look stated every file
(95 ms of CPU at 10,000 files, every second). The operating system can say
when something changes instead. :class:`TreeEvents` wakes the watcher on
every write, creation, removal or move under the watched inputs (watchdog's
observer: inotify on Linux, its polling observer where there is no native
one), and the snapshot comparison still decides whether anything changed.
Events can be lost (an overflowing queue, a file system that sends none), so
the watcher still looks by itself, every :data:`SAFETY_POLL_SECONDS`.

An event names the file that changed (:meth:`TreeEvents.take`): after an edit
the watcher states those files only, not the 20,000 inputs of a 10,000-page
site (0.1–0.3 s, before the rebuild could begin). A folder made, moved or
removed, or more than :data:`MAX_NAMED` files, and the tree is looked at whole.

Reads make no events here: the observer asks the kernel only for changes
(watchdog's ``event_filter``), so the build reading ``content/`` and
``review/`` (20,000 files at 10,000 pages, on every rebuild) neither wakes
the watcher nor sends 40,000 "opened" and "closed" events through the
observer's threads while the rebuild runs. (They were ignored, but each was
read, made into an object and dispatched in Python, competing with the
rebuild for the interpreter.)
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

#: with events, the watcher still compares snapshots this often (events may be lost)
SAFETY_POLL_SECONDS = 5.0
#: what a change is (watchdog's event types); opening and reading a file is not one
CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed", "attrib"})
#: beyond this many files named by events, the watcher looks at the whole tree again
MAX_NAMED = 2_000


class TreeEvents:
    """A :class:`threading.Event` set whenever something under ``names`` of ``root`` changes.

    ``live`` is False when no observer could be started (then nothing sets it
    but :meth:`wake`, and the caller polls as before).
    """

    def __init__(self, root: Path, names: tuple[str, ...]) -> None:
        self.changed = threading.Event()
        self.live = False
        #: the files named by the events since the last :meth:`take`, and whether something
        #: happened that names no file (a folder made, moved or removed; a wake)
        self._named: set[str] = set()
        self._whole = True
        self._lock = threading.Lock()
        #: every event the observer handed over, a change or not (for tests and benches)
        self.delivered = 0
        self._observer = None
        root = Path(root)
        try:
            self._start(root, names)
        except Exception:  # no inotify, too many watches, no watchdog: the caller polls
            self.stop()

    def _start(self, root: Path, names: tuple[str, ...]) -> None:
        from watchdog import events
        from watchdog.observers import Observer

        changed = self.changed
        counted = self
        folder_changes = (events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent)
        kinds = [events.FileCreatedEvent, events.DirCreatedEvent, events.FileDeletedEvent,
                 events.DirDeletedEvent, events.FileModifiedEvent, events.DirModifiedEvent,
                 events.FileMovedEvent, events.DirMovedEvent, events.FileClosedEvent]
        top_files = {os.path.join(str(root), n) for n in names if not (root / n).is_dir()}

        class Handler(events.FileSystemEventHandler):
            def __init__(self, only: set[str] | None) -> None:
                self.only = only

            def on_any_event(self, event) -> None:
                counted.delivered += 1
                if event.event_type not in CHANGES:
                    return
                paths = {os.fsdecode(event.src_path),
                         os.fsdecode(getattr(event, "dest_path", "") or "")} - {""}
                if self.only is not None and not paths & self.only:
                    return
                if not isinstance(event, events.DirModifiedEvent):  # (its files say more)
                    counted._note(paths, isinstance(event, folder_changes))
                changed.set()

        observer = Observer()
        for name in names:
            if (root / name).is_dir():
                observer.schedule(Handler(None), str(root / name), recursive=True,
                                  event_filter=kinds)
        if top_files:  # single files at the top (mkdocs.yml): the root, not its subfolders
            observer.schedule(Handler(top_files), str(root), recursive=False,
                              event_filter=kinds)
        observer.daemon = True
        observer.start()
        self._observer = observer
        self.live = True

    def wait(self, timeout: float) -> bool:
        """Sleep until a change (True) or ``timeout`` seconds (False); then clear the flag."""
        woke = self.changed.wait(timeout)
        self.changed.clear()
        return woke

    def _note(self, paths: set[str], whole: bool) -> None:
        with self._lock:
            self._named |= paths
            self._whole = self._whole or whole or len(self._named) > MAX_NAMED

    def take(self) -> tuple[frozenset[str], bool]:
        """(the files named by events since the last call, whether the whole tree must be
        looked at instead): a folder was made, moved or removed, too many files were
        named, :meth:`wake` was called, or this is the first call."""
        with self._lock:
            named, whole = frozenset(self._named), self._whole
            self._named, self._whole = set(), False
        return named, whole

    def wake(self) -> None:
        """Wake a waiting watcher (to look at the whole tree, or to stop it)."""
        with self._lock:
            self._whole = True
        self.changed.set()

    def stop(self) -> None:
        observer, self._observer = self._observer, None
        self.live = False
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)


__all__ = ["SAFETY_POLL_SECONDS", "TreeEvents"]
