"""MkDocs + Material: the site's configuration inherited from the root ``mkdocs.yml``.

The root ``mkdocs.yml`` (theme, Markdown extensions) is what people
running plain ``mkdocs build`` use; the governed build reuses it and
overrides only what the gate owns: ``docs_dir`` (the staging folder),
``site_dir`` (a temporary folder), the navigation (one entry per column,
never per page), and the hooks (the page decorator instead of the guard,
since staging holds nothing to guard).
"""

from __future__ import annotations

import html
import logging
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from ..cachedir import cache_dir_for
from ..chrome import chrome_settings
from ..errors import BuildError, ConfigError
from ..filetree import remove
from ..i18n import _, ngettext
from ..sitemodel import SiteModel
from . import fingerprint, incremental, mkdocs_files, themelisting
from .generated import index_path, indexed_columns
from .mkdocs_parts import build_in_parts, part_count, part_dir
from .pipeline import BuildState
from .postbuild import SiteDelta
from .render import temp_site_for

DECORATOR_HOOK = Path(__file__).with_name("mkdocs_hook.py")
#: Material custom_dir shipped with govpub (used when mkdocs.yml names none that exists)
THEME_DIR = Path(str(resources.files("govpub").joinpath("theme")))
#: govpub's own code, part of the site key (the page hook, the chrome's texts)
GOVPUB_DIR = Path(str(resources.files("govpub")))
DEFAULT_CONFIG = Path(__file__).with_name("mkdocs-default.yml")


def config_file(root: Path) -> Path:
    """The repository's mkdocs.yml, or the default shipped with govpub."""
    own = root / "mkdocs.yml"
    return own if own.is_file() else DEFAULT_CONFIG


def navigation(model: SiteModel) -> list[dict]:
    """Home plus one entry per column index: the nav stays the same size as the site grows."""
    home = model.policy.columns.get("")  # the home column's title (首页), else the site name
    nav = [{html.escape(home.title if home else model.policy.site.get("name", "Home")): "index.md"}]
    for folder in indexed_columns(model):
        nav.append({html.escape(model.policy.columns[folder].title): index_path(folder, 1)})
    return nav


def govpub_settings(state: BuildState) -> dict:
    """What the page decorator needs to know about the site (Pelican: also the unreviewed)."""
    return {**site_settings(state), "unreviewed": sorted(state.unreviewed)}


def site_settings(state: BuildState) -> dict:
    """``config.extra.govpub``: the site's settings only, never one render's (see mkdocs_hook).

    With the site's search settings (:func:`govpub.search.site_search`): the
    languages with a search page and the header's search box where no page
    says its language; they are site-wide, so the site key covers them.
    """
    from ..search import site_search

    chrome = chrome_settings(state.model)
    return {"timezone": state.policy.site["timezone"], "preview": state.options.preview,
            "chrome": chrome, **site_search(state.model, chrome["language"])}


def _theme(raw: dict, base: Path) -> dict:
    theme = raw.get("theme") or {"name": "material"}
    if isinstance(theme, str):
        theme = {"name": theme}
    theme = dict(theme)
    custom = theme.get("custom_dir")
    if not custom or not (base / custom).is_dir():
        theme["custom_dir"] = str(THEME_DIR)
    else:
        theme["custom_dir"] = str((base / custom).resolve())
    return theme


class _WarningCollector(logging.Handler):
    """MkDocs' warnings, each also charged to the page being rendered (see RenderPlan)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        self.messages.append(message)
        plan = incremental.active()
        if plan is not None:
            plan.warning(message)


@contextmanager
def _collecting_warnings():
    logger = logging.getLogger("mkdocs")
    collector = _WarningCollector()
    logger.addHandler(collector)
    previous_propagate = logger.propagate
    logger.propagate = False  # warnings are reported once, by us
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous_propagate


def load_mkdocs_config(state: BuildState, docs_dir: Path, site_dir: Path):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    path = config_file(state.root)
    try:
        with open(path, "rb") as handle:
            raw = yaml_load(handle) or {}
    except Exception as exc:  # yaml errors of every kind: one line, not a traceback
        first_line = (str(exc).splitlines() or [""])[0]
        raise ConfigError(_("cannot read: {error}").format(error=first_line), path=path) from None
    extra = dict(raw.get("extra") or {})
    extra["govpub"] = site_settings(state)
    try:
        return load_config(
            config_file=str(path), docs_dir=str(docs_dir), site_dir=str(site_dir),
            theme=_theme(raw, path.parent), hooks=[str(DECORATOR_HOOK)],
            nav=navigation(state.model), extra=extra, strict=state.options.strict,
            site_name=state.policy.site.get("name") or raw.get("site_name"),
            site_url=raw.get("site_url") or state.policy.base_url)
    except ConfigurationError as exc:
        raise ConfigError(_("invalid MkDocs configuration: {detail}").format(detail=exc),
                          path=path) from None


def _load_config(state: BuildState):
    from mkdocs.exceptions import MkDocsException

    with _collecting_warnings() as collector:
        try:
            config = load_mkdocs_config(state, state.staging_dir, state.temp_site)
        except MkDocsException as exc:
            detail = "; ".join(collector.messages[:3]) or str(exc)
            raise ConfigError(_("invalid MkDocs configuration: {detail}").format(detail=detail),
                              path=config_file(state.root)) from None
    # the post-build step writes the sitemap (and its gzip) from the site model: MkDocs'
    # own, a template over every page, would only be written over (0.1 s of a one-page
    # rebuild at 10,000 pages)
    config.theme.static_templates.discard("sitemap.xml")
    themelisting.keep_listing(config)
    return config, collector.messages


def _build_part(state: BuildState, part: int, parts: int) -> dict:
    """One ``mkdocs build`` of (a part of) the staging folder; returns its warnings and the
    render plan's record of its pages."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    plan = incremental.active()
    plan.part = part
    config = state.mkdocs_config
    if part > 0:  # a forked child: its own copy of the configuration, writing its own folder
        config.site_dir = str(part_dir(state.temp_site, part))
    with _collecting_warnings() as collector, mkdocs_files.listing_kept():
        try:
            build(config)
        except MkDocsException as exc:
            detail = "; ".join(collector.messages[:3])
            raise BuildError(_("MkDocs failed: {error}").format(error=exc)
                             + (f" ({detail})" if detail else "")) from None
    return {"warnings": collector.messages, **plan.result()}


def _render(state: BuildState, reuse: frozenset[str], load_warnings: list[str]) -> list[dict]:
    """Render every page not in ``reuse`` (in parts when many) with ``state.mkdocs_config``;
    return what each part reports."""
    parts = part_count(max(0, state.pages_written - len(reuse)))
    plan = incremental.RenderPlan(reuse=reuse, unreviewed=frozenset(state.unreviewed),
                                  parts=parts,
                                  template_cache=cache_dir_for(state.root, "templates"))
    with incremental.activated(plan):
        if parts > 1:
            results = build_in_parts(state.temp_site, parts,
                                     lambda part: _build_part(state, part, parts))
        else:
            results = [_build_part(state, 0, 1)]
    for message in load_warnings + [w for result in results for w in result["warnings"]]:
        state.options.echo(_("mkdocs: warning: {message}").format(message=message))
    return results


def _render_folder(temp_site: Path) -> Path:
    """Where MkDocs renders the pages of a build that reuses the others."""
    return temp_site.with_name(temp_site.name + ".render")


def prepare_rebuilds(state: BuildState) -> None:
    """``govpub serve``, after its first build: make the listings MkDocs' rebuilds reuse
    (:mod:`.mkdocs_files`' kept files, :mod:`.themelisting`'s theme listing) under the
    settings of a rebuild, which renders into a folder of its own. Made otherwise by the
    editor's first edit: 0.5 s of its rebuild at 10,000 pages, after a first build that
    rendered in worker processes or into the site's folder."""
    from mkdocs.structure.files import Files

    config = state.mkdocs_config
    if config is None or state.site_dir is None:
        return  # (another renderer)
    config.site_dir = str(_render_folder(temp_site_for(state.site_dir)))
    files: Files = mkdocs_files.get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)


def _render_beside_placing(state: BuildState, reuse: frozenset[str], record,
                           load_warnings: list[str]) -> tuple[list[dict], dict | None]:
    """Render; with pages to reuse and one part, MkDocs renders into a folder of its own
    while a thread puts the reused pages into the site (:class:`incremental.Placement`),
    and its files are moved in after. (results, stat of each placed page or None)."""
    if not reuse or part_count(max(0, state.pages_written - len(reuse))) != 1:
        return _render(state, reuse, load_warnings), None
    rendered = _render_folder(state.temp_site)
    remove(rendered)  # (MkDocs empties its folder: a planted link is followed)
    state.mkdocs_config.site_dir = str(rendered)
    placement = incremental.Placement(state.temp_site, state.site_dir, record, reuse)
    try:
        results = _render(state, reuse, load_warnings)
        placed = placement.result()
        incremental.merge_rendered(rendered, state.temp_site)
    finally:
        placement.wait()
        remove(rendered)
    return results, placed


def render_mkdocs(state: BuildState) -> None:
    """Render the staging folder: only the pages whose inputs changed, when that can be proven.

    The site key and the render record decide what can be reused
    (:mod:`govpub.build.incremental`); anything that cannot be proven the
    same is rendered again, and an inconsistency falls back to every page.
    """
    echo = state.options.echo
    for message in chrome_settings(state.model)["warnings"]:  # site identity (govpub.chrome)
        echo(_("warning: {message}").format(message=message))
    cache = cache_dir_for(state.root, "render")
    record_file = incremental.record_path(cache, state.site_dir) if cache else None
    record = incremental.kept_or_load_record(record_file, state.site_dir)
    state.mkdocs_config, load_warnings = _load_config(state)
    config = state.mkdocs_config  # the build changes it: the checks below read this one
    key = fingerprint.site_key(config, policy_root=state.root, govpub_dir=GOVPUB_DIR)
    keys = {rel: incremental.page_key(digest, rel in state.unreviewed)
            for rel, digest in state.staged.items() if digest is not None}
    reuse = incremental.reusable_pages(record, key, keys, set(state.staged), state.site_dir)
    try:
        results, placed = _render_beside_placing(state, reuse, record, load_warnings)
        outcome = incremental.finish(state.temp_site, state.site_dir,
                                     incremental.merge_results(results), reuse, record, keys,
                                     placed)
    except incremental.Mismatch as exc:
        outcome = None
        if reuse:
            echo(_("incremental render: {reason}; rendering every page").format(reason=exc))
            reuse = frozenset()
            state.mkdocs_config, load_warnings = _load_config(state)  # the first one is spent
            results = _render(state, reuse, load_warnings)
            try:
                outcome = incremental.finish(state.temp_site, state.site_dir,
                                             incremental.merge_results(results), reuse, record,
                                             keys)
            except incremental.Mismatch as again:
                exc = again
        if outcome is None:  # the full render stands as MkDocs wrote it; only no record
            echo(_("incremental render: {reason}; the next build renders every page too")
                 .format(reason=exc))
            key = None
    if outcome is not None and key is not None and not reuse \
            and (record is None or record.site_key != key):
        blockers = fingerprint.incremental_blockers(config, DECORATOR_HOOK)
        if blockers:
            echo(_("incremental rendering is off for this site: {reasons} can make a page "
                   "depend on other pages").format(reasons="; ".join(blockers)))
            key = None
    state.site_delta = SiteDelta(
        site_key=key, outcome=outcome,
        previous_files=record.files if record is not None else {},
        previous_site=state.site_dir if record is not None else None,
        full=not reuse)
    if reuse:
        echo(ngettext("rendered {rendered} page again, reused {reused}",
                      "rendered {rendered} pages again, reused {reused}",
                      len(outcome.rendered)).format(rendered=len(outcome.rendered),
                                                    reused=outcome.reused))

