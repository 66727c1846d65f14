"""GP102: every page says where it comes from, when it was published, and its disclosure."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import N_, _
from ..timeparse import DateFormatError, parse_datetime
from . import DocumentRule, register

DISCLOSURES = ("proactive", "on-request", "withheld")

_MISSING = {
    "source": N_("'source' is missing — add the originating department, e.g. "
                 "source: 国家知识产权局办公室"),
    "published": N_("'published' is missing — add the publication time, e.g. "
                    "published: 2026-11-20T10:00:00+08:00"),
    "disclosure": N_("'disclosure' is missing — add the disclosure decision, e.g. "
                     "disclosure: proactive"),
}


@register
class Provenance(DocumentRule):
    """`source`, `published` or `disclosure` is missing or malformed.

    What it checks: `source` is non-empty text; `published` (and `updated`, if
    present) is an ISO 8601 date-time, and `updated` is not before
    `published`; `disclosure` is one of proactive, on-request, withheld.
    Why: the work plan requires the source and time of every published item;
    undated content also counts as "not updated" in inspections.
    Example: a notice without `source:`.
    Fix: add the field, e.g. `source: 国家知识产权局办公室`,
    `published: 2026-11-20T10:00:00+08:00`, `disclosure: proactive`.
    """

    id = "GP102"
    name = "provenance"
    local = True
    cacheable = True
    locked = True

    def check_document(self, doc, ctx) -> Iterator:
        meta = doc.meta
        end_line = doc.body_line - 1
        for key in ("source", "published", "disclosure"):
            if key not in meta or meta[key] in (None, ""):
                yield ctx.finding(self, doc, doc.line_of(key, default=end_line),
                                  _(_MISSING[key]))
        source = meta.get("source")
        if source not in (None, "") and (not isinstance(source, str) or not source.strip()):
            yield ctx.finding(self, doc, doc.line_of("source"),
                              _("'source' must be text, got {kind} {value!r}").format(
                                  kind=type(source).__name__, value=source))
        if "disclosure" in meta and meta["disclosure"] not in (None, "") \
                and meta["disclosure"] not in DISCLOSURES:
            yield ctx.finding(self, doc, doc.line_of("disclosure"),
                              _("'disclosure' is {value!r}; expected one of {choices}").format(
                                  value=meta["disclosure"], choices=", ".join(DISCLOSURES)))
        tz = ctx.policy.timezone
        parsed = {}
        for key in ("published", "updated"):
            if meta.get(key) in (None, ""):
                continue
            try:
                parsed[key] = parse_datetime(meta[key], tz)
            except DateFormatError as exc:
                yield ctx.finding(self, doc, doc.line_of(key),
                                  _("'{field}': {problem}").format(field=key, problem=exc))
        if "published" in parsed and "updated" in parsed and parsed["updated"] < parsed["published"]:
            yield ctx.finding(self, doc, doc.line_of("updated"),
                              _("'updated' is before 'published' — correct one of the times"))
