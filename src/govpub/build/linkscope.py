"""Which pages an incremental build must link-check again.

The build's link check (lychee, offline, with fragments) fails the build on
a broken internal link. After an incremental render most pages are the very
files the last successful build checked; such a page's links can only have
broken if a file it points to was removed, or if an HTML file it points to
*with a fragment* changed (the anchor may be gone). So the check runs on:

- every HTML file that is new or was rendered again;
- every HTML file that is not a page's output (``404.html``): always;
- every reused page that points to a removed file, or with a fragment to a
  file that changed;
- every reused page that has a ``<base>`` element (its links resolve
  differently), to be safe.

What a page points to is read from its HTML when it is rendered: the value
of every attribute lychee reads links from (``href``, ``src``, ``srcset``
and the rarer ones), resolved against the page's folder. It is a superset:
a value that is not a link at all costs nothing but a set entry.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

#: attributes lychee extracts links from (lychee-lib html extractor), plus a few more
URL_ATTRIBUTES = ("href", "src", "srcset", "imagesrcset", "cite", "usemap", "codebase",
                  "background", "formaction", "icon", "action", "longdesc", "profile",
                  "manifest", "classid", "data", "poster", "ping", "archive", "xlink:href")
_NAMES = tuple(a.encode() for a in URL_ATTRIBUTES)
_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_:-.")
_SPACE = frozenset(b" \t\n\r\f")
_UNQUOTED_END = frozenset(b" \t\n\r\f\"'=<>`")
_BASE = re.compile(rb"<base[\s>]")


@dataclass(frozen=True, slots=True)
class PageLinks:
    """Site files one HTML file points to (``targets``), and those it points into (fragments).

    Sorted tuples, not sets: every page's links are in the render record, and at
    10,000 pages reading 363,000 paths back into frozensets (each one hashed into
    its set) took twice as long as the rest of the record; the sets they are
    compared with do the hashing (:func:`pages_to_recheck`).
    """

    targets: tuple[str, ...]
    fragment_targets: tuple[str, ...]
    has_base: bool = False


def _candidates(path: str) -> list[str]:
    """The files a resolved link path may mean (lychee serves folders by index.html)."""
    if path in ("", "."):
        return ["index.html"]
    if path.endswith("/"):
        return [path + "index.html"]
    return [path, path + "/index.html"]


def page_links(text: str, dest: str, intern=None) -> PageLinks:
    """What the HTML ``text`` written at site path ``dest`` points to."""
    intern = intern if intern is not None else (lambda s: s)
    folder = posixpath.dirname(dest)
    targets: set[str] = set()
    fragments: set[str] = set()
    data = text.encode("utf-8")
    lowered = data.lower()  # ASCII only: offsets stay the same
    for name, raw_value in _attribute_values(data, lowered):
        value = html.unescape(raw_value.decode("utf-8", "replace"))
        for raw in _values(name, value):
            parts = urlsplit(raw.strip())
            if (parts.scheme and parts.scheme.lower() != "file") or parts.netloc:
                continue  # another host, mail, data…: offline, the check skips them too
            for path_text in {parts.path, unquote(parts.path)}:
                if not path_text:
                    continue  # a link into this very file: it was checked as it is
                if path_text.startswith("/"):
                    resolved = posixpath.normpath(path_text.lstrip("/") or ".")
                else:
                    resolved = posixpath.normpath(posixpath.join(folder, path_text))
                if path_text.endswith("/") and not resolved.endswith("/"):
                    resolved += "/"
                for candidate in _candidates(resolved if resolved != "./" else ""):
                    targets.add(intern(candidate))
                    if parts.fragment:
                        fragments.add(intern(candidate))
    return PageLinks(tuple(sorted(targets)), tuple(sorted(fragments)),
                     bool(_BASE.search(lowered)))


def _attribute_values(data: bytes, lowered: bytes):
    """(attribute name, raw value) of every URL attribute, found with bytes.find.

    A regular expression over whole pages was twenty times slower: pages are
    mostly inline SVG and navigation, with thousands of attributes.
    """
    size = len(data)
    for name in _NAMES:
        at = lowered.find(name)
        while at != -1:
            end = at + len(name)
            if at == 0 or lowered[at - 1] not in _NAME_BYTES:
                cursor = end
                while cursor < size and lowered[cursor] in _SPACE:
                    cursor += 1
                if cursor < size and lowered[cursor] == 61:  # "="
                    cursor += 1
                    while cursor < size and lowered[cursor] in _SPACE:
                        cursor += 1
                    if cursor < size and lowered[cursor] in (34, 39):  # quoted
                        close = data.find(data[cursor:cursor + 1], cursor + 1)
                        close = size if close == -1 else close
                        yield name.decode(), data[cursor + 1:close]
                    else:
                        stop = cursor
                        while stop < size and lowered[stop] not in _UNQUOTED_END:
                            stop += 1
                        yield name.decode(), data[cursor:stop]
            at = lowered.find(name, end)


def _values(name: str, value: str) -> list[str]:
    if name in ("srcset", "imagesrcset"):
        return [item.strip().split()[0] for item in value.split(",") if item.strip()]
    if name in ("ping", "archive"):
        return value.split()
    return [value]


def pages_to_recheck(links: dict[str, PageLinks], removed: set[str],
                     changed_html: set[str]) -> set[str]:
    """Reused pages (site path → their links) whose links may have broken."""
    out = set()
    for dest, found in links.items():
        if found.has_base or not removed.isdisjoint(found.targets) \
                or not changed_html.isdisjoint(found.fragment_targets):
            out.add(dest)
    return out
