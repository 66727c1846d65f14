"""Helpers shared by the command modules."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import UsageError
from ..i18n import _
from ..timeparse import DateFormatError, parse_now

if TYPE_CHECKING:
    from ..config import Policy


def root_of(ctx: click.Context) -> Path:
    return Path((ctx.find_root().obj or {}).get("root", ".")).resolve()


def policy_of(ctx: click.Context) -> Policy:
    obj = ctx.find_root().obj
    if "policy" not in obj:
        from ..config import load_policy  # (not imported by a command that needs no policy)

        obj["policy"] = load_policy(root_of(ctx))
    return obj["policy"]


now_option = click.option(
    "--now", "now_text", metavar="T", default=None,
    help="Pretend the current time is T (ISO 8601; site time zone if no offset).")

format_option = click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "github"]),
    default="text", show_default=True, help="Output format.")


def resolve_now(tz, now_text: str | None) -> datetime:
    """The ``--now`` option's time (naive = ``tz``), or the real time; bad input exits 2."""
    try:
        return parse_now(now_text, tz)
    except DateFormatError as exc:
        raise UsageError(f"--now {now_text!r}: {exc}",
                         hint=_("a time without an offset is in the site's time zone")) \
            from None
