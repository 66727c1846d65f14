"""The original of a watched item: its official text, 文号, 发文机关 and attachments.

:func:`read_original` takes the page as fetched and keeps what a faithful
reproduction needs: the official text (the first element matching the
source's ``text_selector``) as Markdown (:mod:`.htmlmd`) and as plain text,
the document number and issuing authority from the page's table of facts
(a cell labelled 发文字号 / 发文机关 and the cell after it, or
``发文机关：国务院`` in one element), and the attachments the text links to.
The plain text is what the watcher later looks for on the live site; its
digest is what the draft records. Pure: the fetching is the caller's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import Tag

from .fidelity import comparable, text_digest
from .htmlmd import DROPPED, to_markdown
from .listpage import PageSpec, soup
from .text import clean_line

ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ofd",
                       ".zip", ".rar", ".7z", ".txt", ".csv", ".jpg", ".png")
_LABEL_END = re.compile(r"^[:：]\s*")


@dataclass(frozen=True)
class Original:
    url: str
    title: str | None
    markdown: str  # the official text as Markdown, for the draft
    text: str  # the same text with all whitespace removed: what the live page must contain
    digest: str  # "sha256:…" of the Markdown without whitespace (front matter text_digest)
    doc_number: str | None
    issuer: str | None
    attachments: tuple[tuple[str, str], ...]  # (link text, absolute URL)


class NoOfficialText(ValueError):
    """The page has no element with the official text (wrong selector, or not the page)."""


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _after_label(node) -> str | None:
    """The text that follows a label: in the rest of its element, else in the next cell."""
    holder = node.parent if node.parent is not None and node.parent.name in (
        "b", "strong", "span", "label", "font") else node
    for sibling in holder.next_siblings:
        text = clean_line(sibling.get_text(" ") if isinstance(sibling, Tag) else str(sibling))
        if text:
            return text
    cell = node.find_parent(["td", "th", "dt"])
    following = cell.find_next_sibling(["td", "th", "dd"]) if cell is not None else None
    return clean_line(following.get_text(" ")) if following is not None else None


def _labelled(document: Tag, labels: tuple[str, ...]) -> str | None:
    """The value of a fact such as 发文字号 in the page's table of facts."""
    for label in labels:
        key = _squeezed(label)
        for node in document.find_all(string=True):
            own = _squeezed(str(node))
            rest = own[len(key):]
            if not own.startswith(key) or rest[:1] not in ("", ":", "："):
                continue  # 发文机关代字 is not the label 发文机关
            if rest.lstrip(":："):
                value = clean_line(str(node).split("：", 1)[-1].split(":", 1)[-1])
            else:
                value = _after_label(node)
            if value:
                return value[:200]
    return None


def _container(document: Tag, selector: str) -> Tag | None:
    for part in selector.split(","):  # the first selector that matches wins, in the
        found = document.select_one(part.strip())  # order written, not in page order
        if found is not None and found.get_text(strip=True):
            return found
    return None


def _attachments(container: Tag, base_url: str) -> tuple[tuple[str, str], ...]:
    from urllib.parse import urljoin

    found = []
    for anchor in container.find_all("a", href=True):
        url = urljoin(base_url, anchor["href"].strip())
        if urlsplit(url).path.lower().endswith(ATTACHMENT_SUFFIXES):
            found.append((clean_line(anchor.get_text(" ")) or url, url))
    return tuple(dict.fromkeys(found))


def read_original(html: str, url: str, spec: PageSpec) -> Original:
    """The original's text and facts; NoOfficialText when the selector finds nothing."""
    document = soup(html)
    container = _container(document, spec.text_selector)
    if container is None:
        raise NoOfficialText(spec.text_selector)
    for dropped in container.find_all(list(DROPPED)):
        dropped.decompose()
    markdown = to_markdown(container, url)
    title_tag = document.select_one(spec.title_selector) if spec.title_selector else None
    title = clean_line(title_tag.get_text(" ")) if title_tag is not None else None
    return Original(
        url=url, title=title, markdown=markdown, text=comparable(container.get_text()),
        digest=text_digest(markdown), doc_number=_labelled(document, spec.doc_number_labels),
        issuer=_labelled(document, spec.issuer_labels),
        attachments=_attachments(container, url))
