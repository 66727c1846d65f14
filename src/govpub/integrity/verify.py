"""``govpub verify``: compare a site folder or a live site with its signed manifest.

A folder is read file by file; a URL is fetched with httpx (every file the
manifest lists, eight at a time, hashed as it streams). Both report files
that are *altered* (hash differs), *missing* (absent, or HTTP 404/410) and,
for a folder only, *unexpected* (present but not in the manifest) — a web
server cannot list its files, so an added page on a live site is only found
by checking the deploy folder.

The signature is checked first against the public key from the repository
(never one fetched from the site being checked: an attacker who can change
the site could change that key too). Paths in the manifest are hostile
until checked: absolute paths, ``..`` and symbolic links are reported, never
followed.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx

from ..errors import UsageError
from ..i18n import _
from ..safepath import UnsafePathError, check_relative
from .manifest import (
    MANIFEST,
    SIGNATURE,
    ManifestFormatError,
    Verification,
    check_signature,
    parse_manifest,
    sha256_file,
)

MAX_FILE_BYTES = 500 * 1024 * 1024


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def compare(expected: dict[str, str], actual: dict[str, str | None]) -> tuple[list, list]:
    """Pure: (altered, missing) given the manifest and what was found (None = absent)."""
    altered = sorted(p for p, h in actual.items() if h is not None and h != expected.get(p))
    missing = sorted(p for p in expected if actual.get(p) is None)
    return altered, missing


def _walk_folder(site_dir: Path) -> tuple[set[str], list[str]]:
    """(regular files, symbolic links) under the folder, as POSIX paths."""
    files, links = set(), []
    for folder, dirs, names in os.walk(site_dir, followlinks=False):
        base = Path(folder)
        for name in dirs + names:
            if (base / name).is_symlink():
                links.append((base / name).relative_to(site_dir).as_posix())
        for name in names:
            path = base / name
            if not path.is_symlink() and path.is_file():
                files.add(path.relative_to(site_dir).as_posix())
    return files, sorted(links)


def _start(manifest: bytes | None, signature: str | None, public_key) -> tuple[
        Verification, dict[str, str] | None]:
    result = Verification()
    if manifest is None:
        result.errors.append(_("no manifest.json — the site was not built by govpub build, "
                               "or the manifest was deleted"))
        return result, None
    result.signature = check_signature(manifest, signature, public_key)
    try:
        expected = parse_manifest(manifest)
    except ManifestFormatError as exc:
        result.errors.append(str(exc))
        return result, None
    safe = {}
    for rel, digest in expected.items():
        try:
            check_relative(rel)
        except UnsafePathError:
            result.errors.append(_("unsafe path in manifest.json: {path!r}").format(
                path=rel[:200]))
            continue
        safe[rel] = digest
    return result, safe


def verify_folder(site_dir: Path, public_key) -> Verification:
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise UsageError(_("not a folder"), path=site_dir,
                         hint=_("pass the built site folder or an http(s):// URL"))
    manifest_path, signature_path = site_dir / MANIFEST, site_dir / SIGNATURE
    manifest = manifest_path.read_bytes() if manifest_path.is_file() else None
    signature = (signature_path.read_text(encoding="ascii", errors="replace")
                 if signature_path.is_file() else None)
    result, expected = _start(manifest, signature, public_key)
    if expected is None:
        return result
    present, links = _walk_folder(site_dir)
    actual: dict[str, str | None] = {}
    for rel in expected:
        actual[rel] = sha256_file(site_dir / rel) if rel in present else None
    result.altered, result.missing = compare(expected, actual)
    result.unexpected = sorted((present - set(expected) - {MANIFEST, SIGNATURE})
                               | set(links))
    result.checked = len(expected)
    return result


def _fetch(client: httpx.Client, url: str) -> tuple[int | None, bytes | None, str | None]:
    """(status, body, error) with a size cap; body only for 200."""
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                return response.status_code, None, None
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    return 200, None, _("larger than the size limit")
                chunks.append(chunk)
            return 200, b"".join(chunks), None
    except httpx.HTTPError as exc:
        return None, None, f"{type(exc).__name__}: {str(exc)[:200]}"


def verify_url(base_url: str, public_key, *, timeout: float = 20.0,
               workers: int = 8) -> Verification:
    base = base_url if base_url.endswith("/") else base_url + "/"
    with httpx.Client(timeout=timeout, follow_redirects=False,
                      headers={"User-Agent": "govpub-verify/0.1"}) as client:
        status, manifest, error = _fetch(client, base + MANIFEST)
        if status != 200:
            result = Verification(unexpected_checked=False)
            result.errors.append(_("cannot fetch {url}: {error}").format(
                url=base + MANIFEST, error=error or f"HTTP {status}"))
            return result
        _status, signature, _error = _fetch(client, base + SIGNATURE)
        result, expected = _start(manifest, signature.decode("ascii", "replace")
                                  if signature is not None else None, public_key)
        result.unexpected_checked = False
        if expected is None:
            return result

        def one(rel: str):
            code, body, problem = _fetch(client, base + quote(rel, safe="/"))
            return rel, code, body, problem

        actual: dict[str, str | None] = {}
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for rel, code, body, problem in pool.map(one, sorted(expected)):
                if body is not None:
                    actual[rel] = hashlib.sha256(body).hexdigest()
                elif code in (404, 410):
                    actual[rel] = None
                else:
                    actual[rel] = expected[rel]  # not judged as altered; reported as an error
                    result.errors.append(f"{rel}: {problem or f'HTTP {code}'}")
        result.altered, result.missing = compare(expected, actual)
        result.checked = len(expected)
        return result


def verify_site(target: str, public_key, *, timeout: float = 20.0) -> Verification:
    """Verify a folder or a URL against its manifest (see the module docstring)."""
    if is_url(target):
        return verify_url(target, public_key, timeout=timeout)
    return verify_folder(Path(target), public_key)
