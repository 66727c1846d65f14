"""Chat-group bots (DingTalk, WeCom, Feishu, Lark), sent by govpub so a refusal is seen.

These bots answer HTTP 200 even when they refuse a message (a keyword or
signature mismatch, an unknown key, a rate limit) and put the reason in the
body: ``{"errcode": 310000, "errmsg": "sign not match"}`` (DingTalk, WeCom),
``{"code": 19024, "msg": "..."}`` (Feishu, Lark). apprise (2.3) checks only
the HTTP status, so through apprise a refused alert would count as delivered
— and an on-duty officer would never hear of a policy due on the site within
12 hours. Here a message counts as delivered only when the body says 0.

Targets keep apprise's URL forms, so ``duty.yml`` does not change:

* ``dingtalk://<access_token>`` — ``dingtalk://<secret>@<access_token>`` for
  a bot with signing (加签); path segments after the token are mobile
  numbers to @-mention;
* ``wecombot://<key>``;
* ``feishu://<token>``, ``lark://<token>``.

The APIs are the public ones; ``GOVPUB_DINGTALK_API``, ``GOVPUB_WECOM_API``,
``GOVPUB_FEISHU_API`` and ``GOVPUB_LARK_API`` replace them (a government
private deployment, a proxy, the tests' receiver).
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
from dataclasses import dataclass

from ..i18n import _


@dataclass(frozen=True)
class Bot:
    api: str  # the public API address
    api_variable: str  # the environment variable that replaces it
    result_fields: tuple[str, ...]  # body fields that say "accepted" when 0 (first present)

    def address(self) -> str:
        return os.environ.get(self.api_variable, self.api)


BOTS = {
    "dingtalk": Bot("https://oapi.dingtalk.com/robot/send", "GOVPUB_DINGTALK_API", ("errcode",)),
    "wecombot": Bot("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "GOVPUB_WECOM_API",
                    ("errcode",)),
    "feishu": Bot("https://open.feishu.cn/open-apis/bot/v2/hook", "GOVPUB_FEISHU_API",
                  ("code", "StatusCode")),
    "lark": Bot("https://open.larksuite.com/open-apis/bot/v2/hook", "GOVPUB_LARK_API",
                ("code", "StatusCode")),
}
TIMEOUT_SECONDS = 15
MAX_TEXT = 4000  # both bots refuse longer text messages


def bot_of(target: str) -> Bot | None:
    return BOTS.get(target.partition("://")[0].lower())


def is_bot_target(target: str) -> bool:
    return bot_of(target) is not None


def dingtalk_signature(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature of a request: base64 HMAC-SHA256 of "<timestamp>\\n<secret>"."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(),
                      hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def bot_request(target: str, title: str, body: str, *,
                now_ms: int | None = None) -> tuple[str, bytes]:
    """(URL, JSON body) of the message for a bot target (pure, no I/O)."""
    scheme, _sep, rest = target.partition("://")
    scheme = scheme.lower()
    head, _sep, path = rest.split("?", 1)[0].partition("/")
    secret, _sep, token = head.rpartition("@")  # tokens are case-sensitive: no URL parser
    secret, token = urllib.parse.unquote(secret), urllib.parse.unquote(token)
    if not token:
        raise ValueError(_("the target has no token or key"))
    text = f"{title}\n{body}"[:MAX_TEXT]
    address = BOTS[scheme].address()
    if scheme in ("feishu", "lark"):
        return f"{address}/{urllib.parse.quote(token, safe='')}", json.dumps(
            {"msg_type": "text", "content": {"text": text}}).encode("utf-8")
    payload: dict = {"msgtype": "text", "text": {"content": text}}
    if scheme == "wecombot":
        query = {"key": token}
    else:  # dingtalk
        query = {"access_token": token}
        if secret:
            stamp = now_ms if now_ms is not None else int(time.time() * 1000)
            query.update(timestamp=str(stamp), sign=dingtalk_signature(secret, stamp))
        mobiles = [m for m in path.split("/") if m]
        if mobiles:
            payload["at"] = {"atMobiles": mobiles}
    return f"{address}?{urllib.parse.urlencode(query)}", json.dumps(payload).encode("utf-8")


def refusal(status: int, answer: bytes, codes: tuple[str, ...] = ("errcode",)) -> str | None:
    """Why the bot did not take the message, from its answer; None when it did.

    ``codes``: the body fields that carry the result, 0 meaning accepted.
    """
    if not 200 <= status < 300:
        return f"HTTP {status}"
    try:
        data = json.loads(answer)
    except ValueError:
        return _("the answer is not JSON")
    data = data if isinstance(data, dict) else {}
    field = next((name for name in codes if name in data), codes[0])
    if data.get(field) != 0:
        message = data.get("errmsg") or data.get("msg") or data.get("StatusMessage")
        if message:
            return _("refused: {field} {code} ({message})").format(field=field,
                                                                   code=data.get(field),
                                                                   message=message)
        return _("refused: {field} {code}").format(field=field, code=data.get(field))
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
            return refusal(answer.status, answer.read(64 * 1024), bot_of(target).result_fields)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return _("cannot reach the bot: {error}").format(error=getattr(exc, "reason", exc))
