"""The ``govpub`` command line.

Each command lives in its own module in this package and is imported only
when it runs, so ``govpub check`` does not pay for the watcher's imports.
Errors reach the user as one line (what, where, how to fix) with the exit
code of the contract: 0 success, 1 blocking findings or overdue
obligations, 2 usage or configuration error. Never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

from ..errors import GovpubError

#: command name -> "module:attribute" (module relative to govpub.cli)
COMMANDS = {
    "check": "check:check",
    "rules": "check:rules",
    "review": "review:review",
    "new": "new:new",
    "build": "build:build",
    "serve": "build:serve",
    "verify": "verify:verify",
    "links": "links:links",
    "watch": "watch:watch",
    "reproduce": "watch:reproduce",
    "comments": "comments:comments",
    "audit": "audit:audit",
    "report": "report:report",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(name for name in COMMANDS if self._available(name))

    @staticmethod
    def _available(name: str) -> bool:
        module = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(f"govpub.cli.{module}") is not None

    def get_command(self, ctx, name):
        if name not in COMMANDS or not self._available(name):
            return None
        module, attribute = COMMANDS[name].split(":")
        return getattr(importlib.import_module(f"govpub.cli.{module}"), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=str), default=".",
              show_default=True, help="Root of the site repository.")
@click.version_option(package_name="govpub")
@click.pass_context
def cli(ctx: click.Context, root: str) -> None:
    """govpub: governed publishing for government websites.

    Nothing unreviewed, unsourced or undated reaches the public site.
    """
    ctx.obj = {"root": root}


def main(argv: list[str] | None = None) -> int:
    try:
        rv = cli.main(args=argv, prog_name="govpub", standalone_mode=False)
        return rv if isinstance(rv, int) else 0
    except GovpubError as exc:
        click.echo(f"govpub: error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("govpub: aborted", err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("govpub: interrupted", err=True)
        return 130
    except Exception as exc:  # the last line of defence: no traceback for users
        if os.environ.get("GOVPUB_DEBUG"):
            raise
        click.echo(f"govpub: internal error: {type(exc).__name__}: {exc} "
                   "(set GOVPUB_DEBUG=1 for the traceback and report it)", err=True)
        return 2


def run() -> None:
    sys.exit(main())
