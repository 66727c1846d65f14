"""The bytes of govpub's own search index: hashing, varints, term files, gzip.

- **Term → file.** A term's postings are in the file of its *bucket*: FNV-1a
  (32 bit) of the term's UTF-8 bytes, modulo the number of buckets (a power of
  two). A Latin word is filed under its first three letters (``bucket_key``),
  so that a prefix the reader is typing finds every word it begins in one file.
  The browser computes the same hash: no list of terms is downloaded.
- **A term file** (gzip, made the same for the same content): for each term, in
  order of its UTF-8 bytes: varint length, the term, varint number of pages,
  varint length of what follows: the page numbers as varint gaps (the first
  from 0), then one score byte per page. Scores after numbers, because each
  compresses best with its kind.
"""

from __future__ import annotations

import gzip
import io
import re
from itertools import accumulate
from operator import sub

#: the first byte of a varint of more than one byte
_LONG = re.compile(rb"[\x80-\xff]")

#: letters of a Latin word that decide its file (a query's last word is a prefix of
#: at least these many letters to be looked up as one)
PREFIX_KEY = 3


def fnv1a(data: bytes) -> int:
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def bucket_key(term: str) -> str:
    """What decides a term's file: a Chinese term itself, a Latin word's first letters."""
    if term and term[0] < "\u3400":
        return term[:PREFIX_KEY]
    return term


def bucket_of(term: str, buckets: int) -> int:
    return fnv1a(bucket_key(term).encode("utf-8")) & (buckets - 1)


def put_varint(out: bytearray, value: int) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def get_varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def encode_entry(term: str, postings: dict[int, int]) -> bytes:
    """One term's entry: its name, number of pages, page gaps (their byte length first,
    so a reader can step over the entry or take the gaps whole), scores."""
    out = bytearray()
    raw = term.encode("utf-8")
    put_varint(out, len(raw))
    out += raw
    put_varint(out, len(postings))
    pages = sorted(postings)
    gaps = list(map(sub, pages, [0, *pages[:-1]]))  # (map, bytes: in C; a term can be
    packed = bytearray()                             # in every page of the site)
    at = 0
    bigs = [i for i, gap in enumerate(gaps) if gap >= 0x80] if max(gaps, default=0) >= 0x80 \
        else []
    for big in bigs:  # few: most gaps are small
        packed += bytes(gaps[at:big])
        put_varint(packed, gaps[big])
        at = big + 1
    packed += bytes(gaps[at:])
    put_varint(out, len(packed))
    out += packed
    out += bytes(map(postings.__getitem__, pages))
    return bytes(out)


def split_entries(data: bytes) -> dict[str, bytes]:
    """Term → its entry's bytes, without decoding any posting (an update re-encodes only
    the terms that change; the others are copied as they are)."""
    entries = {}
    at = 0
    while at < len(data):
        start = at
        size, at = get_varint(data, at)
        term = data[at:at + size].decode("utf-8")
        at += size
        count, at = get_varint(data, at)
        packed, at = get_varint(data, at)
        at += packed + count
        entries[term] = data[start:at]
    return entries


def decode_entry(entry: bytes) -> dict[int, int]:
    size, at = get_varint(entry, 0)
    count, at = get_varint(entry, at + size)
    packed, at = get_varint(entry, at)
    gaps = entry[at:at + packed]
    if len(gaps) != count:  # a few gaps of more than one byte: the runs between them whole
        runs: list[int] = []
        here = 0
        while (big := _LONG.search(gaps, here)) is not None:
            runs += gaps[here:big.start()]
            gap, here = get_varint(gaps, big.start())
            runs.append(gap)
        runs += gaps[here:]
        gaps = runs
    pages = accumulate(gaps)  # summed in C
    return dict(zip(pages, entry[at + packed:at + packed + count], strict=True))


def join_entries(entries: dict[str, bytes]) -> bytes:
    """A term file's (uncompressed) bytes: the entries in order of their terms' UTF-8."""
    return b"".join(entries[term] for term in sorted(entries, key=lambda t: t.encode("utf-8")))


def encode_terms(terms: dict[str, dict[int, int]]) -> bytes:
    """The (uncompressed) bytes of a term file: term → {page number: score 1..255}."""
    return join_entries({term: encode_entry(term, postings)
                         for term, postings in terms.items() if postings})


def decode_terms(data: bytes) -> dict[str, dict[int, int]]:
    return {term: decode_entry(entry) for term, entry in split_entries(data).items()}


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no name and no time in the header: the same bytes for the same data."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as stream:
        stream.write(data)
    return buffer.getvalue()


def gunzip_bytes(data: bytes) -> bytes:
    return gzip.decompress(data)
