"""Classification and internal-use markings (密级标志, 内部资料 …).

The hard part is that the marking words are ordinary words too: 商业秘密
(trade secret) and 国家秘密 (state secret) run through every IP-law text, and
a guide may well say 请注意保存受理通知书 ("keep the receipt"). So a word is
flagged by its *shape and position*, never by its mere presence:

Always flagged (the shape is a marking):

- 绝密/机密/秘密 followed by ``★`` (or ☆), with or without a period:
  ``秘密★``, ``机密★10年``, ``绝密★长期``, ``秘密★1年``;
- a ``密级`` label with a level: ``密级：秘密``, ``| 密级 | 机密 |``;
- 仅供内部使用 / 仅限内部使用 / 仅供内部参考, 内部资料 注意保存,
  "internal use only", "not for publication", "not for public release",
  and an upper-case ``CONFIDENTIAL`` (the stamp form).

Flagged in a marking position — the line (or front-matter value) holds
nothing but marking words once Markdown decoration, brackets and
punctuation are stripped (``**秘密**``, ``【内部资料】``, ``# 机密``,
``内部资料　注意保存``, ``Confidential``), or the word opens a line and is
followed by a space (``秘密 关于……的通知``: Chinese running text has no spaces
between words, a stamp does):

- 绝密, 机密, 秘密, 内部资料, 内部使用, 内部文件, 注意保存, confidential, internal.

Not flagged: 商业秘密, 国家秘密, 保守秘密, 机密性 and any marking word inside a
sentence; ``注意保存`` inside an instruction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..i18n import N_
from . import Hit

_LEVEL = r"(?:绝密|机密|秘密)"
_STRONG = re.compile(
    rf"{_LEVEL}\s*[★☆]\s*(?:\d+\s*(?:年|个月|月|天|日)|[一二三四五六七八九十]+\s*(?:年|个月)|长期)?"
    rf"|密级\s*(?:[:：]|\|)?\s*\|?\s*{_LEVEL}"
    r"|仅(?:供|限)内部(?:使用|参考|传阅|资料)"
    r"|内部资料\W{0,3}注意保存"
    r"|(?i:for\s+internal\s+use\s+only|internal\s+use\s+only|not\s+for\s+publication"
    r"|not\s+for\s+public\s+(?:release|distribution))"
    r"|(?<![A-Za-z])CONFIDENTIAL(?![A-Za-z])")
_WORDS = ("绝密", "机密", "秘密", "内部资料", "内部使用", "内部文件", "注意保存",
          "confidential", "internal", "strictly", "only")
_WORD = re.compile(r"绝密|机密|秘密|内部资料|内部使用|内部文件|注意保存|(?i:confidential)")
_DECORATION = re.compile(r"[\s#>*_~`|=\-+:：;；,，、。.!！()（）\[\]【】〔〕《》<>\"'“”‘’「」『』·]+")
_LINE_START = re.compile(r"^[\s#>*_\[【（(〔]*(绝密|机密|秘密|内部资料|内部使用)[\]】）)〕*_]*[ \t\u3000]+\S")


def _only_marking_words(text: str) -> bool:
    rest = _DECORATION.sub(" ", text).strip().lower()
    if not rest:
        return False
    for word in sorted(_WORDS, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return not rest.strip() and bool(_WORD.search(text))


# case-sensitive on purpose: IGNORECASE makes the scan of CJK text several times slower
# the leading look-ahead is a one-character set the regex engine skips ahead with:
# without it the alternation is tried at every position (3x slower on CJK text)
_CANDIDATE = re.compile(r"(?=[绝机秘密内注CcIiPp])(?:[绝机秘]密|密级|内部|注意保存|[Cc]onfidential"
                        r"|CONFIDENTIAL|[Ii]nternal|INTERNAL|[Pp]ublication|PUBLICATION"
                        r"|[Pp]ublic\s+[Rr]e|PUBLIC\s+RE)")
# cheap, case-sensitive literal pre-test before the slower strong-shape pattern
_HINT = re.compile(r"(?=[★☆密内COoPp])(?:[★☆]|密级|内部|CONFIDENTIAL|[Oo]nly|ONLY|[Pp]ublic|PUBLIC)")


#: "not for" in any case (\s as in _STRONG): no letter of it has another case form in re
_NOT_FOR = re.compile(r"[Nn][Oo][Tt]\s+[Ff][Oo][Rr]")


def _strong_hint(text: str) -> bool:
    return _HINT.search(text) is not None and _may_be_strong(text)


def _may_be_strong(text: str) -> bool:
    """False when no _STRONG shape can be in the text: a piece each shape needs is missing.

    ★/☆ (a level with a star), 密级, 内部 (仅供内部…, 内部资料…注意保存), CONFIDENTIAL,
    and for the English phrases "only" (… use only) or "not for" (… publication, … public
    release) in any case. A long English line mentioning "public" no longer costs a
    scan with the whole pattern. (No other character lowercases to o, n, l or y.)
    """
    return ("★" in text or "☆" in text or "密级" in text or "内部" in text
            or "CONFIDENTIAL" in text or "only" in text.lower()
            or _NOT_FOR.search(text) is not None)
MAX_MARKING_LINE = 80  # a line that is nothing but markings is short


#: a piece of every _CANDIDATE match, at most one character after the match starts: most
#: texts contain none of them, and str.find is many times faster than the regex scan of
#: CJK text
_CANDIDATE_PIECES = ("密", "内部", "注意保存", "onfidential", "ONFIDENTIAL", "nternal", "NTERNAL",
                     "ublic", "UBLIC")


def _first_candidate(text: str) -> int:
    """Where the first _CANDIDATE match starts; -1 when there is none.

    Each piece's occurrences are tried with the candidate pattern itself, where a match
    with that piece would start: "public" without "re…" or "…ation" after it (English
    text is full of it) is no candidate, and costs no scan of the rest of the text.
    """
    first = -1
    for piece in _CANDIDATE_PIECES:
        at = text.find(piece)
        while at >= 0 and (first < 0 or at <= first):  # only an earlier start matters
            if at > 0 and _CANDIDATE.match(text, at - 1):
                first = at - 1
                break
            if _CANDIDATE.match(text, at):
                first = at
                break
            at = text.find(piece, at + 1)
    return first


def find_markings_in_text(text: str) -> Iterator[Hit]:
    """Markings in a text of many lines; only lines with a candidate word are examined."""
    start_at = _first_candidate(text)
    if start_at < 0:
        return
    done = -1
    for m in _CANDIDATE.finditer(text, start_at):
        if m.start() <= done:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        done = text.find("\n", m.start())
        if done < 0:
            done = len(text)
        for hit in find_markings(text[start:done]):
            yield Hit(hit.start + start, hit.end + start, hit.shown, hit.detail)


def find_markings(text: str) -> Iterator[Hit]:
    """Markings in one line of text (or one short front-matter value)."""
    seen = False
    if _strong_hint(text):
        for m in _STRONG.finditer(text):
            seen = True
            yield Hit(m.start(), m.end(), m.group(0).strip())
    if seen:
        return
    if len(text) <= MAX_MARKING_LINE and _only_marking_words(text):
        m = _WORD.search(text)
        yield Hit(m.start(), m.end(), text.strip()[:40], N_("marking on a line of its own"))
        return
    m = _LINE_START.match(text)
    if m:
        yield Hit(m.start(1), m.end(1), m.group(1), N_("marking at the start of a line"))
