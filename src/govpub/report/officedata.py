"""What the office fills in: ``site_config/annual/<YEAR>.yml``.

Visits, staff, budget, security work and the other figures no repository can
know come from this file, one per year, validated by
``govpub/schemas/config/annual.schema.json``. ``govpub report annual YEAR``
writes it, every field empty and explained, the first time it runs; the
office fills it in during January. Every field still empty is listed by
``govpub audit`` (GP714) from 1 January and blocks from 31 January, and shows
on the report page as the placeholder marker, so an incomplete form cannot be
published.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_DIR, Policy, load_config_file
from ..yamlstrict import YamlResult
from .form import OFFICE_FIELDS, OFFICE_HINTS, Field

ANNUAL_DIR = "annual"
PLATFORM_WORDS = {"weibo": "政务微博", "wechat": "政务微信"}


def office_file(policy: Policy, year: int) -> Path:
    return policy.config_dir / ANNUAL_DIR / f"{year}.yml"


def shown_path(year: int) -> str:
    return f"{CONFIG_DIR}/{ANNUAL_DIR}/{year}.yml"


@dataclass(frozen=True)
class OfficeData:
    year: int
    data: dict
    lines: YamlResult | None  # None when the file does not exist yet

    @property
    def exists(self) -> bool:
        return self.lines is not None

    def value(self, field: Field):
        node = self.data
        for part in field.path:
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        return node

    def line_of(self, field: Field) -> int:
        return self.lines.line_of(field.path) if self.lines is not None else 1

    def empty(self, platforms: set[str]) -> list[Field]:
        """Office fields without a value (those about a platform the site lacks excepted)."""
        return [f for f in OFFICE_FIELDS if is_empty(self.value(f))
                and (f.needs_platform is None or f.needs_platform in platforms)]


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def load_office_data(policy: Policy, year: int) -> OfficeData:
    """The office's figures for ``year``; a ConfigError (file, line) when they are malformed."""
    path = office_file(policy, year)
    if not path.exists() and not path.is_symlink():
        return OfficeData(year, {}, None)
    data, lines = load_config_file(path, "annual", root=policy.root, with_lines=True)
    return OfficeData(year, data or {}, lines)


def template(year: int) -> str:
    """The office's file for ``year``: every field empty, each under its explanation."""
    out = [f"# 政府网站工作年度报表（{year}年度）：由办公室填报的数据。",
           "# 依据《国务院办公厅关于做好政府网站年度报表发布工作的通知》（国办函〔2018〕12号）。",
           f"# 信息发布、政务服务事项、留言办理等能从网站仓库得出的数据，由 govpub report annual {year}",
           f"# 按{year}年12月31日24时的仓库自动计算，不在此填写。",
           "# 逐项填写下列空白字段，数量为零的填 0。",
           f"# 自{year + 1}年1月1日起 govpub audit 逐项提示空白字段，1月31日起列为错误；",
           "# 有空白字段的报表页面不能通过审核，也不会发布。"]
    opened: tuple[str, ...] = ()
    for field in OFFICE_FIELDS:
        path = field.path
        common = 0
        while common < min(len(opened), len(path) - 1) and opened[common] == path[common]:
            common += 1
        for depth in range(common, len(path) - 1):
            out.append("  " * depth + f"{path[depth]}:")
        opened = path[:-1]
        indent = "  " * (len(path) - 1)
        hint = OFFICE_HINTS.get(field.key, "")
        if field.needs_platform:
            hint += f"（本站有{PLATFORM_WORDS[field.needs_platform]}时填写）"
        out.append(f"{indent}# {field.label}" + (f"：{hint}" if hint else ""))
        out.append(f"{indent}{path[-1]}:")
    return "\n".join(out) + "\n"


__all__ = ["OfficeData", "is_empty", "load_office_data", "office_file", "shown_path",
           "template"]
