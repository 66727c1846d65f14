"""``site_config/audit.yml``: the audit's thresholds, all optional."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import CONFIG_DIR, load_config_file

#: the inspection thresholds for government websites
DEFAULT_CADENCE = {"home": 14, "dynamic": 14, "notices": 180, "policies": 180}


@dataclass(frozen=True)
class AuditSettings:
    warn_days: int = 3
    stale_column_limit: int = 5
    cadence_defaults: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE))
    annual_report_due: tuple[int, int] = (1, 31)


def load_settings(root: Path) -> AuditSettings:
    data = load_config_file(Path(root) / CONFIG_DIR / "audit.yml", "audit", required=False,
                            default={}, root=Path(root))
    month, day = (int(x) for x in data.get("annual_report_due", "01-31").split("-"))
    return AuditSettings(
        warn_days=data.get("warn_days", 3),
        stale_column_limit=data.get("stale_column_limit", 5),
        cadence_defaults={**DEFAULT_CADENCE, **(data.get("cadence_defaults") or {})},
        annual_report_due=(month, day))
