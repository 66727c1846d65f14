"""A strict RFC 4287 structure check for the feed tests (what a feed validator checks)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
ABSOLUTE_IRI = re.compile(r"^(https?://[^\s/]+/\S*|tag:[^\s,]+,\d{4}(-\d{2}(-\d{2})?)?:\S*)$")


def assert_valid_atom(data: bytes) -> ET.Element:
    """RFC 4287 structural rules (section 4.1): what a feed validator checks."""
    root = ET.fromstring(data)
    assert root.tag == A + "feed"

    def one(parent, name, where):
        found = parent.findall(A + name)
        assert len(found) == 1, f"{where} needs exactly one atom:{name}, has {len(found)}"
        return found[0]

    def check_date(el, where):
        assert RFC3339.match(el.text or ""), f"{where}: {el.text!r} is not RFC 3339"

    assert ABSOLUTE_IRI.match(one(root, "id", "feed").text)
    assert (one(root, "title", "feed").text or "").strip()
    check_date(one(root, "updated", "feed"), "feed updated")
    selfs = [link for link in root.findall(A + "link") if link.get("rel") == "self"]
    assert len(selfs) == 1 and ABSOLUTE_IRI.match(selfs[0].get("href"))
    feed_has_author = bool(root.findall(A + "author"))
    for author in root.iter(A + "author"):
        assert (one(author, "name", "author").text or "").strip()
    ids = set()
    for entry in root.findall(A + "entry"):
        entry_id = one(entry, "id", "entry").text
        assert ABSOLUTE_IRI.match(entry_id) and entry_id not in ids
        ids.add(entry_id)
        assert (one(entry, "title", "entry").text or "").strip()
        check_date(one(entry, "updated", "entry"), entry_id)
        published = entry.findall(A + "published")
        assert len(published) <= 1
        for p in published:
            check_date(p, entry_id)
        alternates = [(link.get("type"), link.get("hreflang"))
                      for link in entry.findall(A + "link")
                      if link.get("rel", "alternate") == "alternate"]
        assert len(alternates) == len(set(alternates)) == 1
        for link in entry.findall(A + "link"):
            assert ABSOLUTE_IRI.match(link.get("href")), link.get("href")
        assert entry.findall(A + "content") or alternates  # 4.1.1.1
        assert len(entry.findall(A + "summary")) <= 1
        assert feed_has_author or entry.findall(A + "author")
    return root
