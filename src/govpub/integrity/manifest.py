"""Tamper evidence: a signed ``manifest.json`` of every file in the built site.

For the build (the last post-build stage)::

    from govpub.integrity.manifest import write_manifest, signing_key_for
    write_manifest(site_dir, key=signing_key_for(policy))

``write_manifest(site_dir, key=None) -> Path`` writes ``site_dir/manifest.json``
— ``{"version": 1, "algorithm": "sha256", "files": {"<posix path>": "<hex>"}}``,
every regular file except the manifest and its signature, keys sorted, no
timestamp, so the same site always gives the same bytes. With a key (a path
to an Ed25519 private key — OpenSSH ``ssh-keygen -t ed25519`` or PEM PKCS#8 —
or an ``Ed25519PrivateKey``) it also writes ``manifest.json.sig``: the
base64 Ed25519 signature of the exact bytes of ``manifest.json``.

One choice, documented: signatures use the ``cryptography`` package's
Ed25519 (no ``ssh-keygen -Y`` subprocess, works the same on every platform);
keys may still be made with ``ssh-keygen``. The public key lives in the
repository at ``site_config/manifest-key.pub`` (OpenSSH one-line or PEM);
the private key comes from ``GOVPUB_SIGNING_KEY`` or ``site.yml``
``signing_key`` and must lie outside the repository.

A symbolic link inside the site folder is refused: it could make the
manifest vouch for a file outside the site.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import BuildError, ConfigError
from ..i18n import _

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
PUBLIC_KEY = "site_config/manifest-key.pub"
KEY_ENV = "GOVPUB_SIGNING_KEY"
_CHUNK = 1 << 20


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def site_entries(site_dir: Path | str) -> list[tuple[str, str]]:
    """Every regular file under ``site_dir`` as (POSIX path, file system path), sorted by
    the POSIX path; links are refused.

    One ``scandir`` per folder (its entries know whether they are links): a
    site of 10,000 pages has 22,000 entries, and one more system call each
    was a second of an incremental build. Plain strings: a ``Path`` per file
    cost more than the walk.
    """
    out = []
    pending = [("", os.fspath(site_dir))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise BuildError(
                        _("symbolic link in the built site: {path}").format(path=entry.path),
                        hint=_("the renderer must copy files, not link them"))
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((rel + "/", entry.path))
                elif rel != MANIFEST and rel != SIGNATURE:
                    out.append((rel, entry.path))
    out.sort()
    return out


def site_files(site_dir: Path | str) -> list[str]:
    """Every regular file under ``site_dir`` as a sorted POSIX path; links are refused."""
    return [rel for rel, _path in site_entries(site_dir)]


def manifest_bytes(hashes: dict[str, str]) -> bytes:
    """Pure: the canonical bytes of a manifest for these file hashes.

    Those of ``json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)``: with
    ``indent`` json takes its pure-Python encoder (a tenth of a second at 25,000 files),
    so the file table is encoded by the C encoder, one entry a line, and framed here.
    """
    if not hashes:
        table = "{}"
    else:
        table = json.dumps(hashes, ensure_ascii=False, sort_keys=True,
                           separators=(",\n  ", ": "))
        table = "{\n  " + table[1:-1] + "\n }"
    return ('{\n "algorithm": "sha256",\n "files": ' + table + ',\n "version": 1\n}\n').encode()


def load_private_key(key) -> Ed25519PrivateKey:
    if isinstance(key, Ed25519PrivateKey):
        return key
    path = Path(key)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(_("cannot read the signing key: {error}").format(
            error=exc.strerror or exc), path=path,
            hint=_("set {variable} or site.yml signing_key to an Ed25519 key").format(
                variable=KEY_ENV)) from None
    try:
        if b"OPENSSH PRIVATE KEY" in raw:
            loaded = serialization.load_ssh_private_key(raw, password=None)
        else:
            loaded = serialization.load_pem_private_key(raw, password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(_("not a readable unencrypted private key ({error})").format(
            error=exc), path=path, hint=_("make one with: {command}").format(
                command="ssh-keygen -t ed25519 -N '' -f KEYFILE")) from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ConfigError(_("the signing key is not an Ed25519 key"), path=path,
                          hint=_("make one with: {command}").format(
                              command="ssh-keygen -t ed25519 -N '' -f KEYFILE"))
    return loaded


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        raw = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(_("cannot read the public key: {error}").format(
            error=exc.strerror or exc), path=path) from None
    try:
        loaded = (serialization.load_ssh_public_key(raw) if raw.startswith(b"ssh-")
                  else serialization.load_pem_public_key(raw))
    except (ValueError, TypeError, IndexError) as exc:
        raise ConfigError(_("not a readable public key ({error})").format(error=exc), path=path,
                          hint=_("use the .pub file made by ssh-keygen -t ed25519")) from None
    if not isinstance(loaded, Ed25519PublicKey):
        raise ConfigError(_("the public key is not an Ed25519 key"), path=path)
    return loaded


def public_key_line(key: Ed25519PrivateKey, comment: str = "govpub-manifest") -> str:
    """The OpenSSH one-line public key to put in ``site_config/manifest-key.pub``."""
    raw = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                        serialization.PublicFormat.OpenSSH)
    return raw.decode("ascii") + f" {comment}\n"


def signing_key_for(policy) -> Path | None:
    """The configured private key path (env first), refused when inside the repository."""
    configured = os.environ.get(KEY_ENV) or policy.site.get("signing_key")
    if not configured:
        return None
    path = Path(configured).expanduser()
    if not path.is_absolute():
        path = policy.root / path
    if path.resolve().is_relative_to(Path(policy.root).resolve()):
        raise ConfigError(_("the manifest signing key is inside the repository"), path=path,
                          hint=_("move it outside (e.g. /etc/govpub/manifest-key) and point "
                                 "{variable} or site.yml signing_key at it").format(
                                     variable=KEY_ENV))
    return path


def write_manifest(site_dir: Path | str, key=None, *, digest_of=None) -> Path:
    """Write ``manifest.json`` (and ``manifest.json.sig`` when ``key`` is given).

    ``digest_of(rel, path)``: the hex SHA-256 of one file (``path`` a string), when the
    caller can answer faster than hashing (an incremental build knows its unchanged files).
    """
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise BuildError(_("site folder does not exist"), path=site_dir)
    digest_of = digest_of or (lambda _rel, path: sha256_file(path))
    hashes = {rel: digest_of(rel, path) for rel, path in site_entries(site_dir)}
    data = manifest_bytes(hashes)
    target = site_dir / MANIFEST
    target.write_bytes(data)
    signature_path = site_dir / SIGNATURE
    if key is not None:
        signature = load_private_key(key).sign(data)
        signature_path.write_text(base64.b64encode(signature).decode("ascii") + "\n",
                                  encoding="ascii")
    elif signature_path.exists():
        signature_path.unlink()  # a stale signature would vouch for an old manifest
    return target


@dataclass
class Verification:
    """What ``govpub verify`` found."""

    checked: int = 0
    signature: str = "missing"  # good | bad | missing | unchecked (no public key)
    altered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    unexpected_checked: bool = True  # False for URLs: a web server cannot list its files
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.signature in ("good", "unchecked") and not self.altered
                and not self.missing and not self.unexpected and not self.errors)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "checked": self.checked, "signature": self.signature,
                "altered": self.altered, "missing": self.missing,
                "unexpected": self.unexpected if self.unexpected_checked else None,
                "errors": self.errors}


def check_signature(data: bytes, signature_text: str | None,
                    public_key: Ed25519PublicKey | None) -> str:
    """Pure: ``good``, ``bad``, ``missing`` or ``unchecked`` (no public key configured)."""
    if public_key is None:
        return "unchecked"
    if signature_text is None:
        return "missing"
    try:
        public_key.verify(base64.b64decode(signature_text.strip(), validate=True), data)
    except (InvalidSignature, ValueError):
        return "bad"
    return "good"


class ManifestFormatError(ValueError):
    pass


def parse_manifest(data: bytes) -> dict[str, str]:
    """The file table of a manifest; hostile input gives ManifestFormatError."""
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestFormatError(_("manifest.json is not valid JSON ({error})").format(
            error=exc)) from None
    files = parsed.get("files") if isinstance(parsed, dict) else None
    if not isinstance(files, dict) or parsed.get("algorithm") != "sha256" or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) == 64 for k, v in files.items()):
        raise ManifestFormatError(_("manifest.json does not have the expected shape "
                                    "({shape})").format(
            shape="{version, algorithm: sha256, files: {path: hex}}"))
    return files
