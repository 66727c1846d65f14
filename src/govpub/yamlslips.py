"""YAML errors in plain words: the editor's usual slips, what to type instead, and where.

PyYAML says *what the parser expected* ("could not find expected ':'",
"mapping values are not allowed here"), at the place where it noticed —
often the line *after* the mistake. Editors make a handful of mistakes over
and over, most of them with a Chinese input method switched on: a full-width
colon, space or quotes, a tab, a value with `: ` in it, a list under a field
that already has a value, a line indented one space too far, a quote never
closed. :func:`explain` looks for those on the lines where the parser gave
up and says, in the editor's language, what is wrong and what to write,
with the line and a caret under the column::

    the colon after `title` is a full-width colon (：) — YAML needs an ordinary
    colon and a space; write: title: 关于调整专利收费的通知
        2 | title：关于调整专利收费的通知
          |      ^

It runs only after parsing failed (or gave something that is not a mapping
of fields), so it costs nothing on the pages that load.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .i18n import _
from .textwidth import display_width

_KEY = r"[A-Za-z_][A-Za-z0-9_\-]*"
#: `key：value` — a field name followed by a full-width colon
_FULL_WIDTH_COLON = re.compile(rf"^(?P<indent>[ ]*(?:- +)?)(?P<key>{_KEY})[ ]*：")
#: `key:　value` — a colon followed by a full-width space
_FULL_WIDTH_SPACE_AFTER = re.compile(rf"^(?P<indent>[ ]*(?:- +)?)(?P<key>{_KEY}):\u3000")
#: `key: value` (the value may be empty); a list item's first field counts too
_FIELD = re.compile(rf"^(?P<indent>[ ]*)(?P<dash>- +)?(?P<key>{_KEY}):(?: +(?P<value>.*))?$")
_OPENING_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’"}

Slip = tuple[int, str]  # (0-based column in the line, message)


def explain(text: str, error, where: Callable) -> tuple[int, int, str]:
    """(line, column, message with the excerpt) for a PyYAML ``MarkedYAMLError``.

    ``where`` turns a PyYAML mark into the file's (line, column)
    (:class:`govpub.yamlstrict.LineMap`).
    """
    lines = text.split("\n")
    first_line = where.first_line
    problem = error.problem_mark or error.context_mark
    suspects = _suspect_lines(error, where, len(lines))
    # a wrong character on any suspect line is surer evidence than a layout that looks off
    for look in (_character_slip, _layout_slip):
        for index in suspects:
            slip = look(lines, index)
            if slip:
                column, message = slip
                return first_line + index, column + 1, message + excerpt(
                    lines[index], first_line + index, column)
    mark = error.context_mark if _about_quotes(error) else problem
    line, column = where(mark) if mark else (first_line, 1)
    shown = lines[line - first_line] if 0 <= line - first_line < len(lines) else ""
    return line, column, _fallback(error) + excerpt(shown, line, column - 1)


#: how far above the line where the parser gave up a slip may be: a value runs on over
#: the next lines when its line did not end it (`title：关于` followed by `source: x`)
LINES_ABOVE = 2


def _suspect_lines(error, where, count: int) -> list[int]:
    """Line indexes to look at, most likely first: where the parser gave up, the lines just
    above it, and where the construct it was reading started."""
    first_line = where.first_line
    suspects = []
    if error.problem_mark:
        bottom = where(error.problem_mark)[0] - first_line
        suspects += [bottom - k for k in range(LINES_ABOVE + 1)]
    if error.context_mark:
        suspects.append(where(error.context_mark)[0] - first_line)
    return [i for i in dict.fromkeys(suspects) if 0 <= i < count]


def explain_not_a_mapping(text: str, first_line: int) -> tuple[int, int, str] | None:
    """The slip that made a text that should be fields read as one plain value (or None).

    ``title：关于调整`` alone is valid YAML — one string — so nothing failed to
    parse; the full-width colon is still what the editor must fix.
    """
    lines = text.split("\n")
    for index, line in enumerate(lines):
        slip = _full_width_colon(line) or _full_width_space_after_colon(line)
        if slip:
            column, message = slip
            return first_line + index, column + 1, message + excerpt(
                line, first_line + index, column)
    return None


def name_slip(name: str) -> str | None:
    """What is wrong with a field name that is not a field (full-width space or colon)."""
    if name.startswith("\u3000"):
        return _("the field name starts with a full-width space (　) — indent with ordinary "
                 "spaces only")
    if "：" in name:
        return _("the field name contains a full-width colon (：) — write an ordinary colon "
                 "and a space after the field name")
    return None


def excerpt(line: str, number: int, column: int) -> str:
    """The line and a caret under ``column`` (0-based, in characters), as a terminal shows
    them: Chinese characters take two columns, a tab is shown as →."""
    shown = _INVISIBLE_BREAKS.sub("↵", line.replace("\t", "→"))
    width = display_width(shown[:column])
    gutter = " " * len(str(number))
    return f"\n    {number} | {shown}\n    {gutter} | {' ' * width}^"


# -- the slips, most specific first -------------------------------------------------------

def _character_slip(lines: list[str], index: int) -> Slip | None:
    line = lines[index]
    for detect in (_tab, _full_width_indent, _full_width_colon, _full_width_space_after_colon,
                   _unclosed_quote, _invisible_line_break):
        slip = detect(line)
        if slip:
            return slip
    return None


def _layout_slip(lines: list[str], index: int) -> Slip | None:
    return _list_under_a_value(lines, index) or _indentation(lines, index) or \
        _colon_in_value(lines[index])


def _tab(line: str) -> Slip | None:
    lead = len(line) - len(line.lstrip(" \t\u3000"))
    if "\t" in line[:lead + 1]:
        return line.index("\t"), _("a tab is used for indentation — YAML allows only spaces "
                                   "here; replace the tab with spaces")
    return None


#: line breaks to YAML, invisible in an editor (pasted from a word processor or a web page)
_INVISIBLE_BREAKS = re.compile("[\x85\u2028\u2029]")


def _invisible_line_break(line: str) -> Slip | None:
    found = _INVISIBLE_BREAKS.search(line)
    if not found:
        return None
    return found.start(), _(
        "this line contains an invisible line separator (U+{code:04X}), usually pasted from a "
        "word processor or a web page, which YAML reads as a line break — delete it: retype "
        "the characters around it, or put the value in double quotes").format(
            code=ord(found.group()))


def _full_width_indent(line: str) -> Slip | None:
    lead = len(line) - len(line.lstrip(" \u3000"))
    if "\u3000" in line[:lead]:
        return line.index("\u3000"), _(
            "a full-width space (　) is used for indentation — YAML allows only ordinary "
            "spaces; retype the indentation with the space bar in half-width input mode")
    return None


def _full_width_colon(line: str) -> Slip | None:
    match = _FULL_WIDTH_COLON.match(line)
    if not match:
        return None
    value = line[match.end():].strip()
    fixed = f"{match['indent']}{match['key']}: {value}".strip()
    return match.end() - 1, _(
        "the colon after `{key}` is a full-width colon (：) — YAML needs an ordinary colon "
        "and a space; write: {fixed}").format(key=match["key"], fixed=fixed)


def _full_width_space_after_colon(line: str) -> Slip | None:
    match = _FULL_WIDTH_SPACE_AFTER.match(line)
    if not match:
        return None
    value = line[match.end():].strip(" \u3000")
    fixed = f"{match['indent']}{match['key']}: {value}".strip()
    return match.end() - 1, _(
        "the space after `{key}:` is a full-width space (　) — YAML needs an ordinary space; "
        "write: {fixed}").format(key=match["key"], fixed=fixed)


def _unclosed_quote(line: str) -> Slip | None:
    match = _FIELD.match(line)
    value = (match["value"] or "") if match else ""
    if not value or value[0] not in ("'", '"'):
        return None
    quote = value[0]
    rest = value[1:].replace("''", "") if quote == "'" else re.sub(r'\\.', "", value[1:])
    if quote in rest:
        return None
    return match.start("value"), _(
        "the value of `{key}` opens a quote ({quote}) that is never closed — add {quote} at "
        "the end of the value, or remove the opening one").format(key=match["key"], quote=quote)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _meaningful(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _above(lines: list[str], index: int):
    """The meaningful lines above ``index``, nearest first, as (index, line)."""
    for above in range(index - 1, -1, -1):
        if _meaningful(lines[above]):
            yield above, lines[above]


def _list_under_a_value(lines: list[str], index: int) -> Slip | None:
    line = lines[index]
    if not line.lstrip(" ").startswith("-"):
        return None
    for _index, above in _above(lines, index):
        if _indent(above) > _indent(line):
            continue
        match = _FIELD.match(above)
        if match and match["value"] and not match["value"].startswith("#") \
                and not match["dash"] and _indent(above) <= _indent(line):
            return _indent(line), _(
                "list items (lines starting with `- `) follow `{key}`, which already has a "
                "value — delete the value after `{key}:` to make these lines its list, or "
                "delete the list lines").format(key=match["key"])
        return None
    return None


def _indentation(lines: list[str], index: int) -> Slip | None:
    line = lines[index]
    if not _FIELD.match(line):
        return None
    here = _indent(line)
    above = next(_above(lines, index), None)
    if above is None:
        return None
    above_line = above[1]
    above_match = _FIELD.match(above_line)
    above_indent = _indent(above_line) + (len(above_match["dash"]) if above_match and
                                          above_match["dash"] else 0)
    above_value = (above_match["value"] or "").strip() if above_match else "x"
    # a field with nothing after its colon (or a block text, `|`) holds the lines below it
    opens_a_group = not above_value or above_value[0] in "|>#"
    if here > above_indent and not opens_a_group:
        if above_indent == 0:
            return here, _("this line is indented by {here} spaces, the field above it not at "
                           "all — fields of one group must line up; remove the spaces at the "
                           "start of the line").format(here=here)
        return here, _(
            "this line is indented by {here} spaces, the field above it by {above} — fields "
            "of one group must line up; indent it by {above} spaces").format(
                here=here, above=above_indent)
    if here < above_indent:
        levels = sorted({_indent(text) for _i, text in _above(lines, index)
                         if _FIELD.match(text) and _indent(text) < above_indent})
        if here not in levels:
            shown = ", ".join(map(str, [*levels, above_indent]))
            return here, _(
                "this line is indented by {here} spaces, which lines up with no field above "
                "it (they start after {levels} spaces) — line it up with the fields it belongs "
                "with").format(here=here, levels=shown)
    return None


def _quoted(value: str) -> str:
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _colon_in_value(line: str) -> Slip | None:
    match = _FIELD.match(line)
    value = (match["value"] or "") if match else ""
    colon = value.find(": ")
    if colon < 0 and not value.endswith(":"):
        return None
    if value[:1] in ("'", '"', "{", "[", "|", ">", "&", "*", "!"):
        return None
    column = match.start("value") + (colon if colon >= 0 else len(value) - 1)
    prefix = f"{match['indent']}{match['dash'] or ''}{match['key']}: "
    if value[:1] in ("“", "‘"):
        closing = _OPENING_QUOTES[value[0]]
        inner = value[1:-1] if value.endswith(closing) else value[1:]
        return column, _(
            "the value of `{key}` is in full-width quotes (“”), which YAML does not read as "
            "quotes, and it contains `: ` — use ordinary quotes: {fixed}").format(
                key=match["key"], fixed=(prefix + _quoted(inner)).strip())
    return column, _(
        "the value of `{key}` contains `: ` (a colon and a space), which YAML reads as the "
        "start of another field — put the whole value in quotes: {fixed}").format(
            key=match["key"], fixed=(prefix + _quoted(value)).strip())


# -- when no slip is recognized: the parser's complaint in plain words ----------------------

def _about_quotes(error) -> bool:
    return "quoted scalar" in (error.context or "")


def _fallback(error) -> str:
    problem = error.problem or ""
    if _about_quotes(error):
        return _("a quote is opened here and never closed — close it at the end of the value")
    if "\t" in problem or "'\\t'" in problem:
        return _("a tab is used for indentation — YAML allows only spaces here; replace the "
                 "tab with spaces")
    if "could not find expected ':'" in problem:
        return _("this line is not a `field: value` line — write the field name, a colon and "
                 "a space, then the value")
    if "mapping values are not allowed" in problem:
        return _("`: ` (a colon and a space) is not allowed here — put the value in quotes, or "
                 "check the indentation")
    if problem.startswith(("expected <block end>", "did not find expected key",
                           "block sequence entries are not allowed")):
        return _("the indentation is wrong here — fields of one group must line up, and the "
                 "`- ` lines of a list go under a field with nothing after its colon")
    detail = problem + (f" ({error.context})" if error.context else "")
    return _("the YAML cannot be read here: {problem}").format(problem=detail)
