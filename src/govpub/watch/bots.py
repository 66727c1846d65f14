"""DingTalk and WeCom group bots: sent by govpub itself, so that a refusal is seen.

Both bots answer HTTP 200 even when they refuse a message (a keyword or
signature mismatch, an unknown key, a rate limit) and put the reason in the
body: ``{"errcode": 310000, "errmsg": "sign not match"}``. apprise (2.3)
checks only the HTTP status, so through apprise a refused alert would count
as delivered — and an on-duty officer would never hear of a policy due on
the site within 12 hours. Here a message counts as delivered only when the
body says ``errcode: 0``.

Targets keep apprise's URL forms, so ``duty.yml`` does not change:

* ``dingtalk://<access_token>`` — ``dingtalk://<secret>@<access_token>`` for
  a bot with signing (加签); path segments after the token are mobile
  numbers to @-mention;
* ``wecombot://<key>``.

The APIs are the public ones; ``GOVPUB_DINGTALK_API`` and ``GOVPUB_WECOM_API``
replace them (a government private deployment, a proxy, the tests' receiver).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

DINGTALK_API = "https://oapi.dingtalk.com/robot/send"
WECOM_API = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
SCHEMES = ("dingtalk", "wecombot")
TIMEOUT_SECONDS = 15
MAX_TEXT = 4000  # both bots refuse longer text messages


def is_bot_target(target: str) -> bool:
    return target.partition("://")[0].lower() in SCHEMES


def dingtalk_signature(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature of a request: base64 HMAC-SHA256 of "<timestamp>\\n<secret>"."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(),
                      hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def bot_request(target: str, title: str, body: str, *,
                now_ms: int | None = None) -> tuple[str, bytes]:
    """(URL, JSON body) of the message for a bot target (pure, no I/O)."""
    scheme, _, rest = target.partition("://")
    scheme = scheme.lower()
    head, _, path = rest.split("?", 1)[0].partition("/")
    secret, _, token = head.rpartition("@")  # tokens are case-sensitive: no URL parser
    secret, token = urllib.parse.unquote(secret), urllib.parse.unquote(token)
    if not token:
        raise ValueError("the target has no token or key")
    text = f"{title}\n{body}"[:MAX_TEXT]
    payload: dict = {"msgtype": "text", "text": {"content": text}}
    if scheme == "wecombot":
        query = {"key": token}
        return f"{os.environ.get('GOVPUB_WECOM_API', WECOM_API)}?" \
               f"{urllib.parse.urlencode(query)}", json.dumps(payload).encode("utf-8")
    query = {"access_token": token}
    if secret:
        stamp = now_ms if now_ms is not None else int(time.time() * 1000)
        query.update(timestamp=str(stamp), sign=dingtalk_signature(secret, stamp))
    mobiles = [m for m in path.split("/") if m]
    if mobiles:
        payload["at"] = {"atMobiles": mobiles}
    return f"{os.environ.get('GOVPUB_DINGTALK_API', DINGTALK_API)}?" \
           f"{urllib.parse.urlencode(query)}", json.dumps(payload).encode("utf-8")


def refusal(status: int, answer: bytes) -> str | None:
    """Why the bot did not take the message, from its answer; None when it did."""
    if not 200 <= status < 300:
        return f"HTTP {status}"
    try:
        data = json.loads(answer)
    except ValueError:
        return "the answer is not JSON"
    if not isinstance(data, dict) or data.get("errcode") != 0:
        code = data.get("errcode") if isinstance(data, dict) else None
        message = data.get("errmsg") if isinstance(data, dict) else None
        return f"refused: errcode {code}{f' ({message})' if message else ''}"
    return None


def send_to_bot(target: str, title: str, body: str) -> str | None:
    """Send one message; None when the bot confirms it, else why not."""
    try:
        url, data = bot_request(target, title, body)
    except ValueError as exc:
        return str(exc)
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            return refusal(answer.status, answer.read(64 * 1024))
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"cannot reach the bot: {getattr(exc, 'reason', exc)}"
