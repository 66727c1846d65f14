"""The digest a sign-off binds to (DESIGN.md section 5).

For text files the digest is SHA-256 of the bytes after removing a UTF-8 BOM
and turning CRLF and CR into LF, so that an editor's line endings do not void
an approval. Binary attachments (PDF, images, DOCX) are hashed as they are:
normalizing line-ending bytes inside a PDF would let two different files share
one approval.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".csv", ".yml", ".yaml", ".json"})
BOM = b"\xef\xbb\xbf"


def suffix_of(path: str | PurePath) -> str:
    """``PurePath(path).suffix`` without building a path (called for every file checked)."""
    if isinstance(path, str):
        name = path.rpartition("/")[2]
        if name and name != ".":  # else pathlib's own rules for odd names
            dot = name.rfind(".")
            return name[dot:] if 0 < dot < len(name) - 1 else ""
    return PurePath(path).suffix


def is_text_file(path: str | PurePath) -> bool:
    return suffix_of(path).lower() in TEXT_SUFFIXES


def normalize_text_bytes(data: bytes) -> bytes:
    if data.startswith(BOM):
        data = data[len(BOM):]
    if b"\r" not in data:
        return data  # most files: no copy
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def digest_bytes(data: bytes, *, text: bool) -> str:
    if text:
        data = normalize_text_bytes(data)
    return "sha256:" + hashlib.sha256(data).hexdigest()


def digest_for(path: str | PurePath, data: bytes) -> str:
    return digest_bytes(data, text=is_text_file(path))
