"""Generated pages: the service catalog (``catalog/index.md``) and the open-data page (``open-data.md``).

Page generators ``(model) -> {staging path: Markdown}`` for
``govpub.build.generated.GENERATORS``. The catalog is a raw HTML block (so
every row can carry ``data-`` attributes for the browser-side filter in
``theme/javascripts/catalog-filter.js``); every value is HTML-escaped, and
links are the final directory URLs relative to ``catalog/``. Without
JavaScript the whole catalog is shown and the filter controls stay hidden.
"""

from __future__ import annotations

import json
import posixpath
from html import escape
from itertools import groupby

from ..sitemodel import SiteModel
from .records import item_code, item_summary, service_items
from .values import DEPTH_LABELS

CATALOG_PAGE = "catalog/index.md"
CATALOG_URL = "catalog/"
OPEN_DATA_PAGE = "open-data.md"

ITEM_TYPES = {"administrative-licensing": "行政许可", "administrative-confirmation": "行政确认",
              "public-service": "公共服务", "other": "其他"}
CHANNELS = {"online": "网上办理", "hall": "窗口办理", "mobile": "移动端", "hotline": "热线",
            "mail": "邮寄"}
UNCATEGORISED = "其他 Other"


def _front_matter(title: str) -> str:
    # JSON-quoted scalars are valid YAML and cannot smuggle keys in
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n"


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _options(values: list[tuple[str, str]], all_label: str) -> str:
    opts = [f'<option value="">{_e(all_label)}</option>']
    opts += [f'<option value="{_e(v)}">{_e(label)}</option>' for v, label in values]
    return "".join(opts)


def _row(item: dict, page_url: str) -> str:
    href = posixpath.relpath(page_url.rstrip("/"), CATALOG_URL.rstrip("/")) + "/"
    item_type = ITEM_TYPES.get(item["item_type"], item["item_type"])
    channels = "、".join(CHANNELS.get(c, c) for c in item["channels"])
    limit = (f'{item["promised_days"]} 个工作日（法定 {item["statutory_days"]}）'
             if item["promised_days"] is not None else "—")
    search = " ".join([item["code"], item["name"], item["category"], item_type]).lower()
    return (f'<tr data-category="{_e(item["category"])}" data-item-type="{_e(item["item_type"])}" '
            f'data-depth="{_e(item["online_depth"] or "")}" data-search="{_e(search)}">'
            f'<td><code>{_e(item["code"])}</code></td>'
            f'<td><a href="{_e(href)}">{_e(item["name"])}</a></td>'
            f"<td>{_e(item_type)}</td>"
            f'<td>{_e(item["online_depth_label"] or "—")}</td>'
            f"<td>{_e(limit)}</td><td>{_e(channels)}</td></tr>")


def catalog_html(model: SiteModel) -> str:
    """The catalog table block, grouped by category, rows by item type then code."""
    pages = service_items(model)
    items = [(item_summary(p, model), p.url) for p in pages]
    items.sort(key=lambda pair: (pair[0]["category"] or "\uffff", pair[0]["item_type"],
                                 pair[0]["code"]))
    categories = sorted({i["category"] for i, _ in items if i["category"]})
    types = sorted({i["item_type"] for i, _ in items if i["item_type"]})
    depths = sorted({i["online_depth"] for i, _ in items if i["online_depth"]})
    out = ['<div class="gp-catalog" data-gp-catalog>',
           '<form class="gp-catalog__filter" hidden role="search" aria-label="筛选事项 Filter items">',
           '<label>类别 Category <select name="category">'
           + _options([(c, c) for c in categories], "全部 All") + "</select></label>",
           '<label>事项类型 Item type <select name="item-type">'
           + _options([(t, ITEM_TYPES.get(t, t)) for t in types], "全部 All")
           + "</select></label>",
           '<label>网办深度 Online depth <select name="depth">'
           + _options([(str(d), DEPTH_LABELS[d]) for d in depths], "全部 All")
           + "</select></label>",
           '<label>搜索 Search <input type="search" name="q" autocomplete="off"></label>',
           f'<output class="gp-catalog__count" aria-live="polite">{len(items)}</output>',
           "</form>"]
    for category, group in groupby(items, key=lambda pair: pair[0]["category"]):
        label = category or UNCATEGORISED
        out.append(f'<section class="gp-catalog__category" data-category="{_e(category)}">')
        out.append(f"<h2>{_e(label)}</h2>")
        out.append("<table><thead><tr><th>事项编码 Code</th><th>事项名称 Name</th>"
                   "<th>事项类型 Type</th><th>网办深度 Depth</th>"
                   "<th>承诺时限 Promised time limit</th><th>办理渠道 Channels</th></tr></thead>"
                   "<tbody>")
        out.extend(_row(item, url) for item, url in group)
        out.append("</tbody></table></section>")
    out.append('<p class="gp-catalog__empty" hidden>没有符合条件的事项。No matching items.</p>')
    out.append("</div>")
    return "\n".join(out)


def catalog_page(model: SiteModel) -> dict[str, str]:
    """Generator: the catalog page by category and item type."""
    count = len(service_items(model))
    intro = (f"本目录列出 {count} 项政务服务事项，按类别和事项类型排列。"
             # raw links: the files are written after rendering, MkDocs cannot resolve them
             '数据下载 Download: <a href="../api/catalog.json">JSON</a> · '
             '<a href="../api/catalog.csv">CSV</a>\n\n'
             f"The catalog of {count} service items by category and item type; "
             "download it as JSON or CSV (see the open data page).\n\n")
    return {CATALOG_PAGE: _front_matter("政务服务事项目录 Service catalog") + intro
            + catalog_html(model) + "\n"}


def open_data_page(model: SiteModel) -> dict[str, str]:
    """Generator: the page that explains the open data and the API, with examples."""
    base = model.policy.base_url
    items = service_items(model)
    example = item_code(items[0]) if items else "113500100001"
    text = f"""\
本站的开放数据由每次构建从已审核发布的内容自动生成，与网页内容一致；未通过保密审查的内容不会出现在任何数据文件中。
All open data is regenerated by every build from reviewed, published content only.

## 数据集 Datasets

| 文件 File | 内容 Content | 格式 Format |
|---|---|---|
| `api/catalog.json` | 政务服务事项目录（{len(items)} 项）Service catalog | JSON |
| `api/catalog.csv` | 同上，可用表格软件打开 Same, for spreadsheets | CSV (UTF-8 with BOM) |
| `api/items/<code>.json` | 单个事项的完整信息 One item in full | JSON |
| `api/notices.json` | 通知公告 Notices | JSON |
| `api/policies.json` | 政策文件（文号、状态）Policies with number and status | JSON |
| `api/reproductions.json` | 转载的中央政府信息（来源、时间）Reproduced items with source and time | JSON |
| `feeds/all.xml`, `feeds/notices.xml`, `feeds/policies.xml`, `feeds/reproduced.xml` | 最新 50 条 The newest 50 entries | Atom |
| `data.json` | 数据目录（DCAT / Project Open Data v1.1）Catalog of these datasets | JSON |
| `api/openapi.json` | 接口说明 API description | OpenAPI 3.1 |

每个 JSON 文件在 `api/schema/` 下都有对应的 JSON Schema（2020-12）。时间均为带时区的 RFC 3339 格式（如 `2026-11-20T10:00:00+08:00`）。
Each JSON file has a JSON Schema under `api/schema/`; times are RFC 3339 with their offset.

## 示例 Examples

```sh
curl -s {base}api/catalog.json
curl -s {base}api/items/{example}.json
curl -s {base}api/catalog.csv -o catalog.csv
```

```python
import json, urllib.request

with urllib.request.urlopen("{base}api/catalog.json") as response:
    catalog = json.load(response)
for item in catalog["items"]:
    print(item["code"], item["name"], item["promised_days"])
```

## 使用说明 Terms

数据免费开放，可自由使用，请注明来源“{model.policy.site.get("organizer") or model.policy.site["name"]}”。
文件名和字段保持稳定；如有不兼容的变化，`api/openapi.json` 的版本号会提高。
Free to reuse with attribution; incompatible changes raise the version in `api/openapi.json`.
"""
    return {OPEN_DATA_PAGE: _front_matter("开放数据 Open data") + text}


def print_meta_html(page, model: SiteModel) -> str:
    """The print check block for one page (item code, URL, source, times).

    Hidden on screen, shown on paper by ``theme/stylesheets/print.css``; the
    item and guide pages append it so a printed copy can be checked against
    the site. One raw HTML block, every value escaped.
    """
    from .values import iso

    tz = model.policy.timezone
    rows = []
    if page.type == "service-item":
        rows.append(("事项编码 Item code", item_code(page)))
    rows.append(("网址 URL", model.absolute(page.url)))
    if page.meta.get("source"):
        rows.append(("来源 Source", page.meta["source"]))
    rows.append(("发布时间 Published", iso(page.published, tz)))
    if page.updated is not None:
        rows.append(("更新时间 Updated", iso(page.updated, tz)))
    cells = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    return f'<div class="gp-print-meta"><dl>{cells}</dl></div>'
