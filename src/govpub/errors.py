"""The exception tree.

Every error a user can cause is a :class:`GovpubError`; the CLI prints it as
one line and exits with its ``exit_code``. Messages say what went wrong,
where (path and line), what was expected versus received, and how to fix it.
Problems *in content* are never exceptions: they are findings.
"""

from __future__ import annotations

from pathlib import Path

from .i18n import _


class GovpubError(Exception):
    """Base of every error govpub reports to a user (exit code 2)."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        if not self.hint:
            return f"{where}{self.message}"
        return where + _("{message} — {hint}").format(message=self.message, hint=self.hint)


class ConfigError(GovpubError):
    """A file in ``site_config/`` (or another configuration input) is missing or wrong."""


class UsageError(GovpubError):
    """The command was called wrongly (bad argument, unknown path, bad --now)."""


class BuildError(GovpubError):
    """A build could not complete; the previous site is left untouched."""


class BlockedError(GovpubError):
    """Blocking findings stop the operation (exit code 1)."""

    exit_code = 1
