"""The watcher defects found with hostile input, each with the test that caught it.

A server that never answers, alert targets and feed URLs that cannot work,
typo'd keys, wrong charsets, control characters, HTML in titles, mails that
lost their lines, a feed of 5,000 items.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from watch_fixtures import FeedServer, Receiver, free_port, make_repo, rss

from govpub.cli import main

ITEM = {"title": "国务院关于优化营商环境的意见", "guid": "g1",
        "link": "https://www.gov.cn/zhengce/content_1.htm", "date": "2026-11-20 08:00"}
NOW = "2026-11-20T09:00:00+08:00"
#: feeds.yml's own limit on a request; a test that ends long before it did not wait for it
FETCH_TIMEOUT = 300


class SilentServer:
    """Accepts connections, reads the request, and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requested = threading.Event()
        self.held: list[socket.socket] = []
        self.closing = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.closing:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            try:
                chunk = conn.recv(4096)
            except OSError:
                return
            if not chunk:
                return
            data += chunk
        self.requested.set()

    def close(self) -> None:
        self.closing = True
        self.sock.close()
        for conn in self.held:
            conn.close()


def run(repo, *args):
    return main(["--root", str(repo), *args])


@pytest.mark.parametrize("stuck", ["feed", "alert"])
def test_sigterm_stops_the_watcher_whatever_is_in_flight(tmp_path, stuck):
    silent = SilentServer()
    try:
        with FeedServer() as server:
            server.routes["/feed"] = rss([ITEM])
            feed_url = server.url("/feed") if stuck == "alert" else \
                f"http://127.0.0.1:{silent.port}/feed"
            repo = make_repo(tmp_path, [{"id": "central", "url": feed_url, "publisher": "国务院"}],
                             http_port=silent.port, timeout=FETCH_TIMEOUT)
            duty = repo / "site_config" / "duty.yml"  # every target is the silent server,
            duty.write_text(re.sub(  # waited for as long as a request may take
                r'"(json|mailto)://[^"]+"',
                f'"json://127.0.0.1:{silent.port}/day?rto={FETCH_TIMEOUT}&cto={FETCH_TIMEOUT}"',
                duty.read_text()), encoding="utf-8")
            child = subprocess.Popen(
                [sys.executable, "-c", "from govpub.cli import run; run()", "--root", str(repo),
                 "watch", "--now", NOW], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
            try:
                assert "watching 1 feed" in child.stdout.readline()
                assert silent.requested.wait(FETCH_TIMEOUT), "the request never came"
                child.send_signal(signal.SIGTERM)
                # far below the 300 s the request could still take: it was not waited for
                assert child.wait(timeout=FETCH_TIMEOUT / 5) == 0
                assert "stopped" in child.stdout.read()
            finally:
                if child.poll() is None:
                    child.kill()
                    child.wait()
    finally:
        silent.close()


@pytest.mark.parametrize("file, old, new, message", [
    ("duty.yml", 'targets: ["json://127.0.0.1:1/leader', 'targets: ["pigeon://coop/leader',
     "pigeon:// cannot be delivered to"),
    ("duty.yml", 'fallback: ["json://127.0.0.1:1/fallback', 'fallback: ["json://',
     "alert target fallback.0"),
    ("duty.yml", "&from=watch@localhost", "&from=watch", "mailto:// address not usable"),
    ("feeds.yml", '"url": "f.xml"', '"url": "htps://www.gov.cn/rss.xml"', "only http(s)"),
    ("feeds.yml", '"url": "f.xml"', '"url": "http//www.gov.cn/rss.xml"', "mistyped web address"),
    ("feeds.yml", '"url": "f.xml"', '"url": "https://"', "not a usable web address"),
])
def test_targets_and_urls_that_cannot_work_are_refused_at_load(tmp_path, capsys, file, old,
                                                                 new, message):
    repo = make_repo(tmp_path, [{"id": "x", "url": "f.xml", "publisher": "p"}])
    path = repo / "site_config" / file
    text = path.read_text(encoding="utf-8").replace(" url:", ' "url":')
    assert old in text, text
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if new in row)
    assert run(repo, "watch", "--once", "--now", NOW) == 2
    err = capsys.readouterr().err
    assert message in err and f"site_config/{file}:{line}:" in err, err
    assert "Traceback" not in err


def test_a_typo_d_key_is_reported_on_its_own_line(tmp_path, capsys):
    repo = make_repo(tmp_path, [{"id": "x", "url": "f.xml", "publisher": "p",
                                 "includ": ["国务院"]}])
    assert run(repo, "watch", "status") == 2
    err = capsys.readouterr().err
    lines = (repo / "site_config" / "feeds.yml").read_text().splitlines()
    typo = next(n for n, row in enumerate(lines, 1) if "includ" in row)
    assert f"site_config/feeds.yml:{typo}:" in err and "includ" in err


def _feed_with_declaration(body: bytes, declared: str) -> bytes:
    return re.sub(rb'encoding="[^"]+"', f'encoding="{declared}"'.encode(), body, count=1)


@pytest.mark.parametrize("encoding, declared", [
    ("gbk", "utf-8"), ("gb18030", "iso-8859-1"), ("utf-8", "gbk"), ("gb2312", "gb2312")])
def test_a_wrong_declared_charset_never_gives_mojibake(tmp_path, capsys, encoding, declared):
    title = "国务院关于印发“十五五”规划的通知"
    with FeedServer() as server:
        body = _feed_with_declaration(rss([{**ITEM, "title": title}], encoding=encoding),
                                      declared)
        server.routes["/feed"] = {"body": body,
                                  "content_type": f"application/rss+xml; charset={declared}"}
        repo = make_repo(tmp_path, [{"id": "c", "url": server.url("/feed"), "publisher": "p"}])
        run(repo, "watch", "--once", "--now", NOW)
        capsys.readouterr()
        run(repo, "watch", "status", "--format", "json", "--now", NOW)
    [obligation] = json.loads(capsys.readouterr().out)["obligations"]
    assert obligation["title"] == title


def test_undecodable_bytes_are_a_health_error_not_stored(tmp_path, capsys):
    with FeedServer() as server:
        body = rss([ITEM]).replace("国务院".encode(), b"\x80\xff\xfe\x81")
        server.routes["/feed"] = {"body": body, "content_type": "application/rss+xml"}
        repo = make_repo(tmp_path, [{"id": "c", "url": server.url("/feed"), "publisher": "p"}])
        run(repo, "watch", "--once", "--now", NOW)
        out = capsys.readouterr().out
        run(repo, "watch", "status", "--format", "json", "--now", NOW)
    board = json.loads(capsys.readouterr().out)
    assert "neither valid UTF-8 nor GB18030" in out
    assert board["obligations"] == [] and board["feeds"][0]["consecutive_failures"] == 1


class RawMailbox:
    """A real SMTP server (aiosmtpd) keeping each message as it arrived."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.raw: list[bytes] = []
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                mailbox.raw.append(envelope.original_content)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def test_mail_is_escaped_one_line_per_fact_and_free_of_control_characters(tmp_path, capsys):
    hostile = "国务院<img src=x onerror=alert(1)>\x1b[31m通知\r\nBcc: evil@example.com\u202e"
    with FeedServer() as server, RawMailbox() as mailbox:
        server.routes["/feed"] = rss([{**ITEM, "title": hostile.replace("<", "&lt;")}])
        repo = make_repo(tmp_path, [{"id": "c", "url": server.url("/feed"), "publisher": "p"}],
                         smtp_port=mailbox.port)
        assert run(repo, "watch", "--once", "--now", NOW) == 0
        capsys.readouterr()
        run(repo, "watch", "status", "--format", "json", "--now", NOW)
        [raw] = mailbox.raw
    [obligation] = json.loads(capsys.readouterr().out)["obligations"]
    assert obligation["title"] == "国务院<img src=x onerror=alert(1)> [31m通知 Bcc: evil@example.com"
    message = message_from_bytes(raw)
    subject = str(make_header(decode_header(message["Subject"])))
    assert not any(ord(c) < 32 or c == "\u202e" for c in subject)
    assert message["Bcc"] is None
    parts = {part.get_content_type(): part.get_payload(decode=True).decode("utf-8")
             for part in message.walk() if part.get_content_maintype() == "text"}
    assert "<img" not in parts["text/html"] and "&lt;img src=x onerror=alert(1)&gt;" in \
        parts["text/html"]
    lines = parts["text/plain"].replace("\r\n", "\n").split("\n")
    assert lines[0] == obligation["title"]
    assert "Deadline: 2026-11-20 20:00 CST" in lines and "Time left: 11 h 00 min" in lines
    assert "Start the reproduction:  govpub reproduce 1" in lines or \
        any(line.startswith("Start the reproduction:") for line in lines)


def test_a_feed_over_the_item_limit_is_reported_not_cut_silently(tmp_path, capsys):
    items = [{"title": f"国务院关于第{i}号事项的通知", "guid": f"g{i}",
              "link": f"https://www.gov.cn/c_{i}.htm", "date": "2026-11-18 08:00"}  # history
             for i in range(5000)]
    with FeedServer() as server, Receiver() as receiver:
        server.routes["/feed"] = rss(items)
        repo = make_repo(tmp_path, [{"id": "big", "url": server.url("/feed"), "publisher": "p"}],
                         http_port=receiver.port, max_bytes=5_000_000)
        duty = repo / "site_config" / "duty.yml"
        duty.write_text(re.sub(r"mailto://[^\"]+", f"json://127.0.0.1:{receiver.port}/day",
                               duty.read_text()), encoding="utf-8")
        _code = run(repo, "watch", "--once", "--now", NOW)
        out = capsys.readouterr().out
        assert "feed big: 5000 items, over the limit of 1000" in out
        run(repo, "watch", "--once", "--now", "2026-11-20T09:30:00+08:00")
        capsys.readouterr()
        run(repo, "watch", "status", "--now", "2026-11-20T09:30:00+08:00")
        board = capsys.readouterr().out
    warnings = [t for t in receiver.titles("/day") if "over its limit" in t]
    assert warnings == ["[govpub] Feed big has 5000 items, over its limit of 1000"]   # once
    assert "OVER THE ITEM LIMIT: 5000 items listed" in board
