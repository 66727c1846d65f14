"""What the templates mark in a page for the search index, and where the index goes.

Shared by the index step (:mod:`.index`), what it reads of a page
(:mod:`.own.extract`) and the search pages (:mod:`.pages`).
"""

from __future__ import annotations

import re

#: the folder of the site that holds the index (the search page loads it from there)
INDEX_DIR = "search-index"
#: the attribute of the ONE element holding a page's heading and text (only indexed
#: pages carry it), and of a part inside it that is not text to search
BODY_ATTRIBUTE = "data-search-body"
IGNORE_ATTRIBUTE = "data-search-ignore"
#: parts of an indexed page that are not its text: heading permalinks ("¶"), the status
#: banner and the index box (the same labels on every policy and notice page), and the
#: block only printed (item code, address, source, times: repeated from the page, with
#: English labels on Chinese pages)
EXCLUDED_SELECTORS = (".headerlink", ".govpub-status", ".gp-index-box", ".gp-print-meta")
#: an element carrying the body attribute (in text, "<" is always escaped)
BODY_PATTERN = re.compile(rb"<[A-Za-z][^<>]*?\s" + BODY_ATTRIBUTE.encode() + rb"[\s=>/]")
