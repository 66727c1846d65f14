"""JSON Schemas (2020-12) of every open-data file, published under ``api/schema/``.

Each schema is self-contained (no references between files) so that a
consumer, or the OpenAPI document that embeds them, needs nothing else.
"""

from __future__ import annotations

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: RFC 3339 with an explicit offset, whole seconds (what values.iso writes)
DATE_TIME = {"type": "string", "format": "date-time",
             "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$"}
OPTIONAL_DATE_TIME = {"anyOf": [DATE_TIME, {"type": "null"}]}
URL = {"type": "string", "pattern": r"^https?://\S+$"}
OPTIONAL_URL = {"anyOf": [URL, {"type": "null"}]}
TEXT = {"type": "string"}
OPTIONAL_TEXT = {"type": ["string", "null"]}
OPTIONAL_INT = {"type": ["integer", "null"]}
TEXT_LIST = {"type": "array", "items": TEXT}


def _object(properties: dict, title: str | None = None) -> dict:
    schema = {"type": "object", "required": sorted(properties),
              "additionalProperties": False, "properties": properties}
    if title:
        schema["title"] = title
    return schema


ITEM_SUMMARY = {
    "code": {"type": "string", "minLength": 1, "description": "Basic code of the service item."},
    "name": {**TEXT, "description": "Name of the item."},
    "item_type": {**TEXT, "description": "Administrative licensing, confirmation, public service, other."},
    "category": {**TEXT, "description": "Catalog category."},
    "online_depth": {"type": ["integer", "null"], "minimum": 1, "maximum": 4,
                     "description": "Online handling depth, 1 (information) to 4 (fully online)."},
    "online_depth_label": {"enum": ["I", "II", "III", "IV", None]},
    "statutory_days": {**OPTIONAL_INT, "description": "Statutory time limit, working days."},
    "promised_days": {**OPTIONAL_INT, "description": "Promised time limit, working days."},
    "channels": {**TEXT_LIST, "description": "Where to apply: online, hall, mobile, hotline, mail."},
    "visits": {**OPTIONAL_INT, "description": "On-site visits needed."},
    "free": {"type": "boolean"},
    "source": {**TEXT, "description": "Responsible department."},
    "url": {**URL, "description": "The item page."},
    "api_url": {**URL, "description": "This item's full record."},
    "handout_url": {**URL, "description": "Printable PDF handout."},
    "published": DATE_TIME,
    "updated": OPTIONAL_DATE_TIME,
}

ITEM_DETAIL = {
    **ITEM_SUMMARY,
    "legal_basis": TEXT_LIST,
    "conditions": TEXT_LIST,
    "documents": {"type": "array", "items": _object({
        "name": TEXT, "form": OPTIONAL_TEXT, "copies": OPTIONAL_INT,
        "required": {"type": "boolean"}, "template": OPTIONAL_URL, "example": OPTIONAL_URL})},
    "process": {"type": "array", "items": _object({
        "step": TEXT, "description": TEXT, "days": OPTIONAL_INT})},
    "fees": {"description": "Fees as written in the item (absent when free)."},
    "fee_basis": OPTIONAL_TEXT,
    "online_url": OPTIONAL_TEXT,
    "halls": {"type": "array", "items": {
        "type": "object", "required": ["name"], "additionalProperties": False,
        "properties": {"name": TEXT, "address": TEXT, "hours": TEXT, "phone": TEXT}}},
    "contact": {"type": "object"},
    "guides": {"type": "array", "items": _object({"title": TEXT, "url": URL})},
}

REPRODUCTION = {
    "title": TEXT,
    "url": {**URL, "description": "The reproduction page on this site."},
    "published": {**DATE_TIME, "description": "When this site published the reproduction."},
    "source_url": {**TEXT, "description": "The reproduced original."},
    "source_title": TEXT,
    "publisher": {**TEXT, "description": "Publisher of the original."},
    "source_published": {**OPTIONAL_DATE_TIME, "description": "When the original was published."},
    "deadline": {**OPTIONAL_DATE_TIME,
                 "description": "The original's time plus 12 hours: when the reproduction was due."},
    "late": {"type": ["boolean", "null"],
             "description": "Published after the deadline (null when the original's time is "
                            "unknown)."},
}


def _document(kind_field: str) -> dict:
    return {"title": TEXT, "url": URL, "source": TEXT, "published": DATE_TIME,
            "updated": OPTIONAL_DATE_TIME, "doc_number": OPTIONAL_TEXT,
            "index_number": {**OPTIONAL_TEXT, "description": "Index number (索引号) of the "
                             "government information disclosure catalog: agency code, year, "
                             "sequence; never changes. null where the site keeps no registry."},
            "status": {**TEXT, "description": "in-force, amended, repealed or withdrawn."},
            kind_field: OPTIONAL_TEXT}


def _list_file(title: str, description: str, entry: dict, first_key: str = "modified") -> dict:
    return {"title": title, "description": description, "type": "object",
            "required": [first_key, "count", "items"], "additionalProperties": False,
            "properties": {first_key: OPTIONAL_DATE_TIME,
                           "count": {"type": "integer", "minimum": 0},
                           "items": {"type": "array", "items": _object(entry)}}}


def schemas(base_url: str) -> dict[str, dict]:
    """Schema file name (under ``api/schema/``) → schema, with its public ``$id``."""
    bodies = {
        "catalog": _list_file("Service catalog", "Every published service item, by code.",
                              ITEM_SUMMARY),
        "item": {**_object(ITEM_DETAIL), "title": "Service item",
                 "description": "The full record of one service item."},
        "reproductions": _list_file(
            "Reproduced items", "Central Government items reproduced on this site.",
            REPRODUCTION, first_key="generated"),
        "notices": _list_file("Notices", "Published notices, newest first.",
                              _document("category")),
        "policies": _list_file("Policies", "Published laws, regulations, rules and "
                               "interpretations, newest first.", _document("policy_kind")),
    }
    out = {}
    for name, body in bodies.items():
        out[f"{name}.schema.json"] = {"$schema": DRAFT,
                                      "$id": f"{base_url}api/schema/{name}.schema.json", **body}
    return out


#: CSV columns of api/catalog.csv, in order (a subset of the catalog summary)
CSV_COLUMNS = ("code", "name", "item_type", "category", "online_depth", "online_depth_label",
               "statutory_days", "promised_days", "channels", "visits", "free", "source",
               "url", "published", "updated")
