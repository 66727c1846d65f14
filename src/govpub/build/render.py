"""The render stage: hand the staging folder to a renderer, which writes a temporary site."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..filetree import remove
from ..i18n import _
from .pipeline import BuildState

RENDERERS = ("mkdocs", "pelican")


def temp_site_for(site_dir: Path) -> Path:
    """The folder a build of ``site_dir`` renders into, beside it (renamed into place)."""
    return site_dir.parent / f".{site_dir.name}.govpub-tmp"


def render(state: BuildState) -> None:
    site_dir = state.site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    state.temp_site = temp_site_for(site_dir)
    # left by a killed build, or planted (beside site/, in the repository): a renderer
    # empties its folder first, and MkDocs empties a link's target; it is removed instead
    remove(state.temp_site)
    name = state.options.renderer
    if name == "mkdocs":
        from .render_mkdocs import render_mkdocs

        render_mkdocs(state)
    elif name == "pelican":
        from .render_pelican import render_pelican

        render_pelican(state)
    else:
        raise UsageError(_("unknown renderer {name!r}; expected one of {choices}").format(
            name=name, choices=", ".join(RENDERERS)))
