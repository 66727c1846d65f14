"""Text from hostile documents: decoded without mojibake, cleaned of control characters.

Central sites serve UTF-8, GBK, GB2312 and GB18030, and the charset they
declare (HTTP header, XML declaration, ``<meta charset>``) is sometimes
wrong. Decoding by the declaration alone turns a GBK title declared as UTF-8
into mojibake (``¹úÎñÔº``) that would be stored and mailed. So the bytes are
tried strictly, in an order that cannot produce mojibake for Chinese text:

1. UTF-8 — GBK text is practically never valid UTF-8;
2. GB18030 (a superset of GBK and GB2312);
3. the declared charset, whatever it is.

When none decodes cleanly the document is refused with a clear reason (a
failed poll, shown in the feed's health) — never guessed at.

Every value taken from a document for a title, a subject or a mail goes
through :func:`clean_line`: control characters, bidirectional overrides and
line separators are removed and whitespace is collapsed, so nothing can
forge a second mail header line or reorder what the duty officer reads.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..i18n import _

_DECLARED = re.compile(
    rb"""(?:<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
    rb"""|<meta[^>]+?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40}))""", re.IGNORECASE)
_SNIFF_BYTES = 4096
#: a damaged UTF-8 document (a byte lost in transit) is still UTF-8 below this error share
_UTF8_DAMAGE = 1 / 1000
#: format characters that change how text is shown (bidi overrides and isolates)
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")


class Undecodable(ValueError):
    """The bytes are not valid in any charset we accept; the message says which were tried."""


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def declared_charset(body: bytes, headers: dict | None) -> str | None:
    """The charset the server or the document claims (header first), as a codec name."""
    content_type = (headers or {}).get("content-type", "")
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", content_type, re.IGNORECASE)
    if match and _canonical(match.group(1)):
        return _canonical(match.group(1))
    found = _DECLARED.search(body[:_SNIFF_BYTES])
    if found:
        return _canonical((found.group(1) or found.group(2)).decode("ascii"))
    return None


def decode_document(body: bytes, headers: dict | None = None) -> tuple[str, str]:
    """(text, codec used); raises :class:`Undecodable` rather than produce mojibake."""
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8):]
    declared = declared_charset(body, headers)
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared in (None, "utf-8"):
        damaged = body.decode("utf-8", "replace")
        if damaged.count("\ufffd") <= max(1, len(body) * _UTF8_DAMAGE):
            return damaged, "utf-8"
    for codec in ("gb18030", declared):
        if codec in (None, "utf-8"):
            continue
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    raise Undecodable(_("cannot decode the document: declared {declared}, and it is "
                        "neither valid UTF-8 nor GB18030").format(declared=declared or "—"))


def as_utf8_xml(text: str) -> bytes:
    """Decoded XML back to bytes whose declaration says UTF-8 (for feedparser)."""
    head, tail = text[:200], text[200:]
    head = re.sub(r"""(<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""", r'\1"utf-8"', head,
                  count=1)
    return (head + tail).encode("utf-8")


def _visible(char: str) -> bool:
    if char in _BIDI or char in _INVISIBLE:
        return False
    return unicodedata.category(char) not in ("Cc", "Cs", "Co", "Cn")


def clean_line(value: object, limit: int = 1000) -> str | None:
    """One line of readable text: controls and overrides removed, whitespace collapsed."""
    if not isinstance(value, str):
        return None
    value = "".join(c if _visible(c) else " " for c in value)
    value = " ".join(value.split())
    return value[:limit] or None
