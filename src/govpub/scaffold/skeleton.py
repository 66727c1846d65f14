"""The text of a skeleton: its fields, their guidance comments and its body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from ..config import Column, Policy
from ..i18n import N_, _
from ..placeholder import MARKER, fill_in
from .naming import SERVICE_ITEM

GUIDE = "guide"
#: where a comment breaks into lines: after a Chinese full stop, or ". " in English
SENTENCE_END = re.compile(r"(?<=。)|(?<=\.)\s+(?=[A-Z0-9])")


@dataclass(frozen=True)
class Slot:
    """One front-matter field of a skeleton."""

    name: str
    value: object
    guide: str  # message id, shown translated as the comment above the field
    confirm: bool = False  # a default to confirm: the comment starts with the marker


@dataclass
class Request:
    policy: Policy
    type_name: str
    title: str
    now: datetime
    column: Column
    codes: tuple[str, ...] = ()
    #: code -> (content path, front matter) of each catalog item a guide explains
    items: dict[str, tuple[str, dict]] = field(default_factory=dict)


# -- guidance texts (English message ids; the Chinese is in locale/zh_CN/parts/new.po) --

CONFIRM = N_("{guide} Confirm or change the value, then delete the marker at the start of "
             "this comment.")
HEADER = N_("Fill in or confirm every field below and delete each marker once its place is "
            "filled in: a page that still carries the marker cannot be approved and is "
            "never published.")

COMMON = {
    "title": N_("Title: one line, at most 200 characters."),
    "source": N_("Source: the department the information comes from (发布机构), e.g. "
                 "专利局初审及流程管理部; for a reproduced document, its original publisher."),
    "published": N_("Publication time, ISO 8601 with the offset (+08:00). A time in the "
                    "future schedules the page: it stays off the site until then."),
    "disclosure": N_("Disclosure, as decided in the confidentiality review: proactive "
                     "(主动公开), on-request (依申请公开) or withheld (不予公开). Only "
                     "proactive pages are published."),
}

#: (type, field) -> (guide, what is missing, whether the default must be confirmed)
GUIDES = {
    ("notice", "category"): N_("Category: 通知, 公告 or 工作动态."),
    ("policy", "policy_kind"): N_(
        "Kind of document: law (法律), regulation (行政法规), rule (部门规章), "
        "normative-document (规范性文件) or interpretation (政策解读). An interpretation also "
        "needs interprets: the content path of the policy it explains."),
    ("policy", "status"): N_(
        "Validity: in-force (现行有效), amended (已修改), repealed (已废止) or withdrawn "
        "(已撤回). Anything but in-force shows a banner and needs status_note."),
    ("policy", "doc_number"): N_(
        "Official document number (文号), e.g. 国知办发〔2026〕12号. Delete this line if the "
        "document has none (an interpretation usually has none)."),
    (SERVICE_ITEM, "code"): N_(
        "Basic code of the item: the next free code of the catalog, given by govpub new. The "
        "file is named after it, so the item's address stays the same when its title changes."),
    (SERVICE_ITEM, "item_type"): N_(
        "Type of item: administrative-licensing (行政许可), administrative-confirmation "
        "(行政确认), public-service (公共服务) or other (其他)."),
    (SERVICE_ITEM, "category"): N_("Catalog category the item is listed under, e.g. 专利申请."),
    (SERVICE_ITEM, "legal_basis"): N_(
        "Laws and regulations the item is based on, one per line, each with its article, e.g. "
        "《中华人民共和国专利法》第二十六条."),
    (SERVICE_ITEM, "conditions"): N_("Conditions the applicant must meet, one per line."),
    (SERVICE_ITEM, "documents"): N_(
        "Documents to submit, one entry each: name; form: original (原件), copy (复印件) or "
        "electronic (电子件); copies; required: true or false; optionally template and example "
        "(attachment paths relative to this page, e.g. ../attachments/forms/x.docx) and note."),
    (SERVICE_ITEM, "process"): N_(
        "Steps in order, from application, acceptance, examination and decision to service: "
        "step, description and, optionally, days (working days the step takes at most)."),
    (SERVICE_ITEM, "time_limit"): N_(
        "Time limits in working days: statutory_days (法定办结时限) and promised_days "
        "(承诺办结时限), which may not exceed the statutory limit."),
    (SERVICE_ITEM, "free"): N_(
        "true when the item is free of charge. Otherwise delete this line and list fees "
        "(name, amount in yuan, unit) with fee_basis (收费依据)."),
    (SERVICE_ITEM, "online_depth"): N_(
        "Depth of online handling: 1 information online, 2 forms online, 3 online submission "
        "and pre-review, 4 fully online. Depth 3 and 4 need online_url (https); depth 4 needs "
        "visits: 0."),
    (SERVICE_ITEM, "visits"): N_(
        "On-site visits the applicant needs at most (0 when the item is fully online)."),
    (SERVICE_ITEM, "channels"): N_(
        "Channels through which the item is handled: any of online, hall, mobile, hotline, "
        "mail."),
    (SERVICE_ITEM, "contact"): N_(
        "Enquiry and complaint telephones: office landlines or hotlines, never a personal "
        "mobile number. Filled in from site_config/site.yml; change them if the item has its "
        "own."),
    (GUIDE, "items"): N_(
        "Codes of the service items this guide explains; each must exist in the catalog."),
    ("reproduction", "reproduces"): N_(
        "The original: its address (url), title, publisher (e.g. 国务院办公厅) and publication "
        "time. A watched Central Government document is better drafted with govpub reproduce "
        "ID, which fills all of this in."),
    ("comment", "received"): N_(
        "When the message was received; the reply is due within the site's reply working "
        "days."),
    ("comment", "channel"): N_(
        "How the message arrived: website, mail, phone, wechat, letter or other."),
    ("comment", "subject"): N_("Subject of the message, one line."),
    ("comment", "message"): N_("The message, with every piece of personal data removed."),
    ("report", "year"): N_(
        "The year the report covers. The annual website work report is generated with govpub "
        "report annual YEAR instead."),
    ("report", "report_kind"): N_("Kind of report: annual."),
}

#: what the body of a guide must cover, in this order (docs/content-model.md)
GUIDE_SECTIONS = (
    ("适用范围", N_("who may apply, and in which cases")),
    ("办理条件", N_("the conditions the applicant must meet")),
    ("申请材料", N_("the documents, with links to the blank forms and filled-in examples")),
    ("办理流程", N_("the steps from application to the result")),
    ("办理时限", N_("the statutory and promised time limits")),
    ("收费", N_("the fees and their legal basis, or that the item is free")),
    ("办理渠道", N_("where to apply online and offline, with opening hours")),
    ("注意事项", N_("what applicants often get wrong")),
    ("咨询与投诉", N_("the enquiry and complaint telephones")),
)

BODIES = {
    "notice": N_("the text of the notice"),
    "policy": N_("the full text of the document, unabridged"),
    SERVICE_ITEM: N_("one paragraph on what the item is and who may apply"),
    "reproduction": N_("the full text of the original, unchanged"),
    "report": N_("the text of the report"),
    "faq": N_("the answer to the question"),
}


def _schema_parts(policy: Policy, schema: dict) -> list[dict]:
    parts = [schema]
    resolver = policy.schemas.resolver()
    for sub in schema.get("allOf", []):
        if "$ref" in sub:
            parts.append(resolver.lookup(sub["$ref"]).contents)
        else:
            parts.append(sub)
    return parts


def required_fields(policy: Policy, type_name: str) -> list[tuple[str, dict]]:
    """(field, property schema) for every required field, common fields first."""
    parts = _schema_parts(policy, policy.type_schemas[type_name])
    fields: dict[str, dict] = {}
    for part in reversed(parts):
        props = part.get("properties", {})
        for name in part.get("required", []):
            fields.setdefault(name, props.get(name, {}))
    return list(fields.items())


def known_fields(policy: Policy, type_name: str) -> set[str]:
    names: set[str] = set()
    for part in _schema_parts(policy, policy.type_schemas[type_name]):
        names.update(part.get("properties", {}))
    return names


def _iso(moment: datetime, policy: Policy) -> str:
    return moment.astimezone(policy.timezone).replace(microsecond=0).isoformat()


def _fill(what: str) -> str:
    return fill_in(_(what))


def _contact(policy: Policy) -> dict:
    contact = policy.site.get("contact") or {}
    hotline = contact.get("hotline")
    enquiry = contact.get("enquiry_phone")
    if enquiry and hotline:
        enquiry = f"{enquiry}；{hotline}"
    return {"enquiry": str(enquiry or hotline or _fill(N_("enquiry telephone"))),
            "complaint": str(contact.get("supervision_phone")
                             or _fill(N_("complaint telephone")))}


def _type_slots(req: Request) -> list[Slot]:
    """The fields this type's skeleton writes beyond the common four (required or not)."""
    policy, now = req.policy, _iso(req.now, req.policy)
    t = req.type_name

    def slot(name, value, *, confirm=False):
        return Slot(name, value, GUIDES.get((t, name), ""), confirm)

    if t == "notice":
        return [slot("category", _fill(N_("category of the notice")))]
    if t == "policy":
        return [slot("doc_number", _fill(N_("document number"))),
                slot("policy_kind", "normative-document", confirm=True),
                slot("status", "in-force", confirm=True)]
    if t == SERVICE_ITEM:
        return [
            slot("code", req.codes[0]),
            slot("item_type", "other", confirm=True),
            slot("category", _fill(N_("catalog category"))),
            slot("legal_basis", [_fill(N_("law or regulation, with the article"))]),
            slot("conditions", [_fill(N_("a condition the applicant must meet"))]),
            slot("documents", [{"name": _fill(N_("name of the document")),
                                "form": "electronic", "copies": 1, "required": True}],
                 confirm=True),
            slot("process", [{"step": step, "description": _fill(what)} for step, what in (
                ("申请", N_("how and where the applicant applies")),
                ("受理", N_("who accepts the application and how")),
                ("审查", N_("what is examined")),
                ("决定", N_("what is decided and how the applicant learns of it")),
                ("送达", N_("how the result reaches the applicant")))]),
            slot("time_limit", {"statutory_days": 20, "promised_days": 20}, confirm=True),
            slot("free", True, confirm=True),
            slot("online_depth", 1, confirm=True),
            slot("visits", 1, confirm=True),
            slot("channels", ["hall"], confirm=True),
            slot("contact", _contact(policy)),
        ]
    if t == GUIDE:
        return [slot("items", list(req.codes))]
    if t == "reproduction":
        return [slot("reproduces", {"url": "https://www.gov.cn/" + _fill(N_("address of the original")),
                                    "title": _fill(N_("title of the original")),
                                    "publisher": _fill(N_("publisher of the original")),
                                    "published": now}, confirm=True)]
    if t == "comment":
        return [slot("received", now, confirm=True), slot("channel", "website", confirm=True),
                slot("subject", _fill(N_("subject of the message"))),
                slot("message", _fill(N_("the message, without personal data")))]
    if t == "report":
        return [slot("year", req.now.astimezone(policy.timezone).year - 1, confirm=True),
                slot("report_kind", "annual")]
    return []


def _fallback_slot(name: str, prop: dict) -> Slot:
    """A required field govpub has no template for (added by the General Office)."""
    guide = " ".join(str(prop.get("description", "")).split())
    kind = prop.get("type", "string")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    if prop.get("enum"):
        return Slot(name, prop["enum"][0], guide, confirm=True)
    if "default" in prop:
        return Slot(name, prop["default"], guide, confirm=True)
    if kind in ("integer", "number"):
        return Slot(name, prop.get("minimum", 0), guide, confirm=True)
    if kind == "boolean":
        return Slot(name, False, guide, confirm=True)
    if kind == "array":
        return Slot(name, [fill_in(name)], guide)
    if kind == "object":
        return Slot(name, {}, guide, confirm=True)
    return Slot(name, fill_in(name), guide)


def _slots(req: Request) -> list[Slot]:
    policy = req.policy
    common = [Slot("title", req.title, COMMON["title"]),
              Slot("source", _fill(N_("source department")), COMMON["source"]),
              Slot("published", _iso(req.now, policy), COMMON["published"]),
              Slot("disclosure", "proactive", COMMON["disclosure"], confirm=True)]
    known = known_fields(policy, req.type_name)
    offered = {s.name: s for s in common + _type_slots(req) if s.name in known}
    required = required_fields(policy, req.type_name)
    slots = [offered.pop(name, None) or _fallback_slot(name, prop) for name, prop in required]
    return slots + list(offered.values())  # optional fields the type's skeleton offers


def _comment(slot: Slot) -> list[str]:
    """The field's guidance as comment lines, one sentence a line, never cut short."""
    text = _(slot.guide) if slot.guide else ""
    if slot.confirm:
        text = MARKER + _(CONFIRM).format(guide=text).strip()
    sentences = [s.strip() for s in SENTENCE_END.split(text) if s.strip()]
    return [f"# {sentence}" for sentence in sentences]


def _body(req: Request) -> str:
    t = req.type_name
    if t == GUIDE:
        lines = []
        for code in req.codes:
            path, meta = req.items[code]
            name = str(meta.get("title") or code)
            lines.append(_("This guide explains how to apply for “{item}” (item code {code}); "
                           "its standard information is in the catalog: [{item}]({link}).")
                         .format(item=name, code=code, link=_relative_link(req.column, path)))
        lines.append("")
        for heading, what in GUIDE_SECTIONS:
            lines += [f"## {heading}", "", _fill(what), ""]
        return "\n".join(lines)
    if t == "faq":
        return "## " + _fill(N_("the question")) + "\n\n" + _fill(BODIES["faq"]) + "\n"
    if t == "comment":
        return ""
    return _fill(BODIES.get(t, N_("the text of the page"))) + "\n"


def _relative_link(column: Column, content_path: str) -> str:
    """The Markdown link from a page of ``column`` to another content path."""
    return "../" * len(Path(column.folder).parts) + content_path


def skeleton(req: Request) -> str:
    lines = ["---", f"# {_(HEADER)}"]
    for slot in _slots(req):
        dumped = yaml.safe_dump({slot.name: slot.value}, allow_unicode=True, sort_keys=False,
                                default_flow_style=False, width=10_000).rstrip("\n")
        lines += [*_comment(slot), dumped]
    lines += ["---", "", _body(req)]
    return "\n".join(lines).rstrip("\n") + "\n"
