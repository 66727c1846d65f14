"""Helpers shared by the command modules."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import Policy, load_policy


def root_of(ctx: click.Context) -> Path:
    return Path((ctx.find_root().obj or {}).get("root", ".")).resolve()


def policy_of(ctx: click.Context) -> Policy:
    obj = ctx.find_root().obj
    if "policy" not in obj:
        obj["policy"] = load_policy(root_of(ctx))
    return obj["policy"]


now_option = click.option(
    "--now", "now_text", metavar="T", default=None,
    help="Pretend the current time is T (ISO 8601; site time zone if no offset).")

format_option = click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "github"]),
    default="text", show_default=True, help="Output format.")
