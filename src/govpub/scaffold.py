"""`govpub new`: a page skeleton with every required field of its type."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from pathlib import Path

import yaml

from .config import Policy
from .errors import UsageError

_PLACEHOLDER_BY_TYPE = {"string": "", "integer": 0, "number": 0, "boolean": False,
                        "array": [], "object": {}}


def ascii_slug(title: str, max_words: int = 8) -> str:
    """A safe ASCII file-name slug; titles without Latin words get a short stable hash."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text.lower())[:max_words]
    slug = "-".join(words)
    digest = hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]
    if len(slug) < 3:
        return digest
    return slug[:60].rstrip("-")


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


def skeleton(policy: Policy, type_name: str, title: str, now: datetime,
             extra: dict | None = None) -> str:
    values = {
        "title": title,
        "published": now.astimezone(policy.timezone).replace(microsecond=0).isoformat(),
        "disclosure": "proactive",
        **(extra or {}),
    }
    lines = ["---"]
    for name, prop in required_fields(policy, type_name):
        if name in values:
            value = values[name]
        elif "default" in prop:
            value = prop["default"]
        else:
            kind = prop.get("type", "string")
            value = _PLACEHOLDER_BY_TYPE.get(kind if isinstance(kind, str) else kind[0], "")
        dumped = yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False,
                                default_flow_style=False, width=1000).rstrip("\n")
        description = " ".join(prop.get("description", "").split())
        if len(description) > 100:
            description = description[:99] + "…"
        comment = f"  # {description}" if description and "\n" not in dumped else ""
        lines.append(dumped + comment)
    lines += ["---", "", f"# {title}", "", "<!-- Write the page here. -->", ""]
    return "\n".join(lines)


def new_page(policy: Policy, type_name: str, title: str, now: datetime, *,
             column: str | None = None, code: str | None = None) -> Path:
    if type_name not in policy.type_schemas:
        known = ", ".join(sorted(policy.type_schemas))
        raise UsageError(f"unknown type {type_name!r}", hint=f"choose one of {known}")
    if not title.strip() or "\n" in title:
        raise UsageError("TITLE must be one non-empty line")
    columns = [c for c in policy.columns.values() if c.type == type_name]
    if column is not None:
        columns = [c for c in columns if c.folder == column]
    if not columns:
        raise UsageError(f"no column holds {type_name!r} pages"
                         + (f" under {column!r}" if column else ""),
                         hint="see site_config/columns.yml")
    if len(columns) > 1:
        raise UsageError(f"several columns hold {type_name!r} pages",
                         hint="choose one with --column " +
                              " / ".join(c.folder or '""' for c in columns))
    folder = columns[0].folder
    extra = {}
    if type_name == "service-item":
        if not code:
            raise UsageError("a service item needs its code", hint="pass --code 100000000011")
        extra["code"] = code
        name = f"{code}.md"
    else:
        date = now.astimezone(policy.timezone).date().isoformat()
        name = f"{date}-{ascii_slug(title)}.md" if columns[0].dated else f"{ascii_slug(title)}.md"
    target = policy.content_dir / folder / name
    if target.exists():
        raise UsageError(f"content/{folder}/{name} already exists",
                         hint="choose another title, or edit the existing page")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(skeleton(policy, type_name, title, now, extra), encoding="utf-8")
    return target
