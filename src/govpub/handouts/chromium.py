"""Chromium's print-to-PDF, driven over the DevTools protocol on a pipe.

Chosen over WeasyPrint after measuring both (docs/open-data.md,
bench/bench_opendata.py): Chromium is already needed for the browser tests
and prints Chinese with the system fonts exactly as a browser prints the
page; WeasyPrint would add a Python dependency tree and Pango to the build.

One headless Chromium per worker prints many handouts
(``--remote-debugging-pipe``: commands on fd 3, replies on fd 4, no network
port is opened), so the ~2 s browser start is paid once per worker, not per
PDF. Each browser has a throw-away profile and no background network use;
the HTML is a local file that loads nothing (its CSP forbids it).

Chromium writes the wall-clock time and per-process DOM node numbers into
its PDFs; :func:`normalise_pdf` replaces both (same length, so the xref table
stays valid), so the same page always gives the same bytes.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import BuildError
from ..i18n import _

ENV_BINARY = "GOVPUB_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 60
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--disable-extensions", "--no-default-browser-check")
PRINT_OPTIONS = {"printBackground": True, "preferCSSPageSize": True,
                 "displayHeaderFooter": False, "generateTaggedPDF": True}
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}\+00'00'\)")
_NODE_ID = re.compile(rb"\(node(\d{8})\)")


@dataclass(frozen=True)
class Job:
    html: str
    output: Path
    moment: datetime  # written as the PDF's dates, so the same page gives the same bytes


def find_chromium() -> str | None:
    """The Chromium binary: $GOVPUB_CHROMIUM, else the first candidate on PATH."""
    configured = os.environ.get(ENV_BINARY)
    if configured:
        return configured if Path(configured).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def fix_dates(pdf: bytes, moment: datetime) -> bytes:
    """Replace Chromium's wall-clock dates with the content time (same length)."""
    stamp = moment.astimezone(UTC).strftime("%Y%m%d%H%M%S").encode()
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + stamp + b"+00'00')", pdf)


def normalise_pdf(pdf: bytes, moment: datetime) -> bytes:
    """Content dates, and structure-element ids renumbered 1… in their original order."""
    pdf = fix_dates(pdf, moment)
    numbers = sorted({int(n) for n in _NODE_ID.findall(pdf)})
    if not numbers or numbers[-1] >= 10**8 or len(numbers) >= 10**8:
        return pdf
    renumber = {n: i for i, n in enumerate(numbers, start=1)}
    return _NODE_ID.sub(lambda m: b"(node%08d)" % renumber[int(m.group(1))], pdf)


#: forks happen one at a time (preexec_fn runs in the child between fork and exec)
_START_LOCK = threading.Lock()


class ChromiumExited(BuildError):
    """Chromium closed its end of the DevTools pipe: the process is gone."""


class Browser:
    """One headless Chromium, spoken to over the DevTools pipe."""

    def __init__(self, binary: str, work_dir: Path) -> None:
        self.binary = binary
        self.work_dir = work_dir
        self._buffer = b""
        self._next_id = 0
        self._session: str | None = None
        self._stderr = open(work_dir / "chromium.log", "wb")  # noqa: SIM115 - closed in close()
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def wire_pipes() -> None:  # in the child: Chromium expects fds 3 and 4
            a, b = os.dup(commands_read), os.dup(replies_write)
            os.dup2(a, 3)
            os.dup2(b, 4)

        try:
            with _START_LOCK:
                self._process = subprocess.Popen(
                    [binary, *FLAGS, f"--user-data-dir={work_dir / 'profile'}", "about:blank"],
                    preexec_fn=wire_pipes, close_fds=False, stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=self._stderr)
        except OSError as exc:
            for fd in (self._commands, self._replies):
                os.close(fd)
            self._stderr.close()
            raise BuildError(_("cannot run Chromium ({binary}): {error}").format(
                binary=binary, error=exc.strerror),
                hint=_("install chromium or set {variable}").format(variable=ENV_BINARY)) \
                from None
        finally:
            os.close(commands_read)
            os.close(replies_write)
        try:
            target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self._call("Target.attachToTarget",
                                       {"targetId": target, "flatten": True})["sessionId"]
            self._call("Page.enable", session=True)
        except BaseException:
            self.close()
            raise

    def _failure(self, what: str) -> ChromiumExited:
        self._stderr.flush()
        log = (self.work_dir / "chromium.log").read_bytes().decode("utf-8", "replace")
        lines = [line for line in log.splitlines() if "dbus" not in line.lower()]
        tail = lines[-1][:200] if lines else "no message"
        return ChromiumExited(_("Chromium failed while {step}: {error}").format(step=what,
                                                                                 error=tail),
                              hint=_("check the Chromium install ({binary})").format(
                                  binary=self.binary))

    def _send(self, method: str, params: dict | None, session: bool) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        try:
            os.write(self._commands, json.dumps(message).encode() + b"\0")
        except OSError:
            raise self._failure(f"sending {method}") from None
        return self._next_id

    def _wait(self, wanted, what: str) -> dict:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if wanted(message):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BuildError(_("Chromium took over {seconds} s {step}").format(
                    seconds=TIMEOUT_SECONDS, step=what), hint=_("check the machine's load"))
            ready, _writable, _failed = select.select([self._replies], [], [], remaining)
            if ready:
                chunk = os.read(self._replies, 1 << 20)
                if not chunk:
                    raise self._failure(what)
                self._buffer += chunk

    def _call(self, method: str, params: dict | None = None, *, session: bool = False) -> dict:
        number = self._send(method, params, session)
        reply = self._wait(lambda m: m.get("id") == number, f"answering {method}")
        if "error" in reply:
            raise BuildError(_("Chromium refused {method}: {error}").format(
                method=method, error=reply["error"].get("message")))
        return reply.get("result", {})

    def print_pdf(self, html_file: Path) -> bytes:
        result = self._call("Page.navigate", {"url": html_file.as_uri()}, session=True)
        if result.get("errorText"):
            raise BuildError(_("Chromium could not open the handout: {error}").format(
                error=result["errorText"]))
        self._wait(lambda m: m.get("method") == "Page.loadEventFired"
                   and m.get("sessionId") == self._session, "loading a handout")
        data = self._call("Page.printToPDF", PRINT_OPTIONS, session=True)["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        try:
            if self._process.poll() is None:
                self._send("Browser.close", None, False)
                self._process.wait(timeout=10)
        except (BuildError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()
        finally:
            os.close(self._commands)
            os.close(self._replies)
            self._stderr.close()


def started(binary: str, work_dir: Path) -> Browser:
    """A Chromium answering commands, with its profile and log in ``work_dir``.

    One that exits before its first answer is started once more, with a fresh
    profile: under a heavy load (the test suite on both cores beside Chromium's
    own processes) a start died that way with nothing in its log, and failed a
    build that a second start completes. A second failure is the build's error,
    with Chromium's last message.
    """
    first, again = work_dir / "first", work_dir / "again"
    first.mkdir(parents=True, exist_ok=True)
    try:
        return Browser(binary, first)
    except ChromiumExited:
        again.mkdir(parents=True, exist_ok=True)
        return Browser(binary, again)


def _print_share(binary: str, jobs: list[Job]) -> None:
    with tempfile.TemporaryDirectory(prefix="govpub-handouts-") as tmp:
        browser = None
        try:
            browser = started(binary, Path(tmp))
            for number, job in enumerate(jobs):
                source = Path(tmp) / f"handout-{number}.html"
                source.write_text(job.html, encoding="utf-8")
                pdf = normalise_pdf(browser.print_pdf(source), job.moment)
                job.output.parent.mkdir(parents=True, exist_ok=True)
                partial = job.output.with_name(job.output.name + ".tmp")
                partial.write_bytes(pdf)
                partial.replace(job.output)
        finally:
            if browser is not None:
                browser.close()


def render_pdfs(binary: str, jobs: list[Job], workers: int | None = None) -> None:
    """Print every job with ``workers`` browsers; raises BuildError on the first failure."""
    if not jobs:
        return
    workers = max(1, min(len(jobs), workers or os.cpu_count() or 1))
    shares = [jobs[i::workers] for i in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(_print_share, binary, share) for share in shares]:
            future.result()
