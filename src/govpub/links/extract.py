"""Every link in a Markdown text, with its line and column.

:func:`extract_links` is shared by the external-link approval rules (GP6xx)
and the internal-link rules (GP3xx). It finds:

- ``inline``: ``[text](url "title")`` and images ``![alt](url)`` (``image``);
- ``reference``: definitions ``[label]: url "title"`` (footnotes are skipped);
- ``autolink``: ``<https://…>`` and ``<name@host>`` (as ``mailto:``);
- ``html``: ``href``/``src``/``action``/``poster``/``data`` attribute values of raw HTML tags;
- ``bare``: a plain ``http(s)://`` URL in the text (rendered as a link by
  pymdownx.magiclink, and a pointer to an outside site in any case).

Fenced code blocks and inline code spans are skipped: they render as text.
The scanner is regex-based and linear; it never raises on any input.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_INLINE = re.compile(
    r"(!?)\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)")
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)([^\]\n]+)\]:[ \t]*(<[^<>\n]*>|\S+)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>"
                       r"|<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)>")
_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9\-]*)((?:\s[^<>]*)?)/?>")
_ATTR = re.compile(r"""(?:^|\s)(href|src|action|formaction|poster|data|background|cite)\s*=\s*"""
                   r"""("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)
_BARE = re.compile(r"(?<![A-Za-z0-9/:@])https?://[^\s<>()\[\]\"'`，。；：！？、（）【】《》]+",
                   re.IGNORECASE)
_TRAILING = ".,;:!?*_~'\""


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    line: int  # 1-based, within the text given
    column: int  # 1-based character column
    kind: str  # inline | image | reference | autolink | html | bare


def mask_code(text: str) -> str:
    """The text with code blocks and code spans blanked (same length, same lines)."""
    if "`" not in text and "~" not in text:
        return text  # no fence and no code span can start: most pages
    lines = text.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) <= {fence[0]}:
                fence = None
            lines[index] = " " * len(line)
            continue
        m = _FENCE_OPEN.match(line)
        if m:
            fence = m.group(1)
            lines[index] = " " * len(line)
            continue
        if "`" in line:
            lines[index] = _CODE_SPAN.sub(lambda s: " " * len(s.group(0)), line)
    return "\n".join(lines)


def _unwrap(url: str) -> str:
    url = url.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]
    return html.unescape(url)


def extract_links(markdown_text: str) -> list[Link]:
    """Every link in the text, in reading order (line, then column)."""
    if not isinstance(markdown_text, str):
        return []
    links: list[Link] = []
    for number, line in enumerate(mask_code(markdown_text).split("\n"), start=1):
        if "[" not in line and "<" not in line and "://" not in line:
            continue  # every pattern below needs one of these
        taken: list[tuple[int, int]] = []

        def add(url: str, start: int, end: int, kind: str, *, line_no: int = number,
                spans: list = taken) -> None:
            spans.append((start, end))
            links.append(Link(_unwrap(url), line_no, start + 1, kind))

        ref = _REFERENCE.match(line)
        if ref:
            add(ref.group(2), ref.start(2), ref.end(2), "reference")
            taken.append((0, len(line)))
        for m in _INLINE.finditer(line):
            taken.append((m.start(), m.end()))
            if m.group(2):
                add(m.group(2), m.start(2), m.end(2), "image" if m.group(1) else "inline")
        for m in _AUTOLINK.finditer(line):
            taken.append((m.start(), m.end()))
            if m.group(1):
                add(m.group(1), m.start(1), m.end(1), "autolink")
            else:
                add("mailto:" + m.group(2), m.start(2), m.end(2), "autolink")
        if "<" in line:
            for tag in _TAG.finditer(line):
                attrs = tag.group(2) or ""
                for a in _ATTR.finditer(attrs):
                    value = a.group(2)
                    start = tag.start(2) + a.start(2)
                    if value[:1] in "\"'":
                        value, start = value[1:-1], start + 1
                    add(value, start, start + len(value), "html")
                taken.append((tag.start(), tag.end()))
        if "://" in line:
            for m in _BARE.finditer(line):
                if any(s <= m.start() < e for s, e in taken):
                    continue
                url = m.group(0).rstrip(_TRAILING)
                links.append(Link(url, number, m.start() + 1, "bare"))
    links.sort(key=lambda k: (k.line, k.column))
    return links
