"""MkDocs + Material: the site's configuration inherited from the root ``mkdocs.yml``.

The root ``mkdocs.yml`` (theme, Markdown extensions, search) is what people
running plain ``mkdocs build`` use; the governed build reuses it and
overrides only what the gate owns: ``docs_dir`` (the staging folder),
``site_dir`` (a temporary folder), the navigation (one entry per column,
never per page), and the hooks (the page decorator instead of the guard,
since staging holds nothing to guard).
"""

from __future__ import annotations

import html
import logging
from importlib import resources
from pathlib import Path

from ..chrome import chrome_settings
from ..errors import BuildError, ConfigError
from ..sitemodel import SiteModel
from .generated import index_path, indexed_columns
from .mkdocs_parts import build_in_parts, part_count, part_dir
from .pipeline import BuildState

DECORATOR_HOOK = Path(__file__).with_name("mkdocs_hook.py")
#: Material custom_dir shipped with govpub (used when mkdocs.yml names none that exists)
THEME_DIR = Path(str(resources.files("govpub").joinpath("theme")))
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


def govpub_settings(state: BuildState, part: int = 0, parts: int = 1) -> dict:
    """What the page decorator hook needs to know (config.extra.govpub)."""
    return {"timezone": state.policy.site["timezone"], "preview": state.options.preview,
            "unreviewed": sorted(state.unreviewed), "render_part": part,
            "render_parts": parts, "chrome": chrome_settings(state.model)}


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
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_mkdocs_config(state: BuildState, docs_dir: Path, site_dir: Path, part: int = 0,
                       parts: int = 1):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    path = config_file(state.root)
    try:
        with open(path, "rb") as handle:
            raw = yaml_load(handle) or {}
    except Exception as exc:  # yaml errors of every kind: one line, not a traceback
        raise ConfigError(f"cannot read: {exc}".splitlines()[0], path=path) from None
    extra = dict(raw.get("extra") or {})
    extra["govpub"] = govpub_settings(state, part, parts)
    try:
        return load_config(
            config_file=str(path), docs_dir=str(docs_dir), site_dir=str(site_dir),
            theme=_theme(raw, path.parent), hooks=[str(DECORATOR_HOOK)],
            nav=navigation(state.model), extra=extra, strict=state.options.strict,
            site_name=state.policy.site.get("name") or raw.get("site_name"),
            site_url=raw.get("site_url") or state.policy.base_url)
    except ConfigurationError as exc:
        raise ConfigError(f"invalid MkDocs configuration: {exc}", path=path) from None


def _quiet_jieba(*, load_now: bool) -> None:
    """jieba announces its dictionary on stderr at DEBUG level; keep the terminal clean.

    ``load_now``: load the dictionary before the render forks, so that the
    parts share it instead of each loading it again.
    """
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
    if load_now:
        jieba.initialize()


def _build_part(state: BuildState, part: int, parts: int) -> list[str]:
    """One ``mkdocs build`` of (a part of) the staging folder; returns its warnings."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    collector = _WarningCollector()
    logger.addHandler(collector)
    previous_propagate = logger.propagate
    logger.propagate = False  # warnings are reported once, by us
    try:
        try:
            config = load_mkdocs_config(state, state.staging_dir,
                                        part_dir(state.temp_site, part), part, parts)
        except MkDocsException as exc:
            detail = "; ".join(collector.messages[:3]) or str(exc)
            raise ConfigError(f"invalid MkDocs configuration: {detail}",
                              path=config_file(state.root)) from None
        build(config)
    except MkDocsException as exc:
        detail = "; ".join(collector.messages[:3])
        raise BuildError(f"MkDocs failed: {exc}" + (f" ({detail})" if detail else "")) from None
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous_propagate
    return collector.messages


def render_mkdocs(state: BuildState) -> None:
    """Render the staging folder, in parts on every core when the site is large."""
    parts = part_count(state.pages_written)
    for message in chrome_settings(state.model)["warnings"]:  # site identity (govpub.chrome)
        state.options.echo(f"warning: {message}")
    _quiet_jieba(load_now=parts > 1)
    if parts > 1:
        warnings = build_in_parts(state.temp_site, parts,
                                  lambda part: _build_part(state, part, parts))
    else:
        warnings = _build_part(state, 0, 1)
    for message in warnings:
        state.options.echo(f"mkdocs: warning: {message}")
