"""The open data's indented JSON, made once per distinct value and kept between builds.

``json.dumps(indent=2)`` runs CPython's pure-Python encoder (the C encoder
knows no indent): at 10,000 pages the open data's 1,012 files cost a second
in every build, though a one-page change alters one record of one file. A
:class:`JsonMemo` maps a value to its indented text, so an unchanged file,
or an unchanged record of a changed file, is not encoded again.

Why the text is exactly ``json.dumps(value, ensure_ascii=False,
sort_keys=True, indent=2)``:

- the key of a value is its compact encoding by the C encoder (same leaves,
  same sorted order as the indented one), so equal keys mean equal token
  sequences, hence equal indented text;
- a container is put together as ``json.dumps`` does (``"{\\n"``, two spaces
  per level, ``",\\n"`` between members, ``": "`` after a key), and a member's
  own text is its standalone text with every newline followed by two more
  spaces: the encoder writes no raw newline except its indentation (strings
  escape ``\\n``), so that shift is exactly the deeper level's indentation.

Anything else (non-string keys, a leaf) goes through ``json.dumps`` itself.
``tests/test_opendata_jsonmemo.py`` compares with ``json.dumps`` on hostile
values. The memo is kept in memory (``govpub serve``) and in the cache folder
(:mod:`govpub.cachedir`, outside the repository), in a file whose digest is
checked on reading: a damaged or foreign file is ignored, never trusted. It
holds the values of one build (the last), so it does not grow.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..sealed import keep_sealed, read_sealed

#: the encoding the keys stand for; change it with :func:`indented`'s rules
KEY_FORMAT = b"govpub-json-indent2-sorted-utf8-1\0"
FILE_FORMAT = b"govpub-json-memo-2\n"
#: containers this deep (the file 0, its members 1, a list's records 2) are memoized
MEMO_DEPTH = 2


def plain_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


def _key(value) -> bytes:
    compact = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(KEY_FORMAT + compact.encode("utf-8", "surrogatepass"),
                           digest_size=20).digest()


class JsonMemo:
    """Indented JSON text of values seen in the last build and this one.

    An entry is (text, keys of the memoized values inside it): a value found
    whole keeps its parts for the next build, where one of its records may change.
    """

    def __init__(self, entries: dict[bytes, tuple[str, tuple[bytes, ...]]] | None = None):
        self._old = entries or {}
        self._new: dict[bytes, tuple[str, tuple[bytes, ...]]] = {}
        self.hits = 0
        self.misses = 0

    def dumps(self, value) -> str:
        """``json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)``."""
        return self._text(value, 0)[0]

    def _text(self, value, depth: int) -> tuple[str, bytes | None]:
        if not (isinstance(value, dict | list | tuple) and value) or depth > MEMO_DEPTH:
            return plain_dumps(value), None
        key = _key(value)
        entry = self._new.get(key)
        if entry is None:
            entry = self._old.get(key)
            if entry is None:
                self.misses += 1
                entry = self._build(value, depth)
            else:
                self.hits += 1
                self._carry(entry[1])
            self._new[key] = entry
        return entry[0], key

    def _carry(self, parts: tuple[bytes, ...]) -> None:
        pending = list(parts)
        while pending:
            key = pending.pop()
            if key in self._new or key not in self._old:
                continue
            self._new[key] = self._old[key]
            pending.extend(self._old[key][1])

    def _build(self, value, depth: int) -> tuple[str, tuple[bytes, ...]]:
        if isinstance(value, dict) and not all(type(name) is str for name in value):
            return plain_dumps(value), ()  # json.dumps converts such keys: let it
        parts: list[bytes] = []

        def member(item) -> str:
            text, key = self._text(item, depth + 1)
            if key is not None:
                parts.append(key)
            return text.replace("\n", "\n  ")

        if isinstance(value, dict):
            members = [f"  {json.dumps(name, ensure_ascii=False)}: {member(value[name])}"
                       for name in sorted(value)]
            text = "{\n" + ",\n".join(members) + "\n}"
        else:
            text = "[\n" + ",\n".join("  " + member(item) for item in value) + "\n]"
        return text, tuple(parts)

    # --- kept between builds ---------------------------------------------------------------

    @property
    def changed(self) -> bool:
        return self._new.keys() != self._old.keys()

    def next_build(self) -> JsonMemo:
        """The memo for the next build: what this build used."""
        return JsonMemo(self._new)

    def save(self, path: Path | None) -> None:
        save_entries(path, FILE_FORMAT, self._new)


def load_memo(path: Path | None) -> JsonMemo:
    """The memo kept in ``path``; an empty one when missing, damaged or of another format."""
    return JsonMemo(load_entries(path, FILE_FORMAT, _memo_entries))


def save_entries(path: Path | None, file_format: bytes, entries: dict) -> None:
    """Keep ``entries`` in ``path`` behind ``file_format`` and a digest (:mod:`govpub.sealed`)."""
    keep_sealed(path, file_format, entries)


def _bytes_to_text(entries: dict) -> bool:
    return all(type(k) is bytes and type(v) is str for k, v in entries.items())


def _memo_entries(entries: dict) -> bool:
    return all(type(k) is bytes and type(v) is tuple and len(v) == 2 and type(v[0]) is str
               and type(v[1]) is tuple and all(type(part) is bytes for part in v[1])
               for k, v in entries.items())


def load_entries(path: Path | None, file_format: bytes, valid=_bytes_to_text) -> dict:
    """What :func:`save_entries` kept; empty when missing, damaged, of another format or
    not of the shape ``valid`` (a check of the dictionary) expects."""
    entries = read_sealed(path, file_format)
    if not (isinstance(entries, dict) and valid(entries)):
        return {}
    return entries
