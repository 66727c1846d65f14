"""GP105: every page belongs to a configured column and agrees with its type."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import _
from . import DocumentRule, register


@register
class Column(DocumentRule):
    """The page is in a folder that is not a column, or its `type:` disagrees.

    What it checks: the page's top-level folder under `content/` is listed in
    `site_config/columns.yml`; a `type:` field, if present, equals the
    column's type.
    Why: the column decides the page's schema, owner and update cadence; a
    page outside any column would escape all of them.
    Example: `content/misc/x.md` with no `misc` column; `type: notice` in
    `policies/`.
    Fix: move the page into the right column, or ask the General Office to
    add the column; remove or correct `type:`.
    """

    id = "GP105"
    name = "column"
    local = True
    cacheable = True
    locked = True

    def check_document(self, doc, ctx) -> Iterator:
        column = ctx.policy.column_for(doc.path)
        if column is None:
            yield ctx.finding(self, doc, 1,
                              _("folder {folder} is not a column in site_config/columns.yml "
                                "— move the page into a column").format(
                                  folder=repr(doc.column) if doc.column else _("(top level)")))
            return
        declared = doc.meta.get("type")
        if declared is not None and declared != column.type:
            yield ctx.finding(self, doc, doc.line_of("type"),
                              _("type is {declared!r} but column {column!r} holds {type!r} "
                                "pages — remove `type:` or move the page").format(
                                  declared=declared, column=column.folder, type=column.type))
