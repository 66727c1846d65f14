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

from .. import i18n
from ..errors import GovpubError
from ..i18n import _
from . import localize

localize.install()

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
    "disclosure": "disclosure:disclosure",
}


class LazyGroup(click.Group):
    """Imports a command's module only when the command runs or its help is shown."""

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
        command = getattr(importlib.import_module(f"govpub.cli.{module}"), attribute)
        return localize.localize(command)

    def format_help(self, ctx, formatter):
        localize.localize(self)
        super().format_help(ctx, formatter)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """``--lang``, applied as soon as it is read: before ``--help`` that follows it, and
    before the command is looked up (its help is translated then)."""
    if value:
        try:
            i18n.set_language(value)
        except i18n.UnknownLanguageError:
            raise click.BadParameter(
                _("unknown language {tag!r}; expected one of {choices}").format(
                    tag=value, choices=", ".join(i18n.LANGUAGES)), param_hint="--lang") from None


def _read_site_language(ctx: click.Context, param: click.Parameter, value: str) -> str:
    i18n.set_site_language(_site_language(value))
    return value


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=str), default=".",
              show_default=True, callback=_read_site_language, is_eager=True,
              help="Root of the site repository.")
@click.option("--lang", "language", metavar="LANG", default=None, expose_value=False,
              callback=_choose_language, is_eager=True,
              help="Language of messages: zh-CN (default) or en. Overrides GOVPUB_LANG "
                      "and the site's language in site_config/site.yml.")
@click.version_option(package_name="govpub", help="Show the version and exit.")
@click.pass_context
def cli(ctx: click.Context, root: str) -> None:
    """govpub: governed publishing for government websites.

    Nothing unreviewed, unsourced or undated reaches the public site.
    """
    ctx.obj = {"root": root}


def _site_language(root: str) -> str | None:
    """The ``language`` of the site's site.yml, read leniently: the policy load that
    follows reports any problem with the file, in the language chosen here."""
    from ..layout import CONFIG_DIR
    from ..yamlstrict import parse_yaml

    path = os.path.join(root, CONFIG_DIR, "site.yml")
    try:
        with open(path, "rb") as handle:
            data = parse_yaml(handle.read(64_000).decode("utf-8-sig")).data
    except Exception:  # any problem is reported, in the chosen language, by the real load
        return None
    language = data.get("language") if isinstance(data, dict) else None
    return language if isinstance(language, str) else None


def main(argv: list[str] | None = None) -> int:
    try:
        rv = cli.main(args=argv, prog_name="govpub", standalone_mode=False)
        return rv if isinstance(rv, int) else 0
    except GovpubError as exc:
        click.echo(_("govpub: error: {error}").format(error=exc), err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo(_("govpub: aborted"), err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo(_("govpub: interrupted"), err=True)
        return 130
    except Exception as exc:  # the last line of defence: no traceback for users
        if os.environ.get("GOVPUB_DEBUG"):
            raise
        click.echo(_("govpub: internal error: {kind}: {error} "
                     "(set GOVPUB_DEBUG=1 for the traceback and report it)").format(
                         kind=type(exc).__name__, error=exc), err=True)
        return 2


#: set by a command that leaves nothing to tidy at exit but a large tree of objects (the
#: check's documents): freeing them one by one cost a cold 10,000-page check a few tenths
#: of a second after its answer was printed
_exit_at_once = False


def exit_at_once() -> None:
    """Said by a command whose process may end without freeing its objects (see run)."""
    global _exit_at_once
    _exit_at_once = True


def run() -> None:
    code = main()
    if _exit_at_once:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass  # a closed pipe: what was written is what the reader took
        # the command wrote and closed its files itself; interpreter teardown would only
        # free memory the system takes back anyway
        os._exit(code)
    sys.exit(code)
