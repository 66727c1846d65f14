"""Changes to a page's rendered HTML that every renderer makes the same way.

- :func:`split_heading`: the page's main heading (``<h1>``) is taken out of
  the content, so the theme can print it first, with an id the skip link
  lands on, followed by the index box, then the content.
- :func:`wrap_tables`: every plain table sits in a focusable, labelled
  region that scrolls sideways on narrow screens (the theme shows a visible
  cue when it overflows), instead of columns hidden off-screen.
- :func:`label_permalinks`: the heading anchors' tooltip in the page's language.
"""

from __future__ import annotations

import re
from html import escape

HEADING_ID = "gp-title"
_LEADING_H1 = re.compile(r'^\s*<h1(?:\s+id="(?P<id>[^"]*)")?[^>]*>(?P<inner>.*?)</h1>',
                         re.DOTALL)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_TABLE = re.compile(r"<table>(?P<body>.*?)</table>", re.DOTALL)
_PERMALINK_TITLE = re.compile(r'(<a class="headerlink" href="#[^"]*") title="Permanent link"')


def split_heading(content: str, title: str) -> tuple[str, dict]:
    """(content without its leading ``<h1>``, {"id", "html"} of the page heading).

    A page whose Markdown starts with ``# Title`` keeps that heading (and its
    id); any other page gets its title as heading, with id ``gp-title``.
    """
    match = _LEADING_H1.match(content)
    if match:
        inner = _HEADERLINK.sub("", match["inner"]).strip()
        return content[match.end():], {"id": match["id"] or HEADING_ID, "html": inner}
    return content, {"id": HEADING_ID, "html": escape(title)}


def wrap_tables(content: str, region_label: str, hint: str) -> str:
    """Put every attribute-less ``<table>`` in a labelled, focusable scrolling region."""
    count = 0

    def wrap(match: re.Match) -> str:
        nonlocal count
        count += 1
        label = region_label.format(number=count)
        return (f'<div class="gp-table" role="region" tabindex="0" aria-label="{escape(label)}"'
                f' data-hint="{escape(hint)}"><table class="gp-table__table">{match["body"]}'
                "</table></div>")

    return _TABLE.sub(wrap, content)


def label_permalinks(content: str, label: str) -> str:
    return _PERMALINK_TITLE.sub(lambda m: f'{m[1]} title="{escape(label)}"', content)
