"""The official text of a page, from HTML to Markdown, word for word.

Made for the pages central sites publish (paragraphs indented with
ideographic spaces, numbered headings in the text, tables of tasks, lists,
attachment links, a right-aligned signature). Every character of text is
kept; what Markdown would read as syntax is escaped; links and images are
made absolute against the page's address so that attachments stay linked to
the original. Scripts, styles and forms are dropped. No raw HTML is written,
so the draft passes the raw-HTML rule as it is. :data:`DROPPED` elements
(scripts, forms…) are left out; the caller leaves them out of the plain text
as well, so the two stay the same text.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

DROPPED = frozenset({"script", "style", "noscript", "template", "form", "input", "button",
                   "select", "textarea", "iframe", "object", "embed", "head", "title", "meta",
                   "link"})
_BLOCKS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "center",
                     "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tr",
                     "blockquote", "pre", "hr", "dl", "dt", "dd", "figure", "figcaption",
                     "address", "tbody", "thead", "tfoot", "caption"})
# written for Python-Markdown (both renderers use it): what it can backslash-escape is
# escaped so; "<", ">", "&" of an entity, and line starts it cannot escape become entities
_INLINE_ESCAPE = re.compile(r"([\\`*_\[\]{}|])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)(?:([#+>-])|([=:])|(\d+)([.)]))(?=\s|$)", re.MULTILINE)
_HARD_BREAK = "  \n"


def _escape(text: str) -> str:
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = _INLINE_ESCAPE.sub(r"\\\1", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _guard_line_starts(text: str) -> str:
    """Escape what would start a heading, list, quote or definition at a line start."""
    def escaped(match: re.Match) -> str:
        lead, syntax, unescapable, number, dot = match.groups()
        if syntax:
            return f"{lead}\\{syntax}"
        if unescapable:
            return f"{lead}&#{ord(unescapable)};"
        return f"{lead}{number}\\{dot}"
    return _LINE_START.sub(escaped, text)


def _link_target(url: str) -> str:
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


class _Converter:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def absolute(self, href: str) -> str | None:
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "vbscript:", "data:", "mailto:")):
            return None
        try:
            return urljoin(self.base_url, href)
        except ValueError:
            return None

    # --- inline ------------------------------------------------------------

    def inline(self, node) -> str:
        if isinstance(node, Comment | Doctype | ProcessingInstruction):
            return ""
        if isinstance(node, NavigableString):
            return _escape(re.sub(r"[ \t\r\n\f]+", " ", str(node)))
        if not isinstance(node, Tag) or node.name in DROPPED:
            return ""
        name = node.name
        if name == "br":
            return _HARD_BREAK
        if name == "img":
            src = self.absolute(node.get("src") or "")
            alt = _escape(node.get("alt") or "")
            return f"![{alt}]({_link_target(src)})" if src else alt
        inner = "".join(self.inline(child) for child in node.children)
        if name in ("strong", "b") and inner.strip():
            return f"**{inner.strip()}**"
        if name in ("em", "i") and inner.strip():
            return f"*{inner.strip()}*"
        if name == "a":
            href = self.absolute(node.get("href") or "")
            return f"[{inner.strip()}]({_link_target(href)})" if href and inner.strip() else inner
        if name == "code":
            return f"`{node.get_text()}`"
        return inner

    def paragraph(self, node) -> str:
        return self.run(node.children)

    def run(self, nodes) -> str:
        """Inline nodes as one Markdown paragraph ('' when they hold no text)."""
        text = "".join(self.inline(child) for child in nodes)
        lines = [line.strip(" ") for line in text.split("\n")]
        text = "  \n".join(line for line in lines if line)
        return _guard_line_starts(text) if text.strip() else ""

    # --- blocks ------------------------------------------------------------

    def blocks(self, node) -> list[str]:
        """The Markdown blocks of a container, in order."""
        out: list[str] = []
        run: list = []  # inline content between blocks

        def flush() -> None:
            text = self.run(run)
            if text:
                out.append(text)
            run.clear()

        for child in node.children:
            if isinstance(child, Tag) and child.name in DROPPED:
                continue
            if isinstance(child, Tag) and child.name in _BLOCKS:
                flush()
                out.extend(self.block(child))
            else:
                run.append(child)
        flush()
        return out

    def block(self, node: Tag) -> list[str]:
        name = node.name
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = " ".join(self.paragraph(node).split("  \n"))
            return [f"{'#' * int(name[1])} {text}"] if text.strip() else []
        if name == "p":
            text = self.paragraph(node)
            return [text] if text else []
        if name in ("ul", "ol"):
            return [self.listing(node)] if node.find("li") else []
        if name == "table":
            return [self.table(node)] if node.find(["td", "th"]) else []
        if name == "hr":
            return ["---"]
        if name == "pre":
            return ["```\n" + node.get_text().strip("\n") + "\n```"]
        if name == "blockquote":
            inner = self.blocks(node)
            return ["\n".join("> " + line for line in "\n\n".join(inner).split("\n"))] \
                if inner else []
        return self.blocks(node)

    def listing(self, node: Tag, depth: int = 0) -> str:
        lines = []
        start = int(node.get("start", 1)) if str(node.get("start", "1")).isdigit() else 1
        for number, item in enumerate(node.find_all("li", recursive=False), start):
            marker = f"{number}." if node.name == "ol" else "-"
            nested = [child for child in item.find_all(["ul", "ol"], recursive=False)]
            for child in nested:
                child.extract()
            text = " ".join(" ".join(b.split("  \n")) for b in self.blocks(item))
            lines.append(f"{'    ' * depth}{marker} {text}".rstrip())
            lines.extend(self.listing(child, depth + 1) for child in nested)
        return "\n".join(lines)

    def table(self, node: Tag) -> str:
        rows = []
        for row in node.find_all("tr"):
            if row.find_parent("table") is not node:
                continue  # a nested table's rows belong to its cell
            cells = []
            for cell in row.find_all(["td", "th"], recursive=False):
                text = " ".join(" ".join(self.blocks(cell)).split())
                cells.append(text.strip())  # "|" is escaped with all inline text
                cells.extend("" for _ in range(max(0, _span(cell) - 1)))
            rows.append(cells)
        rows = [r for r in rows if r] or [[""]]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)


def _span(cell: Tag) -> int:
    value = str(cell.get("colspan", "1"))
    return min(int(value), 50) if value.isdigit() and int(value) > 0 else 1


def to_markdown(container: Tag, base_url: str) -> str:
    """The Markdown of an element's content: blocks separated by one blank line."""
    return "\n\n".join(_Converter(base_url).blocks(container)).strip() + "\n"
