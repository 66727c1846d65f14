"""``govpub audit``: what an inspection of the site would find, before it does.

:func:`run_audit` loads the repository, runs the gate (the audit judges the
approved site, as the public sees it) and every check in :mod:`.checks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..calendar import load_calendar
from ..checker import check_repository
from ..config import Policy
from ..findings import Finding
from ..platforms import load_platforms
from ..sitemodel import build_site_model
from .checks import CHECKS
from .context import AuditContext
from .settings import load_settings


@dataclass
class AuditResult:
    findings: list[Finding]

    @property
    def exit_code(self) -> int:
        return 1 if any(f.blocking for f in self.findings) else 0


def build_context(policy: Policy, now: datetime) -> AuditContext:
    settings = load_settings(policy.root)
    platforms = load_platforms(policy.root)
    calendar = load_calendar(policy.root, policy.timezone)
    result = check_repository(policy, now)
    return AuditContext(policy=policy, now=now, result=result, model=build_site_model(result),
                        calendar=calendar, settings=settings, platforms=platforms)


def run_audit(policy: Policy, now: datetime, *, online: bool = False) -> AuditResult:
    """Every check; those that need the internet only when ``online``."""
    ctx = build_context(policy, now)
    findings = [f for check in CHECKS if online or not check.online for f in check().run(ctx)]
    return AuditResult(findings)


__all__ = ["CHECKS", "AuditResult", "build_context", "run_audit"]
