"""The report page and its CSV: the official form, filled in (pure text from :class:`AnnualForm`).

The page is what the public reads on a government website: the form, its
signature line, and one chart of the monthly publications with its figures
in words — nothing about how govpub computed it. The table keeps the form's
grouping (``rowspan``/``colspan`` on ``<th>`` cells with ``scope``, so a
screen reader announces each figure with its row headings). The CSV has one
row per row of the form, in the same order, with the same headings.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from ..build import mdtext
from ..placeholder import MARKER
from .form import (
    ALL_FIELDS,
    BY_KEY,
    DATE,
    FEATURES,
    FIELDS,
    MULTILINGUAL,
    NUMBER,
    SIGNATURE,
    TEXT,
    YESNO,
    Field,
)

#: the CSV's columns: the form's three levels of headings, the value, and a stable key
CSV_HEADER = ("项目", "子项目", "指标", "数值", "字段代码")
NOT_APPLICABLE = "—"
NONE_TEXT = "无"


@dataclass
class AnnualForm:
    year: int
    values: dict  # field key -> value; None: not filled in yet
    per_month: list[int]
    missing: list[Field] = field(default_factory=list)  # office fields still empty
    not_applicable: set[str] = field(default_factory=set)  # keys that do not apply

    @property
    def complete(self) -> bool:
        return not self.missing


def _yes_no(value):
    if value in ("是", True):
        return True
    if value in ("否", False):
        return False
    return None


def assemble(year: int, computed: dict, office, *, platforms: set[str], languages: int,
             per_month: list[int]) -> AnnualForm:
    """The form's values: computed figures, the office's, and the sums of both."""
    values = dict(computed)
    for f in ALL_FIELDS:
        if f.office:
            raw = office.value(f)
            values[f.key] = _yes_no(raw) if f.kind == YESNO else raw
    features = values.get("innovation.features")
    if languages >= 2:
        features = sorted({*(features or []), MULTILINGUAL},
                          key=("搜索即服务", MULTILINGUAL, "无障碍浏览", "千人千网").index)
    values["innovation.features"] = features
    values["interpretation.total"] = _sum(values, "interpretation.materials",
                                          "interpretation.products", "interpretation.media")
    values["services.cases.total"] = _sum(values, "services.cases.natural",
                                          "services.cases.legal")
    not_applicable = {f.key for f in ALL_FIELDS
                      if f.needs_platform and f.needs_platform not in platforms}
    missing = [f for f in office.empty(platforms) if f.key not in not_applicable]
    if languages >= 2 and BY_KEY["innovation.features"] in missing:
        missing.remove(BY_KEY["innovation.features"])
    return AnnualForm(year, values, per_month, missing, not_applicable)


def _sum(values: dict, *keys: str):
    parts = [values.get(k) for k in keys]
    return None if any(p is None for p in parts) else sum(parts)


def shown(form: AnnualForm, f: Field, *, marker: str) -> str:
    """A field's value as the form shows it; ``marker`` where it is still to be filled in."""
    value = form.values.get(f.key)
    if f.key in form.not_applicable:
        return NOT_APPLICABLE
    if value is None or (isinstance(value, str) and not value.strip()):
        if f.office or f.key in ("interpretation.total", "services.cases.total"):
            return marker
        return NONE_TEXT if f.kind == TEXT else NOT_APPLICABLE
    if f.kind == YESNO:
        return "是" if value else "否"
    if f.kind == FEATURES:
        return "、".join(value) if value else NONE_TEXT
    if f.kind == NUMBER:
        return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    if f.kind == DATE:
        return str(value)
    return str(value)


def figures_csv(form: AnnualForm) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for f in ALL_FIELDS:
        labels = (*f.labels, "", "")[:3]
        writer.writerow([*labels, shown(form, f, marker=""), f.key])
    return buffer.getvalue()


# -- the page --

def _rowspans(rows: list[Field], level: int) -> list[int]:
    """For each row: how many rows its heading at ``level`` spans (0: covered by the one above)."""
    spans = [0] * len(rows)
    index = 0
    while index < len(rows):
        key = rows[index].labels[:level + 1]
        end = index + 1
        if len(rows[index].labels) > level + 1:
            while end < len(rows) and rows[end].labels[:level + 1] == key \
                    and len(rows[end].labels) > level + 1:
                end += 1
        spans[index] = end - index
        index = end
    return spans


def form_table(form: AnnualForm, caption: str) -> str:
    rows = list(FIELDS)
    spans = [_rowspans(rows, level) for level in range(3)]
    out = ["<table>", f"<caption>{mdtext.text(caption)}</caption>", "<tbody>"]
    for index, f in enumerate(rows):
        depth = len(f.labels)
        cells = []
        for level in range(depth):
            span = spans[level][index]
            if span == 0:
                continue
            last = level == depth - 1
            colspan = 3 - level if last else 1
            attrs = f' scope="{"row" if last else "rowgroup"}"'
            attrs += f' rowspan="{span}"' if span > 1 else ""
            attrs += f' colspan="{colspan}"' if colspan > 1 else ""
            cells.append(f"<th{attrs}>{mdtext.text(f.labels[level])}</th>")
        cells.append(f"<td>{mdtext.text(shown(form, f, marker=MARKER))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def report_title(site: dict, year: int) -> str:
    return f"{site.get('name', '')}政府网站工作年度报表（{year}年度）"


def report_markdown(form: AnnualForm, site: dict, *, published: str, names: dict) -> str:
    """The report page; ``names`` maps ``csv`` and ``months`` to files beside it
    (``months`` is None when nothing was published: no empty chart)."""
    year = form.year
    title = report_title(site, year)
    organizer = site.get("organizer") or site.get("name", "")
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}",
             f"source: {json.dumps(organizer, ensure_ascii=False)}",
             f"published: {json.dumps(published)}", "disclosure: proactive",
             f"year: {year}", "report_kind: annual", "---", "",
             f"填报单位：{mdtext.text(organizer)}", "",
             form_table(form, title), "",
             "　".join(f"{f.labels[0]}：{mdtext.text(shown(form, f, marker=MARKER))}"
                      for f in SIGNATURE), "",
             f"注：信息发布、解读材料、办事服务、留言办理和移动新媒体账号按{year}年12月31日24时"
             "本网站公开的内容统计；平均办理时间按工作日计算。", "",
             f"[下载本报表数据（CSV 格式）]({names['csv']})", "",
             f"## 附：{year}年各月信息发布数量", ""]
    total = sum(form.per_month)
    if names.get("months") and total:
        lines += [f"![{year}年各月信息发布数量柱状图，数据见下文]({names['months']})", ""]
    if total:
        months = "、".join(f"{m}月 {n}条" for m, n in enumerate(form.per_month, start=1))
        lines.append(f"{year}年各月发布信息：{months}，合计 {total}条。")
    else:
        lines.append(f"{year}年本网站未发布信息，无图表。")
    return "\n".join(lines) + "\n"


__all__ = [
    "CSV_HEADER",
    "AnnualForm",
    "assemble",
    "figures_csv",
    "form_table",
    "report_markdown",
    "report_title",
    "shown",
]
