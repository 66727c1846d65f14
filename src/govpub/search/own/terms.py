"""Terms of govpub's own search index: what a page's text and a reader's query become.

No dictionary (Lucene's CJK approach): a run of Chinese characters gives every
single character and every overlapping pair of characters (``专利年费`` →
专 利 年 费 专利 利年 年费); Latin text gives its lowercased words of letters
and digits. A query of two or more Chinese characters needs all its pairs (a
page has 专利 and 年费 and 利年 for ``专利年费``, not necessarily next to each
other: there are no positions); a query of one character needs that
character. A query's last Latin word also matches as a prefix (the reader may
still be typing it). The same rules are in ``own-search.js`` (``queryTerms``):
``tests/test_own_search.py`` holds both to the same examples.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

#: Chinese characters (CJK Unified Ideographs, Extension A, compatibility ideographs)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(f"[{_HAN}]+|[0-9a-z]+")
_HAN_RUN = re.compile(f"[{_HAN}]+")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_HAN_PAIR = re.compile(f"(?=([{_HAN}]{{2}}))")
_WORD = re.compile("[0-9a-z]+")


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII ones) and lowercase."""
    return unicodedata.normalize("NFKC", text).lower()


def is_han(term: str) -> bool:
    return bool(_HAN_RUN.fullmatch(term))


def text_terms(text: str) -> Counter:
    """Every term of ``text`` with how often it occurs."""
    text = normalise(text)
    counts = Counter(_HAN_CHAR.findall(text))  # (each findall runs in C: 10,000 pages)
    counts.update(_HAN_PAIR.findall(text))
    counts.update(_WORD.findall(text))
    return counts


def query_terms(query: str) -> tuple[list[str], str | None]:
    """(terms every result must have, a Latin prefix the last word may stand for).

    ``prefix`` is the query's last word when it is Latin and comes last in the
    query: a page matches it with that word or any longer word it begins.
    """
    tokens = _TOKEN.findall(normalise(query))
    required: list[str] = []
    for token in tokens:
        if is_han(token):
            grams = [token] if len(token) == 1 else \
                [token[i:i + 2] for i in range(len(token) - 1)]
            required += [g for g in grams if g not in required]
        elif token not in required:
            required.append(token)
    prefix = None
    if tokens and not is_han(tokens[-1]):
        prefix = tokens[-1]
        required = [t for t in required if t != prefix]
    return required, prefix
