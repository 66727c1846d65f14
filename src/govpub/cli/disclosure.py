"""``govpub disclosure assign``: index numbers (索引号) for policies and notices."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import UsageError
from ..i18n import _
from .common import now_option, policy_of, resolve_now, root_of


@click.group()
def disclosure() -> None:
    """Government information disclosure (政府信息公开): index numbers."""


@disclosure.command("assign")
@click.argument("paths", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Show the numbers without writing the registry.")
@now_option
@click.pass_context
def assign_command(ctx: click.Context, paths: tuple[str, ...], dry_run: bool,
                   now_text: str | None) -> None:
    """Give an index number to every policy and notice without one (or to PATHS).

    Numbers are appended to disclosure/index-numbers.csv and never change:
    commit the registry together with the pages.
    """
    from ..disclosure.assign import assign

    policy = policy_of(ctx)
    only = {_content_path(root_of(ctx), p) for p in paths} if paths else None
    today = resolve_now(policy.timezone, now_text).date()
    lines = assign(policy, only, today=today, dry_run=dry_run)
    for number, path in lines:
        click.echo(f"{number}  content/{path}")
    if not lines:
        click.echo(_("every page already has its index number"))
    elif dry_run:
        click.echo(_("dry run: the registry was not changed"))


def _content_path(root: Path, given: str) -> str:
    path = Path(given)
    absolute = path if path.is_absolute() else (Path.cwd() / path)
    content = root / "content"
    try:
        return absolute.resolve().relative_to(content.resolve()).as_posix()
    except ValueError:
        pass
    text = given.replace("\\", "/")
    if text.startswith("content/"):
        return text.removeprefix("content/")
    raise UsageError(_("{path} is not a page under content/").format(path=given))
