"""Bytes kept between runs, sealed with a digest of themselves: damage is detected, not trusted.

The check cache's entries and the kept verdicts (govpub.checkcache,
govpub.verdicts) are written by one run and read by a later one; a torn
write or a flipped bit must read as "nothing kept", never as a verdict.
"""

from __future__ import annotations

import hashlib

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
