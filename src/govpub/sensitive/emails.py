"""E-mail addresses outside the agency's own domains.

An address at one of ``site.yml`` ``agency_email_domains`` (or a subdomain
of one) is an office mailbox and passes. Every other address is treated as
personal data. The reserved example domains of RFC 2606/6761
(``example.com``, ``*.example``, ``*.test``, ``*.invalid``) pass too, so
documentation can show the shape of an address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from . import Hit

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9][A-Za-z0-9._%+\-]{0,63})@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![A-Za-z0-9\-])")
_RESERVED = ("example.com", "example.org", "example.net", "example", "test", "invalid",
             "localhost")


def _under(domain: str, parent: str) -> bool:
    return domain == parent or domain.endswith("." + parent)


def find_foreign_emails(text: str, agency_domains: Iterable[str] = ()) -> Iterator[Hit]:
    if "@" not in text:
        return
    own = tuple(d.strip().lower().lstrip("@").rstrip(".") for d in agency_domains if d.strip())
    for m in _EMAIL.finditer(text):
        domain = m.group(2).lower()
        if any(_under(domain, d) for d in own + _RESERVED):
            continue
        local = m.group(1)
        yield Hit(m.start(), m.end(), f"{local[0]}***@{domain}")
