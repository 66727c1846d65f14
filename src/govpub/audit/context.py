"""What the audit checks read: the repository, the approved site, the time, the thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..calendar import WorkCalendar
from ..checker import CheckResult
from ..config import CONFIG_DIR, Column, Policy
from ..content import Corpus
from ..findings import Finding, Severity
from ..platforms import PlatformRegistry
from ..sitemodel import SiteModel
from .settings import AuditSettings

COLUMNS_FILE = f"{CONFIG_DIR}/columns.yml"


@dataclass
class AuditContext:
    policy: Policy
    now: datetime
    result: CheckResult
    model: SiteModel
    calendar: WorkCalendar
    settings: AuditSettings
    platforms: PlatformRegistry

    @property
    def corpus(self) -> Corpus:
        return self.result.context.corpus

    def finding(self, check, path: str, line: int, severity: Severity, message: str) -> Finding:
        return Finding(path, max(1, line), 1, check.id, severity, message)

    def by_threshold(self, overdue_by_days: float) -> Severity | None:
        """ERROR past the threshold, WARNING within ``warn_days`` of it, else nothing."""
        if overdue_by_days > 0:
            return Severity.ERROR
        if overdue_by_days > -self.settings.warn_days:
            return Severity.WARNING
        return None

    def column_line(self, folder: str) -> int:
        column = self.policy.columns.get(folder)
        return column.line if column else 1

    def cadence_of(self, column: Column) -> int | None:
        return column.cadence_days or self.settings.cadence_defaults.get(column.kind)
