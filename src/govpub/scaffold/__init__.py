"""``govpub new``: a page skeleton with every required field of its type, ready to fill in.

What it writes, and why:

- **Every required field** of the type's schema (``site_config/types/``), in
  the schema's order, each under a comment that says in full what to write
  there. A field the General Office adds to a schema appears too, with the
  schema's own description as its comment.
- **One marker for what must still be written**: :data:`govpub.placeholder.MARKER`
  (``【待填写】``). Text the editor must supply is the marker followed by what
  is missing (``【待填写】发布机构``); a value that needs a choice (an
  enumeration, a number) is written as a valid default with the marker at the
  start of its comment, so the file stays valid and ``govpub check`` reports
  nothing but the markers. A page that still carries the marker never publishes.
- **Its column**: the one column holding the type, or the one named with
  ``--column``; when several hold it the command asks (on a terminal) or says
  which to choose.
- **Codes**: a new service item gets the next free code of the agency's
  sequence in the catalog (or ``--code``); a guide names with ``--code`` the
  items it explains, and each must exist.
- **File names** the rules accept: lower-case ASCII letters, digits and ``-``
  only. A service item is ``<code>.md`` (rule GP401), a guide
  ``<code>-<slug>.md``, a page in a dated column ``YYYY-MM-DD-<slug>.md``. The
  slug is ``--slug``, else the Latin words of the title, else (a Chinese title)
  a short hash of the title for dated pages and ``guide`` for guides. The
  Chinese title stays in the front matter.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..config import Column, Policy
from ..errors import UsageError
from ..i18n import _
from ..placeholder import MARKER
from .naming import (
    SERVICE_ITEM,
    ascii_slug,
    catalog_items,
    check_slug,
    item_code_pattern,
    next_item_code,
    title_hash,
)
from .skeleton import GUIDE, Request, required_fields, skeleton

MAX_TITLE = 200


@dataclass(frozen=True)
class NewPage:
    path: Path
    markers: int  # places still to fill in


# -- columns --

def columns_for(policy: Policy, type_name: str) -> list[Column]:
    return [c for c in policy.columns.values() if c.type == type_name]


def column_label(column: Column) -> str:
    return f"{column.folder or '.'} ({column.title})"


def pick_column(policy: Policy, type_name: str, folder: str | None,
                choose=None) -> Column:
    """The column for a new page: ``--column``, the only one, or ``choose(columns)``."""
    columns = columns_for(policy, type_name)
    if not columns:
        raise UsageError(_("no column holds {type} pages").format(type=type_name),
                         hint=_("add one to site_config/columns.yml"))
    if folder is not None:
        folder = folder.strip("/")
        for column in columns:
            if column.folder == folder:
                return column
        raise UsageError(_("column {column!r} does not hold {type} pages").format(
                             column=folder, type=type_name),
                         hint=_("columns that do: {columns}").format(
                             columns=", ".join(column_label(c) for c in columns)))
    if len(columns) == 1:
        return columns[0]
    if choose is not None:
        return choose(columns)
    raise UsageError(_("{count} columns hold {type} pages: {columns}").format(
                         count=len(columns), type=type_name,
                         columns=", ".join(column_label(c) for c in columns)),
                     hint=_("choose one with --column, e.g. --column {folder}").format(
                         folder=columns[0].folder))


# -- the command --

def _check_title(title: str) -> str:
    if not title.strip() or any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in title):
        raise UsageError(_("TITLE must be one non-empty line"),
                         hint=_("put the title in quotes: govpub new notice \"关于……的通知\""))
    if len(title) > MAX_TITLE:
        raise UsageError(_("TITLE has {count} characters, more than {limit}").format(
            count=len(title), limit=MAX_TITLE), hint=_("shorten it"))
    return title.strip()


def _codes_for(policy: Policy, type_name: str, codes: tuple[str, ...]
               ) -> tuple[tuple[str, ...], dict[str, tuple[str, dict]]]:
    """The validated codes of a new service item or guide, and the catalog's items."""
    if type_name not in (SERVICE_ITEM, GUIDE):
        if codes:
            raise UsageError(_("--code is only for service items and guides"),
                             hint=_("leave --code out"))
        return (), {}
    pattern = item_code_pattern(policy)
    catalog = catalog_items(policy)
    for code in codes:
        if not pattern.fullmatch(code):
            raise UsageError(_("code {code!r} is not in the form of the catalog's codes "
                               "(pattern {pattern})").format(code=code, pattern=pattern.pattern),
                             hint=_("see code in site_config/types/service-item.schema.json"))
    if type_name == SERVICE_ITEM:
        if len(codes) > 1:
            raise UsageError(_("a service item has one code; --code was given {count} times")
                             .format(count=len(codes)), hint=_("give --code once"))
        if codes and codes[0] in catalog:
            raise UsageError(_("code {code} is already used by content/{path}").format(
                code=codes[0], path=catalog[codes[0]][0]),
                hint=_("leave --code out and govpub takes the next free code"))
        code = codes[0] if codes else next_item_code(policy, set(catalog))
        return (code,), {}
    existing = sorted(c for c in catalog if pattern.fullmatch(c))
    if not codes:
        example = existing[-1] if existing else None
        raise UsageError(_("a guide needs the code of each service item it explains"),
                         hint=(_("pass --code, e.g. --code {code}").format(code=example)
                               if example else
                               _("add the service item first: govpub new service-item TITLE")))
    for code in codes:
        if code not in catalog:
            raise UsageError(_("no service item in the catalog has code {code}").format(
                                 code=code),
                             hint=_("codes in the catalog: {codes}").format(
                                 codes=", ".join(existing[:20]) or "—"))
    unique = tuple(dict.fromkeys(codes))
    return unique, {code: catalog[code] for code in unique}


def file_name(req: Request, slug: str | None) -> str:
    if req.type_name == SERVICE_ITEM:
        return f"{req.codes[0]}.md"
    latin = check_slug(slug) if slug else ascii_slug(req.title)
    if req.type_name == GUIDE:
        return f"{req.codes[0]}-{latin or 'guide'}.md"
    latin = latin or title_hash(req.title)
    if req.column.dated:
        return f"{req.now.astimezone(req.policy.timezone).date().isoformat()}-{latin}.md"
    return f"{latin}.md"


def new_page(policy: Policy, type_name: str, title: str, now: datetime, *,
             column: str | None = None, codes: tuple[str, ...] = (), slug: str | None = None,
             choose=None) -> NewPage:
    """Write the skeleton of a new page; ``choose(columns)`` picks among several columns."""
    if type_name not in policy.type_schemas:
        raise UsageError(_("unknown page type {type!r}").format(type=type_name),
                         hint=_("choose one of: {types}").format(
                             types=", ".join(sorted(policy.type_schemas))))
    title = _check_title(title)
    if slug is not None:
        check_slug(slug)
    target_column = pick_column(policy, type_name, column, choose)
    codes, items = _codes_for(policy, type_name, tuple(c.strip() for c in codes))
    req = Request(policy, type_name, title, now, target_column, codes, items)
    name = file_name(req, slug)
    if "/" in name or "\\" in name or name.startswith("."):  # a code pattern that lets one in
        raise UsageError(_("{name!r} cannot be a file name").format(name=name),
                         hint=_("see code in site_config/types/service-item.schema.json"))
    folder = policy.content_dir / target_column.folder
    target = folder / name
    shown = target.relative_to(policy.root).as_posix()
    text = skeleton(req)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise UsageError(_("{path} already exists").format(path=shown),
                         hint=_("edit that page, or give this one its own name with --slug"))\
            from None
    return NewPage(path=target, markers=text.count(MARKER))


__all__ = ["NewPage", "ascii_slug", "catalog_items", "item_code_pattern", "new_page",
           "next_item_code", "pick_column", "required_fields", "skeleton"]
