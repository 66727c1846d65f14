"""Bytes kept between runs, sealed with a digest of themselves: damage is detected, not trusted.

The check cache's entries and the kept verdicts (govpub.checkcache,
govpub.verdicts) are written by one run and read by a later one; a torn
write or a flipped bit must read as "nothing kept", never as a verdict.
The build's cache files (the render record, the staging memo, the memos of
open data and handouts) are one value each, pickled behind a format line and
sealed: :func:`keep_sealed` and :func:`read_sealed`.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from . import collector
from .atomic import keep_cache_file

_CHECKSUM = 16


def seal(payload: bytes) -> bytes:
    """``payload`` behind a BLAKE2b digest of it."""
    return hashlib.blake2b(payload, digest_size=_CHECKSUM).digest() + payload


def unseal(blob) -> bytes:
    """The payload of a sealed blob; ValueError when it is damaged (or not a blob at all)."""
    if not isinstance(blob, bytes) or len(blob) < _CHECKSUM:
        raise ValueError("damaged cache entry")
    digest, payload = blob[:_CHECKSUM], blob[_CHECKSUM:]
    if hashlib.blake2b(payload, digest_size=_CHECKSUM).digest() != digest:
        raise ValueError("damaged cache entry")
    return payload


def keep_sealed(path: Path | None, file_format: bytes, value) -> None:
    """Keep ``value`` in the cache file ``path``: ``file_format``, then its pickle sealed;
    written whole or (quietly) not at all (:func:`govpub.atomic.keep_cache_file`)."""
    if path is not None:
        keep_cache_file(path, file_format + seal(pickle.dumps(
            value, protocol=pickle.HIGHEST_PROTOCOL)))


def read_sealed(path: Path | None, file_format: bytes):
    """What :func:`keep_sealed` kept in ``path``; None when it is missing, damaged or of
    another format. The caller checks the value's shape: nothing is trusted in part."""
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(file_format):
        return None
    try:
        payload = unseal(data[len(file_format):])
        with collector.paused():  # a render record is 300,000 objects and no cycle
            return pickle.loads(payload)
    except Exception:  # damaged, or damage that passed the digest: never trusted
        return None
