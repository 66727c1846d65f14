"""DingTalk and WeCom bots: a message counts as delivered only when the bot says errcode 0.

The bots answer HTTP 200 when they refuse a message; through apprise such a
refusal counted as delivered (this file's outbox test failed before
govpub.watch.bots). A real local HTTP server plays the bot API.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest

from govpub.watch.alerts import Outbox, apprise_sender
from govpub.watch.bots import bot_request, refusal
from govpub.watch.store import Store

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


class BotApi:
    """A bot API on 127.0.0.1 that answers with the queued JSON bodies (then errcode 0)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict, dict]] = []
        self.answers: list[tuple[int, bytes]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = urllib.parse.urlsplit(self.path)
                api.requests.append((url.path, dict(urllib.parse.parse_qsl(url.query)),
                                     json.loads(raw)))
                status, body = api.answers.pop(0) if api.answers else \
                    (200, b'{"errcode":0,"errmsg":"ok"}')
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/robot/send"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def api(monkeypatch):
    with BotApi() as bot_api:
        monkeypatch.setenv("GOVPUB_DINGTALK_API", bot_api.url)
        monkeypatch.setenv("GOVPUB_WECOM_API", bot_api.url)
        monkeypatch.setenv("GOVPUB_FEISHU_API", bot_api.url)
        monkeypatch.setenv("GOVPUB_LARK_API", bot_api.url)
        yield bot_api


def test_a_refused_message_is_not_delivered_and_is_retried(tmp_path, api):
    store = Store(tmp_path / "state.sqlite3")
    try:
        outbox = Outbox(store, retry=timedelta(minutes=5))
        outbox.enqueue("obligation:1:due", "国务院文件待转载", "12 小时内转载", ["dingtalk://tok"], NOW)
        api.answers.append((200, b'{"errcode":310000,"errmsg":"keywords not in content"}'))
        [(_key, ok, error)] = outbox.deliver(NOW)
        assert not ok and "errcode 310000" in error and "keywords not in content" in error
        [(_key, ok, _error)] = outbox.deliver(NOW + timedelta(minutes=5))
        assert ok
        assert len(api.requests) == 2
    finally:
        store.close()


def test_dingtalk_signed_message_with_mentions(api):
    assert apprise_sender("dingtalk://SECabc@Tok3n/13800000000", "标题", "正文") is None
    [(path, query, payload)] = api.requests
    assert path == "/robot/send" and query["access_token"] == "Tok3n"  # case kept
    expected = base64.b64encode(hmac.new(b"SECabc", f"{query['timestamp']}\nSECabc".encode(),
                                         hashlib.sha256).digest()).decode()
    assert query["sign"] == expected
    assert payload == {"msgtype": "text", "text": {"content": "标题\n正文"},
                       "at": {"atMobiles": ["13800000000"]}}


def test_wecom_bot_message(api):
    assert apprise_sender("wecombot://Key-1", "标题", "正文") is None
    [(_path, query, payload)] = api.requests
    assert query == {"key": "Key-1"} and payload["text"]["content"] == "标题\n正文"


@pytest.mark.parametrize("scheme", ["feishu", "lark"])
def test_feishu_and_lark_bots_read_their_own_result_field(api, scheme):
    api.answers.append((200, b'{"code":19024,"msg":"Key Words Not Found"}'))
    error = apprise_sender(f"{scheme}://hook-token", "标题", "正文")
    assert error == f"{scheme}://…oken: refused: code 19024 (Key Words Not Found)"
    api.answers.append((200, b'{"StatusCode":0,"StatusMessage":"success"}'))  # older answer
    assert apprise_sender(f"{scheme}://hook-token", "标题", "正文") is None
    path, _query, payload = api.requests[-1]
    assert path == "/robot/send/hook-token"
    assert payload == {"msg_type": "text", "content": {"text": "标题\n正文"}}


def test_errors_name_the_target_without_its_token(api):
    api.answers.append((500, b"busy"))
    error = apprise_sender("wecombot://secret-key-1234", "t", "b")
    assert error == "wecombot://…1234: HTTP 500"


@pytest.mark.parametrize(("status", "answer", "expected"), [
    (200, b'{"errcode":0,"errmsg":"ok"}', None),
    (200, b'{"errcode":310000,"errmsg":"sign not match"}',
     "refused: errcode 310000 (sign not match)"),
    (200, b'{"errmsg":"ok"}', "refused: errcode None (ok)"),
    (200, b"<html>gateway</html>", "the answer is not JSON"),
    (200, b"[0]", "refused: errcode None"),
    (502, b"", "HTTP 502"),
])
def test_refusal_reads_the_answer(status, answer, expected):
    assert refusal(status, answer) == expected


def test_requests_are_built_without_io_and_long_text_is_cut():
    url, body = bot_request("dingtalk://tok", "t", "x" * 10_000, now_ms=1)
    assert url.endswith("?access_token=tok")
    assert len(json.loads(body)["text"]["content"]) == 4000
    with pytest.raises(ValueError):
        bot_request("wecombot://", "t", "b")
