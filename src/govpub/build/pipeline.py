"""The build as a list of named stages: load → check → gate → stage → render → post-build → publish.

Each stage is a small function that reads and extends one :class:`BuildState`
(the way MkDocs' ``commands/build.py`` and Pelican's readers → generators →
writers hand one context along). A stage that fails raises a
:class:`~govpub.errors.GovpubError`; nothing outside ``.govpub/`` and the
temporary site folder is touched before the final ``publish`` stage, so a
failed build leaves the previous site as it was.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .. import collector
from ..checker import CheckResult, check_repository
from ..config import Policy, load_policy
from ..errors import BuildError, UsageError
from ..i18n import _
from ..rules import Rule
from ..sitemodel import SiteModel
from ..timeparse import DateFormatError, parse_now

WORK_DIR = ".govpub"
PREVIEW_DIR = f"{WORK_DIR}/preview"
#: where `govpub serve` (without --preview) builds: its own folder, never deployed
SERVE_DIR = f"{WORK_DIR}/serve"


@dataclass
class BuildOptions:
    root: Path
    site_dir: Path | None = None  # default: site/, .govpub/preview/ or .govpub/serve/
    strict: bool = False
    renderer: str = "mkdocs"
    preview: bool = False
    #: built for `govpub serve`: its own folder, and (with ``defer_search``) the search
    #: index of the site it replaces until :func:`govpub.search.refresh_search_index` runs
    serve: bool = False
    defer_search: bool = False
    now_text: str | None = None
    echo: Callable[[str], None] = print
    #: the rules to run; None runs every registered rule (tests pass their own)
    rules: list[type[Rule]] | None = None

    @property
    def target_is_local(self) -> bool:
        """The site goes to a folder govpub serves locally and never deploys."""
        return self.preview or self.serve

    @property
    def target(self) -> Path:
        if self.site_dir is not None:
            return Path(self.site_dir).resolve()
        folder = PREVIEW_DIR if self.preview else SERVE_DIR if self.serve else "site"
        return (self.root / folder).resolve()


@dataclass
class BuildState:
    options: BuildOptions
    policy: Policy | None = None
    now: datetime | None = None
    result: CheckResult | None = None
    model: SiteModel | None = None
    #: content paths of pages shown only because this is a preview (banner "not reviewed")
    unreviewed: set[str] = field(default_factory=set)
    quarantined: dict[str, list] = field(default_factory=dict)
    held_back: dict[str, list] = field(default_factory=dict)
    staging_dir: Path | None = None
    #: every staged file (paths relative to staging) → SHA-256 of its bytes (pages only;
    #: None for attachments, whose bytes no page's HTML depends on)
    staged: dict[str, str | None] = field(default_factory=dict)
    temp_site: Path | None = None
    site_dir: Path | None = None
    pages_written: int = 0
    #: the MkDocs configuration this build renders with (loaded once, shared by the parts)
    mkdocs_config: object | None = None
    #: what the render reused and wrote, for the post-build steps and the next build's
    #: render record (govpub.build.incremental); None for renderers without one
    site_delta: object | None = None
    #: the site was published with the search index of the site before it (serve)
    search_deferred: bool = False
    #: the site was published without its manifest, written once it is served (serve)
    manifest_deferred: bool = False
    #: the post-build steps serve runs once the pages are served (govpub.build.afterpages)
    after_pages: object | None = None
    #: (record file, render record) that serve writes once the pages are served
    #: (:func:`govpub.build.serve.rebuild_once`); a build writes it at once
    unsaved_record: tuple | None = None

    @property
    def root(self) -> Path:
        return self.options.root

    @property
    def work_dir(self) -> Path:
        return self.root / WORK_DIR


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[BuildState], None]


def load(state: BuildState) -> None:
    """Read the policy and settle the time of the build."""
    from .publish import check_target

    state.policy = load_policy(state.root)
    try:
        state.now = parse_now(state.options.now_text, state.policy.timezone)
    except DateFormatError as exc:
        raise UsageError(_("--now: {error}").format(error=exc)) from None
    state.site_dir = state.options.target
    check_target(state.root, state.site_dir, preview=state.options.preview,
                 serve=state.options.serve)


def check(state: BuildState) -> None:
    """Load every file under content/ and run the rules over it (on every core)."""
    # serve's process keeps what each check computed for the next (govpub.checkmemo)
    state.result = check_repository(state.policy, state.now, rules=state.options.rules,
                                    keep=state.options.serve)


def default_stages() -> list[Stage]:
    from .gate import gate
    from .publish import post_build, publish
    from .render import render
    from .staging import stage

    return [Stage("load", load), Stage("check", check), Stage("gate", gate),
            Stage("stage", stage), Stage("render", render), Stage("post-build", post_build),
            Stage("publish", publish)]


@contextmanager
def build_lock(work_dir: Path):
    """One build at a time per repository (``serve`` rebuilding while ``build`` runs)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    with open(work_dir / "build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_build(options: BuildOptions, stages: list[Stage] | None = None) -> BuildState:
    """Run the stages in order; clean up the temporary site folder on any failure."""
    options.root = Path(options.root).resolve()
    state = BuildState(options=options)
    if not (options.root / "site_config").is_dir():
        raise UsageError(_("no site_config/ folder here"), path=options.root,
                         hint=_("run govpub from the root of a site repository, or pass --root"))
    with build_lock(state.work_dir), _settled_between_stages():
        try:
            for stage in stages or default_stages():
                stage.run(state)
                collector.freeze()
        except (OSError, ValueError) as exc:
            raise BuildError(_("build failed: {error}").format(error=exc)) from None
        finally:
            if state.temp_site is not None and state.temp_site.exists():
                shutil.rmtree(state.temp_site, ignore_errors=True)
    return state


@contextmanager
def _settled_between_stages():
    """What each stage leaves is set aside from the cyclic garbage collector
    (``gc.freeze()`` after every stage) until the build ends.

    A stage's records, documents and pages live until the build ends; each
    full collection walked all of them again (a one-page rebuild at 10,000 pages
    made four, 1.4 s of its 13 s, measured with ``gc.callbacks``; 0.2 s frozen).
    What a stage lets die is freed as before, unless it dies in a cycle: that
    waits for the end of the build, when everything frozen here is handed back
    (a process that froze its heap before, ``govpub serve``'s, keeps it frozen:
    :func:`govpub.build.serve.settle_memory` collects after each rebuild).
    """
    kept_frozen = collector.frozen()
    try:
        yield
    finally:
        if not kept_frozen:
            collector.unfreeze()
