"""GP220: a page still carries the skeleton's "still to be written" marker."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import _
from ..placeholder import MARKER
from . import DocumentRule, register


def _marked_values(value, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(key path, text) of every front-matter string that carries the marker."""
    if isinstance(value, str):
        if MARKER in value:
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _marked_values(item, (*path, key))
            if isinstance(key, str) and MARKER in key:
                yield (*path, key), key
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _marked_values(item, (*path, index))


@register
class Unfinished(DocumentRule):
    """A page still carries the placeholder 【待填写】 of the skeleton it was made from.

    What it checks: no front-matter value and no line of the body contains
    the marker `【待填写】` that `govpub new` and `govpub reproduce` put wherever
    a person must still write something.
    Why: nothing half-done may reach the public site; a skeleton's field or
    paragraph left as it was is not reviewed content. Reviewers cannot
    approve such a page either (`govpub review approve` refuses it).
    Example: `source: 【待填写】发文机关`, or a body paragraph
    `【待填写】正文` left in place.
    Fix: write the real text where the marker stands and remove the marker.
    """

    id = "GP220"
    name = "unfinished"
    local = True
    locked = True
    cacheable = True  # the file's path and bytes alone (govpub.checkcache)

    def check_document(self, doc, ctx) -> Iterator:
        # the repr of the front matter shows every key and string as written (the marker's
        # characters are printable, never escaped): without the marker there, none has it
        for path, _text in _marked_values(doc.meta) if MARKER in repr(doc.meta) else ():
            shown = ".".join(str(p) for p in path)
            yield ctx.finding(self, doc, doc.line_of(*path, default=1),
                              _("front matter `{field}` still carries the placeholder {marker} "
                                "— write the real value and remove the marker").format(
                                  field=shown, marker=MARKER))
        if doc.body is None or MARKER not in doc.body:
            return
        for offset, line in enumerate(doc.body.split("\n")):
            if MARKER in line:
                yield ctx.finding(self, doc, doc.body_line + offset,
                                  _("the text still carries the placeholder {marker} — write "
                                    "it and remove the marker").format(marker=MARKER),
                                  column=line.index(MARKER) + 1)
