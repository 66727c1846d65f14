"""The report page (Markdown) and its CSV of figures (pure text from :class:`AnnualFigures`)."""

from __future__ import annotations

import csv
import io
import json

from .figures import DEPTH_LABELS, AnnualFigures


def _q(value) -> str:
    # JSON strings are valid YAML scalars: no value can break the front matter
    return json.dumps(value, ensure_ascii=False)


def _text(value) -> str:
    from ..build import mdtext

    return mdtext.text(value)


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def _num(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def figures_csv(figures: AnnualFigures) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "item", "value"])
    writer.writerows(figures.rows())
    return buffer.getvalue()


def report_markdown(f: AnnualFigures, *, published: str, names: dict[str, str]) -> str:
    """The draft page; ``names`` maps chart/CSV roles to file names beside the page."""
    site = f.site
    title = f"{site.get('name', '')}{f.year}年网站工作年度报表"
    lines = ["---", f"title: {_q(title)}",
             f"source: {_q(site.get('organizer') or site.get('name', ''))}",
             f"published: {_q(published)}", "disclosure: proactive", f"year: {f.year}",
             "report_kind: annual", "---", "",
             f"# {_text(site.get('name', ''))} {f.year} 年网站工作年度报表", "",
             f"Annual website work report {f.year}. 数据由 govpub 根据网站仓库"
             f"{'和监测服务记录' if f.watcher else ''}生成；全部数据见 "
             f"[{names['csv']}]({names['csv']})。", ""]
    for warning in f.warnings:
        lines += [f"> **注意 Warning:** {_text(warning)}", ""]
    lines += ["## 一、网站基本信息 Site", "", "| 项目 | 内容 |", "|---|---|"]
    for key, label in (("name", "网站名称 Name"), ("domain", "首页网址 Domain"),
                       ("site_code", "网站标识码 Site code"), ("icp", "ICP备案编号 ICP"),
                       ("organizer", "主办单位 Organizer")):
        lines.append(f"| {label} | {_text(site.get(key, '—'))} |")
    lines += ["", "## 二、信息发布 Publication", "",
              f"全年发布信息 {f.published_total} 条。Pages published: {f.published_total}.", "",
              "| 栏目 Column | 发布数 Pages |", "|---|---|"]
    lines += [f"| {_text(title)} | {count} |" for title, count in f.per_column.items()]
    if not f.per_column:
        lines.append("| — | 0 |")
    lines += ["", f"![各月发布数 Pages published per month]({names['months']})", "",
              "## 三、政务服务 Services", "",
              f"- 政务服务事项 Service items: {f.service_items}",
              f"- 办事指南 Guides: {f.guides}",
              f"- 政策解读 Policy interpretations published: {f.interpretations}", "",
              "| 网上办理深度 Online depth | 事项数 Items |", "|---|---|"]
    lines += [f"| {DEPTH_LABELS.get(d, str(d))} | {n} |" for d, n in f.service_by_depth.items()]
    if not f.service_by_depth:
        lines.append("| — | 0 |")
    lines += ["", "## 四、转载国务院重要政策 Reproductions", "",
              f"- 转载页面 Reproduction pages published: {f.reproduction_pages}"]
    if f.watcher is None:
        lines.append(f"- 监测记录 Watcher: {_text(f.watcher_note)}")
    else:
        w = f.watcher
        lines += [f"- 监测到的中央文件 Central items watched: {w.watched}",
                  f"- 已转载 Reproduced: {w.reproduced}，其中按时（12小时内）On time: "
                  f"{w.on_time}（{_pct(w.on_time, w.reproduced)}）",
                  f"- 转载用时中位数 Median lead time: {_num(f.median_lead_hours)} 小时 hours"]
    lines += ["", f"![转载用时 Reproduction lead times]({names['leads']})", "",
              "## 五、互动交流 Public comments", "",
              f"- 收到留言 Received: {f.comments.received}",
              f"- 已答复 Replied: {f.comments.replied}，按时 On time: {f.comments.on_time}"
              f"（{_pct(f.comments.on_time, f.comments.replied)}）",
              f"- 不予公开 Withheld: {f.comments.withheld}",
              f"- 平均答复用时 Average: {_num(f.comments.average_working_days)} 个工作日 "
              "working days", "",
              f"![答复用时 Reply times]({names['replies']})", "",
              "## 六、外部链接与安全 External links and integrity", "",
              f"- 经审批的外部链接网站 Approved external sites in force: {f.links_approved}"
              f"（本年新批准 {f.links_approved_in_year}）",
              f"- 防篡改检查 Tamper checks: {_text(f.tamper_note)}", "",
              "## 七、政务新媒体 Platforms", "",
              "| 类型 Kind | 数量 Count |", "|---|---|"]
    lines += [f"| {kind} | {count} |" for kind, count in f.platforms_by_kind.items()]
    if not f.platforms_by_kind:
        lines.append("| — | 0 |")
    return "\n".join(lines) + "\n"
