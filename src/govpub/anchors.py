"""Heading anchors of a Markdown page, as the renderer will generate them.

The site's ``mkdocs.yml`` configures the ``toc`` extension with
``pymdownx.slugs.slugify(case="lower")``, which keeps Chinese characters
(MkDocs' default slugify would turn every Chinese heading into ``_1``,
``_2``…). This module computes the same ids so that ``#anchor`` links can be
checked before the build.
"""

from __future__ import annotations

import re

from pymdownx.slugs import slugify

#: the heading id function of the site's renderers (mkdocs.yml's toc, the Pelican renderer)
heading_slugify = slugify(case="lower")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*(?:#+[ \t]*)?$", re.MULTILINE)
#: the same after the line feed that starts its line: a pattern that starts with a literal
#: is searched for by the regex engine's fast scan, twice as fast as trying ^ everywhere
_NEXT_HEADING = re.compile(r"\n {0,3}(#{1,6})[ \t]+(.*?)[ \t]*(?:#+[ \t]*)?$", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATTR_ID = re.compile(r"\{[^}]*#([\w\-:.]+)[^}]*\}\s*$")
_INLINE_MARKUP = re.compile(r"[*_`]|\[([^\]]*)\]\([^)]*\)")


def _heading_texts(markdown: str):
    """The text of every ATX heading outside fenced code, in order."""
    if "```" not in markdown and "~~~" not in markdown:  # no fences: one scan of the text
        first = _HEADING.match(markdown)
        if first:
            yield first.group(2)
        for match in _NEXT_HEADING.finditer(markdown, first.end() if first else 0):
            yield match.group(2)
        return
    fence: str | None = None
    for line in markdown.split("\n"):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is not None:
            continue
        match = _HEADING.match(line)
        if match:
            yield match.group(2)


#: heading text -> (its anchor before numbering duplicates, whether an explicit ``{#id}``
#: gave it): many pages share headings, and the slug function is slow
_SLUGS: dict[str, tuple[str, bool]] = {}
_SLUGS_LIMIT = 4096


def _slug_of(text: str) -> tuple[str, bool]:
    """(anchor, explicit) of one heading's text."""
    known = _SLUGS.get(text)
    if known is None:
        explicit = _ATTR_ID.search(text)
        if explicit:
            known = (explicit.group(1), True)
        else:
            plain = _INLINE_MARKUP.sub(lambda m: m.group(1) or "", text)
            known = (heading_slugify(plain, "-"), False)
        if len(_SLUGS) >= _SLUGS_LIMIT:
            _SLUGS.clear()
        _SLUGS[text] = known
    return known


def heading_anchors(markdown: str) -> set[str]:
    anchors: set[str] = set()
    counts: dict[str, int] = {}
    for text in _heading_texts(markdown):
        slug, explicit = _slug_of(text)
        if explicit:
            anchors.add(slug)
            continue
        if slug in counts:
            counts[slug] += 1
            slug = f"{slug}_{counts[slug]}"
        else:
            counts[slug] = 0
        anchors.add(slug)
    return anchors
