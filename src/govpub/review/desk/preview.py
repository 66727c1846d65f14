"""The site as it will be published, for the desk to show: a preview build without the
preview's banners.

The governed build in preview mode (every page that loads, reviewed or not)
renders into ``.govpub/desk/site``; the render itself runs as on the deploy
branch (no "not reviewed" banner, no preview notice), so a page looks exactly
as it will once approved. The folder still carries the preview marker, so it
can never be deployed. The build runs in a child process (``python -m
govpub.review.desk.preview ROOT``), away from the desk's threads, and again
whenever the site's inputs change.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from ...build.pipeline import WORK_DIR, BuildOptions, Stage, default_stages, run_build
from ...build.publish import PREVIEW_MARKER, PREVIEW_MARKER_TEXT
from ...build.serve import snapshot

DESK_DIR = f"{WORK_DIR}/desk"
#: what the rendered site is made of (review/ is not: a sign-off changes no page)
INPUTS = ("content", "site_config", "mkdocs.yml")


def site_dir_for(root: Path) -> Path:
    return root / DESK_DIR / "site"


def inputs_snapshot(root: Path) -> dict:
    return {k: v for k, v in snapshot(root).items()
            if not str(k).startswith(str(root / "review"))}


def _render_as_published(render):
    """The render stage with the preview's banners turned off (the rest stays a preview)."""
    def run(state) -> None:
        state.options.preview = False
        try:
            render(state)
        finally:
            state.options.preview = True
    return run


def _mark_preview(state) -> None:
    """Instead of the post-build steps: the desk needs the pages, not the open data, feeds,
    printed handouts, link check or manifest; a broken link must not hide the page a
    reviewer has to read (the check reports it)."""
    (state.temp_site / PREVIEW_MARKER).write_text(PREVIEW_MARKER_TEXT, encoding="utf-8")


def build(root: Path) -> None:
    """One build of the desk's site (in this process)."""
    replaced = {"render": lambda s: Stage(s.name, _render_as_published(s.run)),
                "post-build": lambda s: Stage(s.name, _mark_preview)}
    stages = [replaced[s.name](s) if s.name in replaced else s for s in default_stages()]
    run_build(BuildOptions(root=root, site_dir=site_dir_for(root), preview=True,
                           echo=lambda _line: None), stages)


class PreviewSite:
    """The desk's rendered site, rebuilt in a child process when its inputs change."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site_dir = site_dir_for(root)
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._built_from: dict | None = None
        self._building: dict | None = None
        self._children: set[subprocess.Popen] = set()
        self._closed = False
        self.error: str | None = None

    @property
    def started(self) -> bool:
        """A build has run or is running."""
        with self._lock:
            return self._built_from is not None or self._building is not None

    def refresh(self) -> None:
        """Start a build if the inputs changed since the last one (returns at once)."""
        current = inputs_snapshot(self.root)
        with self._lock:
            if current in (self._built_from, self._building):
                return
            self._building = current
            self._ready.clear()
        threading.Thread(target=self._build, args=(current,), daemon=True).start()

    def _build(self, inputs: dict) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with self._lock:
            if self._closed:
                return
            proc = subprocess.Popen([sys.executable, "-m", "govpub.review.desk.preview",
                                     str(self.root)], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, env=env)
            self._children.add(proc)
        output, _ = proc.communicate()
        with self._lock:
            self._children.discard(proc)
            if self._building is not inputs:
                return  # a newer build has started; it will signal
            self._built_from = inputs
            self._building = None
            lines = (output or "").strip().splitlines()
            self.error = None if proc.returncode == 0 else (lines[-1] if lines else "failed")
            self._ready.set()

    def close(self) -> None:
        """Stop the builds still running (the desk is closing)."""
        with self._lock:
            self._closed = True
            children = list(self._children)
        for proc in children:
            proc.terminate()
            proc.wait()

    def wait(self, timeout: float) -> bool:
        """Wait until the newest build is done; False if it is still running."""
        return self._ready.wait(timeout)


def main(argv: list[str]) -> int:
    from ...errors import GovpubError
    from ...i18n import _

    try:
        build(Path(argv[0]).resolve())
    except GovpubError as exc:
        print(_("govpub: error: {error}").format(error=exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
