"""``govpub new TYPE TITLE [--column C] [--code CODE…] [--slug S]``."""

from __future__ import annotations

import sys

import click

from ..hints import next_step
from ..i18n import _, ngettext
from ..placeholder import MARKER
from .common import now_option, policy_of, resolve_now


def _ask_column(columns):
    """On a terminal: let the editor pick the column by number or folder name."""
    click.echo(_("Several columns hold this type of page:"), err=True)
    for number, column in enumerate(columns, start=1):
        click.echo(f"  {number}) {column.folder or '.'}  {column.title}", err=True)
    by_name = {str(n): c for n, c in enumerate(columns, start=1)}
    by_name.update({c.folder: c for c in columns})
    answer = click.prompt(_("Column (number or folder)"), type=click.Choice(list(by_name)),
                          show_choices=False, err=True)
    return by_name[answer]


@click.command()
@click.argument("type_name", metavar="TYPE")
@click.argument("title")
@click.option("--column", metavar="FOLDER",
              help="Column (folder under content/) when several hold this type; without it "
                   "govpub asks on a terminal.")
@click.option("--code", "codes", metavar="CODE", multiple=True,
              help="Service item: its code (default: the next free code of the catalog). "
                   "Guide: the code of each item it explains (repeat for several).")
@click.option("--slug", metavar="SLUG",
              help="Latin part of the file name (a-z, 0-9, -); default: the title's Latin "
                   "words, else a short hash of the title.")
@now_option
@click.pass_context
def new(ctx, type_name, title, column, codes, slug, now_text) -> int:
    """Write the skeleton of a new page of TYPE in its column and print its path.

    Every required field is there with a comment saying what to write; each
    place still to be written carries the marker 【待填写】, and a page with the
    marker is never published.
    """
    from ..disclosure.assign import assign_new_page
    from ..disclosure.registry import REGISTRY_PATH
    from ..scaffold import new_page

    policy = policy_of(ctx)
    choose = _ask_column if sys.stdin.isatty() and sys.stderr.isatty() else None
    now = resolve_now(policy.timezone, now_text)
    page = new_page(policy, type_name, title, now,
                    column=column, codes=codes, slug=slug, choose=choose)
    shown = page.path.relative_to(policy.root).as_posix()
    click.echo(shown)
    number = assign_new_page(policy, page.path.relative_to(policy.content_dir).as_posix(), now)
    if number:  # policies and notices: their index number (索引号), once and for all
        click.echo(_("index number {number} assigned: commit {registry} with the page").format(
            number=number, registry=REGISTRY_PATH), err=True)
    click.echo(ngettext("fill in the {count} place marked {marker}, then check the page:",
                        "fill in the {count} places marked {marker}, then check the page:",
                        page.markers).format(count=page.markers, marker=MARKER), err=True)
    click.echo(next_step("govpub check {path}", root=policy.root, path=shown), err=True)
    return 0
