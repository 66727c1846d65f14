"""`govpub new TYPE TITLE`."""

from __future__ import annotations

import click

from ..scaffold import new_page
from .common import now_option, policy_of, resolve_now


@click.command()
@click.argument("type_name", metavar="TYPE")
@click.argument("title")
@click.option("--column", help="Column folder, when several hold this type.")
@click.option("--code", help="Basic code of a new service item (its file name).")
@now_option
@click.pass_context
def new(ctx, type_name, title, column, code, now_text) -> int:
    """Write a page skeleton of TYPE with every required field, in its column.

    The file name is safe ASCII (Chinese titles get a short stable hash) and
    dated pages start with today's date in the site time zone.
    """
    policy = policy_of(ctx)
    path = new_page(policy, type_name, title, resolve_now(policy.timezone, now_text),
                    column=column, code=code)
    click.echo(path.relative_to(policy.root).as_posix())
    click.echo("fill in the empty fields, then run `govpub check` on it", err=True)
    return 0
