"""GP101: front matter valid for its type's JSON Schema."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..config import describe_schema_error
from ..i18n import _
from ..typeschema import compile_schema
from ..yamlslips import name_slip
from . import DocumentRule, register

PROVENANCE = ("source", "published", "disclosure")
#: fields GP102 checks with messages of its own; GP101 leaves them alone
CHECKED_BY_GP102 = (*PROVENANCE, "updated")
_UNEXPECTED = re.compile(r"'([^']+)'")


@register
class FrontMatterSchema(DocumentRule):
    """Front matter does not match the schema of the page's type.

    What it checks: the fields against `site_config/types/<type>.schema.json`
    (the type comes from the column). Every error is reported, each with the
    field's path and the line where it is written.
    Why: the schema is the General Office's definition of a complete page; a
    misspelled field is silently ignored by renderers.
    Example: `tittle: ...`, `online_depth: 5`, `documents[0].form: scan`.
    Fix: follow the message; `govpub new TYPE TITLE` writes a valid skeleton,
    and docs/content-model.md lists every field.
    """

    id = "GP101"
    name = "front-matter-schema"
    local = True
    cacheable = True
    locked = True

    def check_document(self, doc, ctx) -> Iterator:
        type_name = ctx.type_of(doc)
        if type_name is None:
            return
        compiled = ctx.memo("schema-validators", dict)
        if type_name not in compiled:
            compiled[type_name] = compile_schema(ctx.policy.type_schemas[type_name],
                                                 ctx.policy.schemas)
        schema = compiled[type_name]
        if schema.known_fields is not None:
            for name in doc.meta:
                if name not in schema.known_fields:
                    yield ctx.finding(self, doc, doc.line_of(name), _unknown_field(name,
                                                                                   type_name))
        for error in schema.iter_errors(doc.meta):
            yield from self._report(doc, ctx, error)

    def _report(self, doc, ctx, error) -> Iterator:
        path = tuple(error.absolute_path)
        if path and path[0] in CHECKED_BY_GP102:
            return  # GP102 reports these with a more specific message
        if error.validator == "required":
            missing = _UNEXPECTED.search(error.message)
            if missing and not path and missing.group(1) in PROVENANCE:
                return
            line = doc.line_of(*path) if path else doc.body_line - 1
            yield ctx.finding(self, doc, line, _("{problem} — add the field (see "
                                                 "docs/content-model.md)").format(
                                                     problem=describe_schema_error(error)))
        elif error.validator in ("unevaluatedProperties", "additionalProperties"):
            for name in _UNEXPECTED.findall(error.message):
                if name in (error.instance if isinstance(error.instance, dict) else {}):
                    shown = ".".join(map(str, (*path, name)))
                    yield ctx.finding(self, doc, doc.line_of(*path, name),
                                      _unknown_field(shown, ctx.type_of(doc), name))
        else:
            yield ctx.finding(self, doc, doc.line_of(*path), describe_schema_error(error))


def _unknown_field(shown: str, type_name: str, name: str | None = None) -> str:
    slip = name_slip(name or shown)
    if slip:
        return _("`{field}`: {problem}").format(field=shown.strip("\u3000"), problem=slip)
    return _("unknown field `{field}` for type {type} — check its spelling, or remove "
             "it").format(field=shown, type=type_name)
