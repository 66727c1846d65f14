"""``govpub build`` and ``govpub serve``."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import _
from .common import now_option, root_of


def _summary(state) -> str:
    site = state.site_dir
    try:
        shown = site.relative_to(state.root)
    except ValueError:
        shown = site
    return _("built {pages} page(s) and {attachments} attachment(s) into {folder}/ "
             "({quarantined} quarantined, {held_back} held back)").format(
        pages=len(state.model.pages), attachments=len(state.model.attachments), folder=shown,
        quarantined=len(state.quarantined), held_back=len(state.held_back))


@click.command()
@click.option("--strict", is_flag=True,
              help="Fail (exit 1) on any blocking finding before anything is written.")
@click.option("--renderer", type=click.Choice(["mkdocs", "pelican"]), default="mkdocs",
              show_default=True, help="Static site generator that renders the staged pages.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: site/). Replaced only when the build succeeds.")
@now_option
@click.pass_context
def build(ctx: click.Context, strict: bool, renderer: str, site_dir: Path | None,
          now_text: str | None) -> int:
    """Gate, stage and render the site; print the quarantine report.

    Only files that pass every blocking rule (and are signed off) are copied
    to the staging folder the renderer reads. Blocked pages are quarantined
    and listed here and in .govpub/quarantine.txt, never in the site.
    """
    from ..build import BuildOptions, run_build

    root = root_of(ctx)
    if site_dir is not None and not site_dir.is_absolute():
        site_dir = Path.cwd() / site_dir
    state = run_build(BuildOptions(root=root, site_dir=site_dir, strict=strict,
                                   renderer=renderer, now_text=now_text, echo=click.echo))
    click.echo(_summary(state))
    return 0


@click.command()
@click.option("--preview", is_flag=True,
              help="Include unreviewed pages, each under a 'not reviewed' banner "
                   "(built into .govpub/preview/, never deployable).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              envvar="GOVPUB_SERVE_PORT",
              help="Port on 127.0.0.1 (also GOVPUB_SERVE_PORT; 0: any free port).")
@click.option("--renderer", type=click.Choice(["mkdocs", "pelican"]), default="mkdocs",
              show_default=True)
@now_option
@click.pass_context
def serve(ctx: click.Context, preview: bool, port: int, renderer: str,
          now_text: str | None) -> int:
    """Build, serve on 127.0.0.1 only, and rebuild when content/, site_config/ or review/ change."""
    from ..build import BuildOptions
    from ..build.serve import serve_forever

    root = root_of(ctx)
    options = BuildOptions(root=root, preview=preview, renderer=renderer, now_text=now_text,
                           echo=click.echo)
    return serve_forever(options, port=port)
