"""Fetching a feed without trusting the server.

* httpx with connect/read timeouts **and** an overall deadline (a server
  that trickles one byte a second is cut off too);
* a size cap on the body, counted on the wire **and** after decompression:
  we decode gzip/deflate ourselves with a bounded ``max_length`` so a gzip
  bomb never expands in memory;
* at most ``max_redirects`` redirects (a loop is an error, not a hang);
* conditional requests: ``If-None-Match`` / ``If-Modified-Since``; a 304 is a
  successful poll with nothing new;
* a User-Agent that says who is asking;
* ``file://`` URLs and plain paths (relative to the repository root) are read
  from disk with the same cap; the file's mtime stands in for Last-Modified.

Every failure is a :class:`FetchResult` with ``error`` set; nothing raises.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from ..i18n import _

_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, "
           "text/xml;q=0.9, */*;q=0.1")


@dataclass
class FetchResult:
    url: str
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    status: int | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class _TooBig(Exception):
    pass


class _Decoder:
    """Bounded gzip/deflate decoding: never produces more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        self.limit = limit
        self.out = bytearray()
        if encoding in ("", "identity"):
            self.zlib = None
        elif encoding in ("gzip", "x-gzip"):
            self.zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.zlib = zlib.decompressobj()
        else:
            raise ValueError(_("unsupported Content-Encoding {encoding!r}").format(encoding=encoding))

    def feed(self, chunk: bytes) -> None:
        if self.zlib is None:
            self._add(chunk)
            return
        data = chunk
        while data:
            room = self.limit - len(self.out) + 1
            self._add(self.zlib.decompress(data, room))
            data = self.zlib.unconsumed_tail

    def _add(self, data: bytes) -> None:
        self.out += data
        if len(self.out) > self.limit:
            raise _TooBig

    def finish(self) -> bytes:
        if self.zlib is not None:
            self._add(self.zlib.flush())
        return bytes(self.out)


def make_client(user_agent: str, timeout: float, max_redirects: int) -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": user_agent, "Accept": _ACCEPT,
                 "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        follow_redirects=True, max_redirects=max_redirects, trust_env=False)


def _local_path(url: str, root: Path) -> Path | None:
    if url.startswith("file://"):
        return Path(unquote(urlsplit(url).path))
    if "://" in url:
        return None
    path = Path(url)
    return path if path.is_absolute() else root / path


def fetch_file(path: Path, url: str, max_bytes: int, last_modified: str | None) -> FetchResult:
    result = FetchResult(url=url)
    try:
        stat = path.stat()
        if not path.is_file():
            result.error = _("not a regular file")
            return result
        stamp = formatdate(stat.st_mtime, usegmt=True) + f" ({stat.st_size})"
        result.last_modified = stamp
        if last_modified == stamp:
            result.not_modified = True
            return result
        if stat.st_size > max_bytes:
            result.error = _("file is {size} bytes, over the {cap} byte cap").format(
                size=stat.st_size, cap=max_bytes)
            return result
        with open(path, "rb") as handle:
            result.body = handle.read(max_bytes + 1)
        if len(result.body) > max_bytes:
            result.error = _("file is over the {cap} byte cap").format(cap=max_bytes)
            result.body = b""
    except OSError as exc:
        result.error = _("cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
    return result


def fetch(client: httpx.Client | None, url: str, *, root: Path, max_bytes: int,
          timeout: float, etag: str | None = None,
          last_modified: str | None = None) -> FetchResult:
    """Fetch ``url`` (http(s), file:// or a path); never raises."""
    local = _local_path(url, root)
    if local is not None:
        return fetch_file(local, url, max_bytes, last_modified)
    if not url.startswith(("http://", "https://")):
        return FetchResult(url=url, error=_("only http(s) URLs, file:// URLs and paths are read"))
    result = FetchResult(url=url)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    try:
        with client.stream("GET", url, headers=headers) as response:
            result.status = response.status_code
            result.headers = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code == 304:
                result.not_modified = True
                result.etag = etag
                result.last_modified = last_modified
                return result
            if response.status_code >= 400:
                result.error = f"HTTP {response.status_code}"
                return result
            if response.status_code != 200:
                result.error = _("unexpected HTTP {status}").format(status=response.status_code)
                return result
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes * 4:
                result.error = _("body of {size} bytes declared, over the {cap} byte cap").format(
                    size=declared, cap=max_bytes)
                return result
            decoder = _Decoder(response.headers.get("content-encoding", ""), max_bytes)
            wire = 0
            for chunk in response.iter_raw():
                wire += len(chunk)
                if wire > max_bytes:
                    raise _TooBig
                decoder.feed(chunk)
                if time.monotonic() - started > timeout:
                    result.error = _("timed out after {seconds:g} s (server too slow)").format(
                        seconds=timeout)
                    return result
            result.body = decoder.finish()
            result.etag = response.headers.get("etag")
            result.last_modified = response.headers.get("last-modified")
    except _TooBig:
        result.error = _("body over the {cap} byte cap (after decompression)").format(cap=max_bytes)
        result.body = b""
    except httpx.TooManyRedirects:
        result.error = _("too many redirects (a redirect loop?)")
    except httpx.TimeoutException:
        result.error = _("timed out after {seconds:g} s").format(seconds=timeout)
    except (httpx.HTTPError, zlib.error, ValueError, OSError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:300]
    return result
