"""The command line's frame in the process's language: click's own texts and our help.

Click writes its texts ("Usage:", "Show this message and exit.", "No such
option…") as ``_()`` calls to the standard library's ``gettext``, bound at
import in each of its modules under the names ``_`` and ``ngettext``; their
language would follow ``LANGUAGE``/``LANG`` and a catalog of click's own,
which does not exist. :func:`install` rebinds those names to govpub's
catalog, so click speaks the language govpub chose (``--lang`` >
``GOVPUB_LANG`` > site.yml > zh-CN). Only the messages listed in
:data:`CLICK_MESSAGES` are translated; the rest of click's texts (errors a
developer makes while declaring options, Windows console and shell
completion messages) stay English.

Help texts of our commands are their docstrings and ``help=`` strings, in
English; :func:`localize` swaps in their translations each time a command is
handed to click, from the English kept aside, so one process may show help
in one language and then another (the tests do).
"""

from __future__ import annotations

import importlib
import inspect
import re

import click

from .. import i18n
from ..i18n import N_

#: click modules that bind the standard ``gettext`` functions at import
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui",
                 "types")

#: click's texts that govpub translates; singular and plural of a click ``ngettext`` are
#: separate messages here (Chinese has one form, and the two may name different fields)
CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"),
    N_("Show this message and exit."), N_("Show the version and exit."),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."), N_("Aborted!"),
    N_("No such option {name!r}."), N_("No such command {name!r}."), N_("Missing command."),
    N_("Did you mean {possibility}?"), N_("(Did you mean one of: {possibilities}?)"),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"),
    N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("Invalid value: {message}"), N_("Invalid value for {param_hint}: {message}"),
    N_("Got unexpected extra argument ({args})"), N_("Got unexpected extra arguments ({args})"),
    N_("Option {name!r} does not take a value."), N_("Option {name!r} requires an argument."),
    N_("Option {name!r} requires {nargs} arguments."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("{value!r} is not {choice}."), N_("{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} does not match the format {format}."),
    N_("{value!r} does not match the formats {formats}."),
    N_("file"), N_("directory"), N_("path"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("Could not open file {filename!r}: {message}"),
    N_("default: {default}"), N_("env var: {var}"), N_("(dynamic)"), N_("deprecated"),
    N_("Do you want to continue?"), N_("Confirm the action without prompting."),
    N_("Error: invalid input"), N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."), N_("Press any key to continue..."),
)
_TRANSLATED = frozenset(CLICK_MESSAGES)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def click_gettext(message: str) -> str:
    """Click's ``_``: govpub's catalog for the listed messages, English for the rest."""
    return i18n._(message) if message in _TRANSLATED else message


def click_ngettext(singular: str, plural: str, count: int) -> str:
    return click_gettext(singular if count == 1 else plural)


def install() -> None:
    """Rebind click's translation functions to govpub's catalog (idempotent)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if not hasattr(module, "_"):
            raise RuntimeError(f"click.{name} no longer binds gettext as _; see {__name__}")
        module._ = click_gettext
        if hasattr(module, "ngettext"):
            module.ngettext = click_ngettext


# -- our own help texts ---------------------------------------------------------------

def help_texts(command: click.Command):
    """Every help text of ``command`` and its subcommands, as written (the message ids)."""
    for item, attribute in _help_fields(command):
        text = _original(item, attribute)
        if text:
            yield text


def _commands(command: click.Command):
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def _help_fields(command: click.Command):
    for each in _commands(command):
        yield each, "help"
        yield each, "short_help"
        yield each, "epilog"
        for param in each.params:
            if isinstance(param, click.Option):
                yield param, "help"


def _original(item, attribute: str) -> str | None:
    kept = item.__dict__.setdefault("_govpub_english", {})
    if attribute not in kept:
        text = getattr(item, attribute, None)
        # a command's help is its docstring: indented as written in the source
        kept[attribute] = inspect.cleandoc(text) if isinstance(text, str) else None
    return kept[attribute]


#: width of a command's line in a group's list of commands, in characters
SHORT_HELP_CHARS = 36


def chinese_short_help(text: str) -> str:
    """The first sentence of a Chinese help text, cut at a pause if too long.

    Click shortens help for the list of commands at spaces, and Chinese has none:
    it would show only "...".
    """
    first = text.split("\n\n", 1)[0].replace("\n", "")
    first = first.split("。", 1)[0]
    if len(first) <= SHORT_HELP_CHARS:
        return first
    cut = max(first.rfind(mark, 0, SHORT_HELP_CHARS) for mark in "，、；：")
    return first[:cut if cut > 0 else SHORT_HELP_CHARS] + "……"


def localize(command: click.Command) -> click.Command:
    """Put the current language's help texts on ``command`` and its subcommands."""
    for item, attribute in _help_fields(command):
        text = _original(item, attribute)
        if text:
            setattr(item, attribute, i18n._(text))
    for each in _commands(command):
        english_help = _original(each, "help")
        if not _original(each, "short_help") and english_help:
            translated = i18n._(english_help)
            each.short_help = (chinese_short_help(translated) if translated != english_help
                               and _CJK.search(translated) else None)
        # click keeps the --help option it made, worded in the language of that moment
        if "_help_option" in each.__dict__:
            each._help_option = None
    return command
