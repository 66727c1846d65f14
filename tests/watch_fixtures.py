"""Real local servers for the watcher tests: a feed server, an SMTP server, an HTTP receiver.

All bind 127.0.0.1 on a free port and stop themselves at the end of the test.
"""

from __future__ import annotations

import contextlib
import functools
import json
import socket
import struct
import sys
import threading
import zlib
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from patience import PATIENT_SECONDS

#: apprise's time limits raised to PATIENT_SECONDS (its own: 4 s for HTTP, 15 s for SMTP)
PATIENT_TARGET = f"rto={PATIENT_SECONDS}&cto={PATIENT_SECONDS}"

FEEDS_YML = """\
timezone: Asia/Shanghai
state: {state}
timeout_seconds: {timeout}
max_bytes: {max_bytes}
max_redirects: 3
poll_minutes: 1
site:
  path: {site}
health:
  max_failures: 2
  blind_after_minutes: 30
feeds:
{feeds}
"""

DUTY_YML = """\
timezone: Asia/Shanghai
people:
  duty-mail:
    name: 值班员甲
    targets: ["mailto://localhost:{smtp_port}?smtp=127.0.0.1&mode=insecure&from=watch@localhost&to=duty@localhost&{patient}"]
  duty-hook:
    name: 值班员乙
    targets: ["json://127.0.0.1:{http_port}/duty?{patient}"]
  leader:
    name: 主任
    targets: ["json://127.0.0.1:{http_port}/leader?{patient}"]
rotation:
  - person: duty-mail
    days: [mon, tue, wed, thu, fri]
    from: "08:00"
    to: "20:00"
  - person: duty-hook
    days: [mon, tue, wed, thu, fri]
    from: "20:00"
    to: "08:00"
fallback: ["json://127.0.0.1:{http_port}/fallback?{patient}"]
leaders: [leader]
reminders_hours: [6, 2]
overdue_every_minutes: 60
retry_minutes: 1
"""


@functools.lru_cache(maxsize=4)
def gzip_zeros(size: int) -> bytes:
    """A gzip member of ``size`` zero bytes (a multiple of 1 MiB), made in milliseconds.

    One MiB of zeros is deflated once and ended with a full flush (byte-aligned,
    no reference to earlier data), so the same bytes can be repeated; then a
    final empty block and the gzip trailer (CRC-32 and length of the whole).
    """
    piece = bytes(1 << 20)
    assert size % len(piece) == 0, "a whole number of MiB"
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate
    segment = packer.compress(piece) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // len(piece)):
        crc = zlib.crc32(piece, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    final_empty_block = b"\x03\x00"
    return (header + segment * (size // len(piece)) + final_empty_block
            + struct.pack("<II", crc, size & 0xFFFFFFFF))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops concurrent connects (1 s SYN retry)

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a client hanging up is no error


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss(items, encoding: str = "utf-8", title: str = "中国政府网") -> bytes:
    """An RSS 2.0 document; items are dicts with title, link, guid, date, category."""
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>',
             '<rss version="2.0"><channel>', f"<title>{title}</title>",
             "<link>https://www.gov.cn/</link><description>d</description>"]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{item['title']}</title>")
        if item.get("link"):
            parts.append(f"<link>{item['link']}</link>")
        if item.get("guid"):
            parts.append(f'<guid isPermaLink="false">{item["guid"]}</guid>')
        if item.get("category"):
            parts.append(f"<category>{item['category']}</category>")
        if item.get("date"):
            parts.append(f"<pubDate>{item['date']}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode(encoding)


def atom(items) -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom"><title>国务院</title>',
             "<id>urn:x</id><updated>2026-11-20T00:00:00Z</updated>"]
    for item in items:
        parts.append(f"<entry><title>{item['title']}</title>"
                     f"<id>{item.get('guid') or item['link']}</id>"
                     f'<link href="{item["link"]}"/>'
                     + (f"<published>{item['date']}</published>" if item.get("date") else "")
                     + "</entry>")
    parts.append("</feed>")
    return "\n".join(parts).encode()


class FeedServer:
    """Serves ``routes[path]``: bytes, or a dict describing a behaviour.

    Behaviours: ``{"body": b, "etag": "x", "content_type": ..}``, ``{"status": 500}``,
    ``{"redirect": "/other"}``, ``{"truncate": b}`` (declares more than it sends),
    ``{"big": n}`` (n bytes), ``{"gzip_bomb": n}`` (n zero bytes gzipped, compressed
    once and served at full speed), ``{"trickle": True}`` (a byte every 50 ms, never
    finishing until the server stops). Requests are counted per path.
    """

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.stopping = threading.Event()
        self.hits: dict[str, int] = {}
        self.conditional: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else delayed ACKs add 40 ms per request

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                server.conditional.append((self.path, self.headers.get("If-None-Match")))
                server.user_agent = self.headers.get("User-Agent")
                spec = server.routes.get(self.path)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server.respond(self, spec)

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def respond(self, handler, spec) -> None:
        if spec is None:
            handler.send_response(404)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if isinstance(spec, bytes):
            spec = {"body": spec}
        if "status" in spec:
            body = spec.get("body", b"error")
            handler.send_response(spec["status"])
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return
        if "redirect" in spec:
            handler.send_response(302)
            handler.send_header("Location", spec["redirect"])
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if "etag" in spec and handler.headers.get("If-None-Match") == spec["etag"]:
            handler.send_response(304)
            handler.send_header("ETag", spec["etag"])
            handler.end_headers()
            return
        if "truncate" in spec:
            body = spec["truncate"]
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Content-Length", str(len(body) * 2))
            handler.end_headers()
            handler.wfile.write(body)
            handler.wfile.flush()
            handler.close_connection = True
            return
        if "big" in spec:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            chunk = b"<item>" + b"x" * 65530
            sent = 0
            while sent < spec["big"]:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            handler.wfile.write(b"0\r\n\r\n")
            return
        if "gzip_bomb" in spec:
            body = gzip_zeros(spec["gzip_bomb"])
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Content-Encoding", "gzip")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return
        if "trickle" in spec:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            while not self.stopping.wait(0.05):  # until the client hangs up or we stop
                handler.wfile.write(b"1\r\n \r\n")
                handler.wfile.flush()
            handler.close_connection = True
            return
        body = spec["body"]
        handler.send_response(200)
        handler.send_header("Content-Type", spec.get("content_type", "application/rss+xml"))
        if "etag" in spec:
            handler.send_header("ETag", spec["etag"])
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class Receiver:
    """A local HTTP webhook receiver (apprise ``json://``); can be told to fail."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict]] = []
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if receiver.fail_next > 0:
                    receiver.fail_next -= 1
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                try:
                    payload = json.loads(raw)
                except ValueError:
                    payload = {"raw": raw.decode("utf-8", "replace")}
                receiver.received.append((self.path, payload))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def titles(self, path: str | None = None) -> list[str]:
        return [p.get("title", "") for where, p in self.received if path in (None, where)]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class Mailbox:
    """A real SMTP server (aiosmtpd) collecting (recipients, subject, body)."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[tuple[list[str], str, str]] = []
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                message = message_from_bytes(envelope.original_content)
                subject = str(make_header(decode_header(message["Subject"] or "")))
                payload = message.get_payload(decode=True) if not message.is_multipart() else \
                    message.get_payload(0).get_payload(decode=True)
                mailbox.messages.append((list(envelope.rcpt_tos), subject,
                                         (payload or b"").decode("utf-8", "replace")))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port,
                                     ready_timeout=PATIENT_SECONDS)  # its own: 5 s

    def subjects(self) -> list[str]:
        return [subject for _, subject, _ in self.messages]

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def make_repo(tmp: Path, feeds: list[dict], *, smtp_port: int = 1, http_port: int = 1,
              timeout: float = PATIENT_SECONDS, max_bytes: int = 2_000_000,
              site: str = "site") -> Path:
    """A site repository with feeds.yml and duty.yml; feeds are dicts of feed keys."""
    (tmp / "site_config").mkdir(parents=True, exist_ok=True)
    lines = []
    for feed in feeds:
        lines.append(f"  - id: {feed['id']}")
        for key, value in feed.items():
            if key != "id":
                lines.append(f"    {key}: {json.dumps(value, ensure_ascii=False)}")
    (tmp / "site_config" / "feeds.yml").write_text(FEEDS_YML.format(
        state=".govpub/watch.sqlite3", timeout=timeout, max_bytes=max_bytes, site=site,
        feeds="\n".join(lines)), encoding="utf-8")
    (tmp / "site_config" / "duty.yml").write_text(
        DUTY_YML.format(smtp_port=smtp_port, http_port=http_port, patient=PATIENT_TARGET),
        encoding="utf-8")
    return tmp


#: duty.yml for failover runs: one person on duty all week, every alert to one webhook
#: receiver (``/duty``, the fallback ``/fallback``), whatever the time of the run
DUTY_ALL_WEEK = """\
timezone: Asia/Shanghai
people:
  duty:
    name: 值班员
    targets: ["json://127.0.0.1:{port}/duty"]
rotation:
  - person: duty
    days: [mon, tue, wed, thu, fri, sat, sun]
fallback: ["json://127.0.0.1:{port}/fallback"]
"""


def failover_settings(repo: Path, port: int, *, poll_minutes: float, lease_seconds: float,
                      check_seconds: float) -> None:
    """Turn ``make_repo``'s repository into one for watchers taking over from each other:
    a faster poll, a lease, and DUTY_ALL_WEEK on the receiver at ``port``
    (tests/test_watch_postgres.py and bench/bench_failover.py)."""
    feeds = repo / "site_config" / "feeds.yml"
    feeds.write_text(feeds.read_text(encoding="utf-8").replace(
        "poll_minutes: 1", f"poll_minutes: {poll_minutes}")
        + f"lease:\n  seconds: {lease_seconds}\n  check_seconds: {check_seconds}\n",
        encoding="utf-8")
    (repo / "site_config" / "duty.yml").write_text(DUTY_ALL_WEEK.format(port=port),
                                                   encoding="utf-8")


def write_reproductions(site: Path, items: list[dict]) -> None:
    (site / "api").mkdir(parents=True, exist_ok=True)
    (site / "api" / "reproductions.json").write_text(
        json.dumps({"generated": "2026-11-20T00:00:00+08:00", "items": items},
                   ensure_ascii=False), encoding="utf-8")
