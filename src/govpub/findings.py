"""The one record every check produces, and the severities it can carry."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass

from .i18n import _


class Severity(enum.IntEnum):
    """How much a finding matters. Only ``ERROR`` blocks publication."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[str(text).upper()]
        except KeyError:
            raise ValueError(
                _("unknown severity {value!r}; expected one of error, warning, info").format(
                    value=text)) from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem (or notice) about one place in one file.

    ``path`` is relative to the repository root (``content/notices/x.md``) so
    that editors can click it; ``line`` and ``column`` are 1-based.
    """

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str

    @property
    def blocking(self) -> bool:
        return self.severity >= Severity.ERROR

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.message)


def exit_code_for(findings) -> int:
    """0 when nothing blocks, 1 when any finding is blocking (flake8/yamllint style)."""
    return 1 if any(f.blocking for f in findings) else 0
