"""A service item's front matter rendered as a guide (work plan tasks i–iii).

The structured fields of a ``service-item`` page (conditions, documents,
process, time limits, fees, online depth, halls, contact) become Markdown
sections appended below the page's own text, so that the guide on the site
always agrees with the catalog data. Links to template and example
attachments are made only when the attachment itself is approved; guides
that explain the item are listed when they are approved.
"""

from __future__ import annotations

import posixpath

from ..sitemodel import Page, SiteModel
from . import mdtext

DEPTHS = {
    1: ("Ⅰ", "信息在线 Information online"),
    2: ("Ⅱ", "表格在线 Forms online"),
    3: ("Ⅲ", "在线预审 Online submission and pre-review"),
    4: ("Ⅳ", "全程网办 Fully online"),
}
FORMS = {"original": "原件 original", "copy": "复印件 copy", "electronic": "电子件 electronic"}
CHANNELS = {"online": "网上办理", "hall": "窗口办理", "mobile": "移动端", "hotline": "热线",
            "mail": "邮寄"}
ITEM_TYPES = {"administrative-licensing": "行政许可", "administrative-confirmation": "行政确认",
              "public-service": "公共服务", "other": "其他"}


def _list(value) -> list:
    return value if isinstance(value, list) else ([] if value is None else [value])


def attachment_target(page: Page, ref: str, approved: set[str]) -> str | None:
    """The content path an attachment reference points to, if that attachment is approved."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), str(ref)))
    return target if target in approved else None


def _documents(page: Page, approved: set[str]) -> list[str]:
    rows = ["| 材料 Document | 形式 Form | 份数 Copies | 必需 Required | 样表 Template | 示例 Example |",
            "|---|---|---|---|---|---|"]
    for doc in _list(page.meta.get("documents")):
        if not isinstance(doc, dict):
            continue
        cells = [mdtext.text(doc.get("name", "")),
                 mdtext.text(FORMS.get(doc.get("form"), doc.get("form", ""))),
                 mdtext.text(doc.get("copies", "")),
                 "是 yes" if doc.get("required") else "视情况 if applicable"]
        for key, label in (("template", "下载样表 template"), ("example", "查看示例 example")):
            target = attachment_target(page, doc[key], approved) if doc.get(key) else None
            cells.append(mdtext.link(label, target, page.path) if target else "—")
        rows.append("| " + " | ".join(cells) + " |")
        if doc.get("note"):
            rows.append(f"| ↳ {mdtext.text(doc['note'])} | | | | | |")
    return rows


def _process(page: Page) -> list[str]:
    lines = []
    for number, step in enumerate(_list(page.meta.get("process")), start=1):
        if not isinstance(step, dict):
            continue
        days = f"（{mdtext.text(step['days'])} 个工作日 working days）" if "days" in step else ""
        lines.append(f"{number}. **{mdtext.text(step.get('step', ''))}**：{mdtext.text(step.get('description', ''))}{days}")
    return lines


def _fees(page: Page) -> list[str]:
    meta = page.meta
    if meta.get("free") and not meta.get("fees"):
        return ["不收费 Free of charge."]
    lines = []
    for fee in _list(meta.get("fees")):
        if isinstance(fee, dict):
            unit = f" / {mdtext.text(fee['unit'])}" if fee.get("unit") else ""
            lines.append(f"- {mdtext.text(fee.get('name', ''))}：{mdtext.text(fee.get('amount', ''))} 元{unit}")
    if meta.get("fee_basis"):
        lines.append(f"\n收费依据 Basis: {mdtext.text(meta['fee_basis'])}")
    return lines


def _online(page: Page) -> list[str]:
    meta = page.meta
    depth = meta.get("online_depth")
    numeral, label = DEPTHS.get(depth, ("?", "未注明 not given")) if isinstance(depth, int) \
        else ("?", "未注明 not given")
    lines = [f"- 网上办理深度 Online depth: **{numeral} 级**（{label}）"]
    if meta.get("online_url"):
        lines.append(f"- 网上办理 Apply online: {mdtext.external_link(meta['online_url'], meta['online_url'])}")
    if "visits" in meta:
        lines.append(f"- 到现场次数 On-site visits: {mdtext.text(meta['visits'])}")
    channels = [CHANNELS.get(c, str(c)) for c in _list(meta.get("channels"))]
    if channels:
        lines.append(f"- 办理渠道 Channels: {mdtext.text('、'.join(channels))}")
    return lines


def _halls(page: Page) -> list[str]:
    lines = []
    for hall in _list(page.meta.get("halls")):
        if not isinstance(hall, dict):
            continue
        parts = [f"**{mdtext.text(hall.get('name', ''))}**", mdtext.text(hall.get("address", ""))]
        parts += [mdtext.text(hall[k]) for k in ("hours", "phone") if hall.get(k)]
        lines.append("- " + "，".join(parts))
    return lines


def _contact(page: Page) -> list[str]:
    contact = page.meta.get("contact")
    if not isinstance(contact, dict):
        return []
    return [f"- 咨询电话 Enquiries: {mdtext.text(contact.get('enquiry', ''))}",
            f"- 监督投诉 Complaints: {mdtext.text(contact.get('complaint', ''))}"]


_last: list = []  # (model, approved paths, guides by item code), computed once per model


def _indexes(model: SiteModel) -> tuple[set[str], dict[str, list[Page]]]:
    if not (_last and _last[0] is model):
        approved = {d.path for d in model.attachments} | {p.path for p in model.pages}
        guides: dict[str, list[Page]] = {}
        for page in sorted(model.of_type("guide"), key=lambda p: p.path):
            for code in dict.fromkeys(str(c) for c in _list(page.meta.get("items"))):
                guides.setdefault(code, []).append(page)
        _last[:] = [model, approved, guides]
    return _last[1], _last[2]


def explaining_guides(model: SiteModel, code: str) -> list[Page]:
    return list(_indexes(model)[1].get(code, []))


#: serve rebuilds the guides of an unchanged site again and again: (model, what every
#: guide of that model depends on beyond its own page, guides made for it, for the model before)
_made: list = [None, None, {}, {}]


def _site_inputs(model: SiteModel) -> tuple:
    """What a guide reads beyond its own page: the approved paths (attachment links), the
    guides that explain each item (titles, paths), the site's time zone and address."""
    approved, guides = _indexes(model)
    explained = tuple((code, tuple((g.path, g.title) for g in pages))
                      for code, pages in sorted(guides.items()))
    return (frozenset(approved), explained, str(model.policy.timezone), model.policy.base_url)


def guide_markdown(page: Page, model: SiteModel) -> str:
    """What the build adds to a page: for a service item the guide sections from its
    front matter and the PDF handout link; for items and guides the print check block.

    Made once per page and site: a page with the same bytes, path, type and dates in a
    site with the same :func:`_site_inputs` gets the text made for the model before.
    """
    if page.type not in ("guide", "service-item"):
        return ""
    if _made[0] is not model:
        inputs = _site_inputs(model)
        _made[:] = [model, inputs, {}, _made[2] if inputs == _made[1] else {}]
    key = (page.doc.digest, page.path, page.type, page.published, page.updated, page.url)
    made, earlier = _made[2], _made[3]
    if key not in made:
        made[key] = earlier[key] if key in earlier else _guide_markdown(page, model)
    return made[key]


def _guide_markdown(page: Page, model: SiteModel) -> str:
    from ..handouts import handout_link_html
    from ..opendata.pages import print_meta_html

    if page.type == "guide":
        return "\n" + print_meta_html(page, model) + "\n"
    if page.type != "service-item":
        return ""
    meta = page.meta
    approved = _indexes(model)[0]
    out = ["", "---", "", "## 办事指南 Service guide", "", handout_link_html(page), ""]
    facts = [f"- 事项编码 Item code: {mdtext.text(meta.get('code', ''))}"]
    if meta.get("item_type"):
        facts.append(f"- 事项类型 Item type: {mdtext.text(ITEM_TYPES.get(meta['item_type'], meta['item_type']))}")
    if meta.get("category"):
        facts.append(f"- 所属类别 Category: {mdtext.text(meta['category'])}")
    out += facts
    sections = [
        ("设定依据 Legal basis", [f"- {mdtext.text(x)}" for x in _list(meta.get("legal_basis"))]),
        ("办理条件 Conditions", [f"- {mdtext.text(x)}" for x in _list(meta.get("conditions"))]),
        ("申请材料 Documents", _documents(page, approved)),
        ("办理流程 Process", _process(page)),
    ]
    limit = meta.get("time_limit") if isinstance(meta.get("time_limit"), dict) else {}
    sections.append(("办理时限 Time limits", [
        f"- 法定办结时限 Statutory time limit: {mdtext.text(limit.get('statutory_days', '—'))} 个工作日 working days",
        f"- 承诺办结时限 Promised time limit: {mdtext.text(limit.get('promised_days', '—'))} 个工作日 working days",
    ]))
    sections += [
        ("收费标准 Fees", _fees(page)),
        ("网上办理 Online handling", _online(page)),
        ("办理地点 Service halls", _halls(page)),
        ("咨询与投诉 Enquiries and complaints", _contact(page)),
    ]
    guides = explaining_guides(model, str(meta.get("code", "")))
    sections.append(("相关办事指南 Guides for this item",
                     [f"- {mdtext.link(g.title, g.path, page.path)}" for g in guides]))
    for heading, lines in sections:
        if lines:
            out += ["", f"### {heading}", "", *lines]
    out += ["", print_meta_html(page, model)]
    return "\n".join(out) + "\n"
