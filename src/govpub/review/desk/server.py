"""``govpub review desk``: the HTTP server, and when it stops.

A standard-library threading HTTP server on 127.0.0.1, port chosen by the
system. Every request passes :meth:`Door.admit` first; only GET and POST
exist. The server stops when its terminal does — SIGHUP (the terminal
closed), SIGINT (Ctrl+C), SIGTERM — and, when its standard input is a pipe,
when that pipe closes (the program that started it went away).
"""

from __future__ import annotations

import os
import signal
import stat
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from ...errors import GovpubError
from ...i18n import _
from .app import Desk, Response, plain
from .security import COMMON_HEADERS, LOOPBACK, MAX_FORM_BYTES, Door

STOP_SIGNALS = (signal.SIGHUP, signal.SIGINT, signal.SIGTERM)


class DeskServer(ThreadingHTTPServer):
    daemon_threads = True
    desk: Desk
    door: Door


class Handler(BaseHTTPRequestHandler):
    server: DeskServer
    server_version = "govpub-desk"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # the path holds the token: never logged
        pass

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Content-Security-Policy", response.policy)
        if response.policy.startswith("default-src 'none'"):
            self.send_header("X-Frame-Options", "DENY")
        for name, value in (*COMMON_HEADERS, *response.headers):
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _admitted(self) -> str | None:
        rest, refusal = self.server.door.admit(self.command, self.path, self.headers)
        if refusal is not None:
            self._send(plain(refusal.status, refusal.reason))
            return None
        return rest

    def _answer(self, call) -> None:
        """The desk's answer; an error becomes a page, never a traceback with the token."""
        try:
            response = call()
        except GovpubError as exc:
            response = plain(500, str(exc))
        except Exception as exc:  # a bug: say what, not where (the path holds the token)
            response = plain(500, _("internal error: {kind}").format(kind=type(exc).__name__))
        self._send(response)

    def do_GET(self) -> None:
        rest = self._admitted()
        if rest is None:
            return
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        self._answer(lambda: self.server.desk.get(rest, query))

    def do_POST(self) -> None:
        rest = self._admitted()
        if rest is None:
            self.close_connection = True
            return
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            length = -1
        if kind != "application/x-www-form-urlencoded":
            self._send(plain(415, "a form is expected"))
            return
        if not 0 <= length <= MAX_FORM_BYTES:
            self.close_connection = True
            self._send(plain(413, "the form is too large"))
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
        self._answer(lambda: self.server.desk.post(rest, form))

    def _not_allowed(self) -> None:
        if self._admitted() is not None:
            self._send(Response(405, b"", "text/plain; charset=utf-8", [("Allow", "GET, POST")]))

    do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed


def make_server(desk_factory, token: str) -> DeskServer:
    """A server on 127.0.0.1 and a free port; ``desk_factory(door)`` makes its desk."""
    server = DeskServer((LOOPBACK, 0), Handler)
    server.door = Door(server.server_address[1], token)
    server.desk = desk_factory(server.door)
    return server


def _stdin_is_a_pipe() -> bool:
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _watch_stdin(stop: threading.Event, why: dict) -> None:
    """Stop when the pipe on standard input closes (its writer is gone)."""
    try:
        while os.read(sys.stdin.fileno(), 4096):
            pass
    except OSError:
        pass
    why.setdefault("reason", "stdin closed")
    stop.set()


def serve_until_stopped(server: DeskServer, stop: threading.Event | None = None) -> str:
    """Serve until a stop signal, the closing of a piped stdin, or ``stop``; returns why."""
    stop = stop or threading.Event()
    why: dict = {}

    def on_signal(number, _frame):
        why.setdefault("reason", signal.Signals(number).name)
        stop.set()

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for number in STOP_SIGNALS:
            previous[number] = signal.signal(number, on_signal)
    if _stdin_is_a_pipe():
        threading.Thread(target=_watch_stdin, args=(stop, why), daemon=True).start()
    worker = threading.Thread(target=server.serve_forever, daemon=True)
    worker.start()
    try:
        stop.wait()
    finally:
        server.shutdown()
        server.server_close()
        for number, handler in previous.items():
            signal.signal(number, handler)
    return why.get("reason", "stopped")


def open_in_browser(address: str) -> Path | None:
    """Open the desk in the user's browser without putting the token on a command line
    (other users of the machine can read those): the browser opens a private local file
    that forwards to the address. Returns the file, to delete when the desk stops."""
    import tempfile
    import webbrowser
    from html import escape

    folder = Path(tempfile.mkdtemp(prefix="govpub-desk-"))  # mode 0700
    page = folder / "open.html"
    page.write_text(f'<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="refresh" '
                    f'content="0;url={escape(address)}"><a href="{escape(address)}">'
                    f'{escape(address)}</a>\n', encoding="utf-8")
    page.chmod(0o600)
    if not webbrowser.open(page.as_uri()):
        page.unlink()
        folder.rmdir()
        return None
    return page


__all__ = ["DeskServer", "Handler", "make_server", "open_in_browser", "serve_until_stopped"]
