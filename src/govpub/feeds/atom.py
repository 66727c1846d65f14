"""Writing one Atom 1.0 document (RFC 4287) from plain entries.

Pure: entries in, bytes out. Every text goes through XML escaping after the
characters XML 1.0 forbids are removed, so hostile titles cannot break the
feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ..opendata.values import clean_text

ATOM_NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    published: str  # RFC 3339
    updated: str  # RFC 3339
    author: str
    categories: tuple[str, ...] = ()
    summary: str = ""


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    self_link: str
    alternate_link: str
    updated: str
    author: str
    lang: str
    entries: tuple[Entry, ...]
    subtitle: str = ""


def _text(value: str) -> str:
    return escape(clean_text(value))


def _attr(value: str) -> str:
    return quoteattr(clean_text(value))


def render(feed: Feed) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="{ATOM_NS}" xml:lang={_attr(feed.lang)}>',
           f"  <id>{_text(feed.id)}</id>",
           f'  <title type="text">{_text(feed.title)}</title>']
    if feed.subtitle:
        out.append(f'  <subtitle type="text">{_text(feed.subtitle)}</subtitle>')
    out += [f"  <updated>{_text(feed.updated)}</updated>",
            f'  <link rel="self" type="application/atom+xml" href={_attr(feed.self_link)}/>',
            f'  <link rel="alternate" type="text/html" href={_attr(feed.alternate_link)}/>',
            f"  <author><name>{_text(feed.author)}</name></author>",
            "  <generator>govpub</generator>"]
    for entry in feed.entries:
        out += ["  <entry>",
                f"    <id>{_text(entry.id)}</id>",
                f'    <title type="text">{_text(entry.title) or "(untitled)"}</title>',
                f'    <link rel="alternate" type="text/html" href={_attr(entry.link)}/>',
                f"    <published>{_text(entry.published)}</published>",
                f"    <updated>{_text(entry.updated)}</updated>"]
        if entry.author:
            out.append(f"    <author><name>{_text(entry.author)}</name></author>")
        out += [f"    <category term={_attr(term)}/>" for term in entry.categories if term]
        if entry.summary:
            out.append(f'    <summary type="text">{_text(entry.summary)}</summary>')
        out.append("  </entry>")
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")
