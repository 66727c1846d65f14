"""The review desk's door, attacked: 127.0.0.1 only, the per-run token on every request,
Host and Origin checked, changes only by POST with the token, every browser path
inside the repository, and the server gone when its terminal goes.

A real server (in this process, or `govpub review desk` as a child process) on a
real repository; requests made with http.client so that every header is ours.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

try:
    from desk_fixtures import as_user, run
    from review_fixtures import make_site
except ImportError:  # tests/ imported as a package
    from tests.desk_fixtures import as_user, run
    from tests.review_fixtures import make_site

from govpub.review import workflow
from govpub.review.desk.app import Desk
from govpub.review.desk.security import new_token
from govpub.review.desk.server import make_server, serve_until_stopped
from govpub.review.gitrun import find_repo

PARAGRAPH = "根据有关规定，申请人应当于2026年1月31日前缴纳年费，逾期未缴纳的，将按照有关规定处理。"
SECRET = "TOP-SECRET-OUTSIDE-THE-REPOSITORY"


def desk_site(tmp_path):
    site = make_site(tmp_path)
    site.page("notices/fee.md", title="关于缴纳年费的提示", body=PARAGRAPH)
    site.page("notices/leak.md", title="关于补发证书的通知", body="正文。")
    site.commit("ed", "two notices")
    as_user(site, "wang-fang")
    return site


class Client:
    """Raw HTTP to the desk: every header is the test's choice."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.host = f"127.0.0.1:{port}"
        self.origin = f"http://{self.host}"

    def request(self, method: str, path: str, *, headers: dict | None = None,
                body: bytes | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": self.host, **(headers or {})}
            for name, value in sent.items():
                if value is not None:
                    conn.putheader(name, value)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            response = conn.getresponse()
            return (response.status, dict(response.getheaders()),
                    response.read().decode("utf-8", "replace"))
        finally:
            conn.close()

    def get(self, rest: str, **headers) -> tuple[int, dict, str]:
        return self.request("GET", f"/{self.token}/{rest}", headers=headers)

    def post(self, rest: str, form: dict, *, origin: str | None = "same",
             headers: dict | None = None) -> tuple[int, dict, str]:
        sent = {"Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin if origin == "same" else origin, **(headers or {})}
        return self.request("POST", f"/{self.token}/{rest}", headers=sent,
                            body=urlencode(form).encode())

    def decision_form(self, path: str) -> dict:
        status, _, page = self.get(f"item/{quote(path)}")
        assert status == 200
        digest = re.search(r'name="digest" value="(sha256:[0-9a-f]{64})"', page).group(1)
        return {"token": self.token, "path": path, "digest": digest}


@pytest.fixture
def desk(tmp_path):
    site = desk_site(tmp_path)
    policy = site.policy()
    repo = find_repo(policy.root)
    reviewer = workflow.reviewer_identity(policy, repo, None)
    server = make_server(lambda door: Desk(policy, repo, reviewer, door), new_token())
    stop = threading.Event()
    thread = threading.Thread(target=serve_until_stopped, args=(server, stop), daemon=True)
    thread.start()
    yield site, Client(server.door.port, server.door.token), server
    stop.set()
    thread.join()
    server.desk.preview.close()


def record_exists(site, path="notices/fee.md") -> bool:
    return (site.root / "review" / f"{path}.yml").exists()


# -- the address -----------------------------------------------------------------------------


def test_listens_on_loopback_only(desk):
    _site, _client, server = desk
    assert server.server_address[0] == "127.0.0.1"
    assert server.server_address[1] > 0


def test_every_request_needs_the_token_in_its_path(desk):
    _site, client, _server = desk
    assert client.get("")[0] == 200
    for path in ("/", "/item/notices/fee.md", f"/?token={client.token}", "/static/desk.css",
                 f"/{client.token[:-1]}/", f"/{client.token}x/", f"/x/{client.token}/",
                 f"/{client.token.upper()}/"):
        status, _headers, body = client.request("GET", path)
        assert status == 404, path
        assert "<html" not in body
    status, _, _ = client.post("approve", {"token": client.token})  # token in body only
    assert status != 303


def test_wrong_host_is_refused_against_dns_rebinding(desk):
    _site, client, _server = desk
    path = f"/{client.token}/"
    for host in (f"evil.example:{client.port}", f"localhost:{client.port}", "127.0.0.1",
                 f"127.0.0.1:{client.port + 1}", None):
        status, _, body = client.request("GET", path, headers={"Host": host})
        assert status == 421, host
        assert "关于" not in body


def test_other_origins_and_cross_site_requests_are_refused(desk):
    site, client, _server = desk
    status, _, _ = client.get("", Origin="http://evil.example")
    assert status == 403
    status, _, _ = client.get("", **{"Sec-Fetch-Site": "cross-site"})
    assert status == 403
    status, _, _ = client.get("", **{"Sec-Fetch-Site": "same-site"})  # another local port
    assert status == 403
    form = client.decision_form("notices/fee.md")
    for origin in ("http://evil.example", "null", f"http://localhost:{client.port}", None):
        status, _, _ = client.post("approve", form, origin=origin)
        assert status == 403, origin
    status, _, _ = client.post("approve", form, headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 403
    assert not record_exists(site)


def test_a_tab_opened_from_elsewhere_may_show_the_desk_but_nothing_else_may_cross(desk):
    _site, client, _server = desk
    navigate = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate",
                "Sec-Fetch-Dest": "document"}
    assert client.get("", **navigate)[0] == 200  # the local file the desk opens forwards here
    assert client.get("", **{**navigate, "Sec-Fetch-Dest": "iframe"})[0] == 403
    assert client.get("", **{**navigate, "Sec-Fetch-Mode": "cors"})[0] == 403
    assert client.get("", **{**navigate, "Origin": "http://evil.example"})[0] == 403
    form = client.decision_form("notices/fee.md")
    status, _, _ = client.post("approve", form, headers=navigate)
    assert status == 403


def test_the_browser_is_opened_without_the_token_on_a_command_line(tmp_path, monkeypatch):
    from govpub.review.desk.server import open_in_browser

    seen = tmp_path / "argv.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$@" > {seen}\n')
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", f"{browser} %s")
    import webbrowser

    monkeypatch.setattr(webbrowser, "_tryorder", None)  # read BROWSER again
    token = new_token()
    page = open_in_browser(f"http://127.0.0.1:1234/{token}/")
    try:
        argv = seen.read_text()  # webbrowser waits for a BROWSER command given with %s
        assert token not in argv and argv.strip() == page.as_uri()
        assert (page.stat().st_mode & 0o777, page.parent.stat().st_mode & 0o777) == (
            0o600, 0o700)
        assert f'url=http://127.0.0.1:1234/{token}/"' in page.read_text()
    finally:
        page.unlink()
        page.parent.rmdir()


def test_state_changes_only_by_post_with_the_token_in_the_form(desk):
    site, client, _server = desk
    form = client.decision_form("notices/fee.md")
    status, _, _ = client.get("approve?" + urlencode(form))
    assert status == 404
    for method in ("PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"):
        status, _, _ = client.request(method, f"/{client.token}/approve")
        assert status == 405, method
    status, _, _ = client.post("approve", {**form, "token": ""})
    assert status == 403
    status, _, _ = client.post("approve", {**form, "token": new_token()})
    assert status == 403
    status, _, _ = client.request("POST", f"/{client.token}/approve", headers={
        "Origin": client.origin, "Content-Type": "text/plain"}, body=urlencode(form).encode())
    assert status == 415
    status, _, _ = client.request("POST", f"/{client.token}/approve", headers={
        "Origin": client.origin, "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(10**9)})
    assert status == 413
    assert not record_exists(site)
    status, headers, _ = client.post("approve", form)
    assert status == 303 and headers["Location"].startswith(f"/{client.token}/item/")
    assert record_exists(site)


# -- paths from the browser ------------------------------------------------------------------


@pytest.fixture
def planted(desk, tmp_path):
    """A file outside the repository, and a link to it planted under content/."""
    site, client, server = desk
    outside = tmp_path / "outside.md"
    outside.write_text(f"---\ntitle: {SECRET}\n---\n{SECRET}\n", encoding="utf-8")
    (site.root / "content/notices/link.md").symlink_to(outside)
    (site.root / ".govpub/desk/site").mkdir(parents=True, exist_ok=True)
    return site, client, server


@pytest.mark.parametrize("rest", [
    "item/../../outside.md", "item/%2e%2e/%2e%2e/outside.md", "item/notices/../../../outside.md",
    "item//etc/passwd", "item/%2Fetc%2Fpasswd", "item/notices/link.md",
    "item/notices%00/fee.md", "item/notices%5C..%5C..%5Coutside.md",
    "item/../site_config/reviewers.yml", "item/..%2fsite_config%2freviewers.yml",
    "site/..%2f..%2f..%2fsite_config/reviewers.yml", "site/../../../../outside.md",
    "static/../../../../outside.md", "static/..%2fapp.py",
    "file/../../outside.md", "file/notices/link.md", "file/%2e%2e/site_config/site.yml",
])
def test_every_path_stays_inside_the_repository(planted, rest):
    _site, client, _server = planted
    status, _, body = client.request("GET", f"/{client.token}/{rest}")
    assert status == 404
    assert SECRET not in body and "reviewers:" not in body and "root:" not in body


def test_the_file_under_review_downloads_and_is_not_rendered(desk):
    _site, client, _server = desk
    status, headers, body = client.get("file/notices/fee.md")
    assert status == 200 and PARAGRAPH in body
    assert headers["Content-Disposition"] == "attachment; filename*=UTF-8''fee.md"
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Content-Security-Policy"].startswith("sandbox")


def test_a_decision_on_a_path_outside_content_is_refused(planted):
    site, client, _server = planted
    form = client.decision_form("notices/fee.md")
    for path in ("../site_config/reviewers.yml", "notices/link.md", "/etc/passwd",
                 "notices/../../outside.md"):
        status, _, _ = client.post("approve", {**form, "path": path})
        assert status == 404, path
    assert not (site.root / "review").exists()


# -- deciding --------------------------------------------------------------------------------


def test_the_desk_decides_as_the_cli_does(desk):
    site, client, _server = desk
    form = client.decision_form("notices/fee.md")
    status, headers, _ = client.post("approve", {**form, "note": "已核对原件"})
    assert status == 303
    status, _, page = client.get(headers["Location"].split("/", 2)[2])
    assert status == 200 and "role=\"status\"" in page
    log = subprocess.run(["git", "log", "-1", "--format=%an|%ae|%s"], cwd=site.root,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert log == "wang-fang|wang.fang@example.gov.cn|review: approve content/notices/fee.md"
    text = (site.root / "review/notices/fee.md.yml").read_text(encoding="utf-8")
    assert "reviewer: wang-fang" in text and "decision: public" in text
    assert "note: 已核对原件" in text
    form = client.decision_form("notices/leak.md")
    status, _, page = client.post("reject", {**form, "reason": "缺少附件"})
    assert status == 400 and "choose the reason" in page  # no code chosen
    status, _, _ = client.post("reject", {**form, "code": "factual-error",
                                          "reason": "证书编号有误"})
    assert status == 303
    text = (site.root / "review/notices/leak.md.yml").read_text(encoding="utf-8")
    assert "reason_code: factual-error" in text and "reason: 证书编号有误" in text


def test_a_file_changed_after_display_is_not_approved(desk):
    site, client, _server = desk
    form = client.decision_form("notices/fee.md")
    site.page("notices/fee.md", title="关于缴纳年费的提示", body=PARAGRAPH.replace("1月", "3月"))
    site.commit("ed", "changed while the reviewer reads")
    status, _, page = client.post("approve", form)
    assert status == 409
    assert "changed after it was shown to you" in page
    assert not record_exists(site)


def test_the_author_is_told_and_refused(desk):
    site, client, _server = desk
    site.page("notices/fee.md", title="关于缴纳年费的提示", body="王芳改过。")
    site.commit("wang-fang", "edit by the reviewer")
    form = client.decision_form("notices/fee.md")
    _, _, page = client.get("item/notices/fee.md")
    assert "You cannot approve this version" in page
    assert f'action="/{client.token}/approve"' not in page  # no Approve button
    status, _, page = client.post("approve", form)
    assert status == 409 and "another reviewer must approve it" in page
    assert not record_exists(site)


def test_rendered_pages_are_sandboxed(desk):
    site, client, _server = desk
    site.page("notices/fee.md", title="关于缴纳年费的提示",
              body=PARAGRAPH + "\n\n<script>alert(1)</script>\n\n"
                   '<form method="post" action="../../approve"><button>OK</button></form>')
    site.commit("ed", "hostile markup")
    status, headers, body = client.get("site/notices/fee/")
    assert status == 200, body
    policy = headers["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-same-origin;")
    assert "script-src 'none'" in policy and "form-action 'none'" in policy
    assert "allow-scripts" not in policy and "allow-forms" not in policy
    _, headers, _ = client.get("")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "same-origin"


# -- the process -----------------------------------------------------------------------------


def start_desk(site, *, stdin=subprocess.PIPE, new_session=False):
    env = {**os.environ, "GOVPUB_LANG": "en", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "govpub", "--root", str(site.root), "review", "desk",
         "--no-browser"], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env, start_new_session=new_session)
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/([A-Za-z0-9_-]+)/", line)
    assert match, line + proc.stderr.read()
    return proc, Client(int(match.group(1)), match.group(2))


def finish(proc) -> str:
    out = proc.stdout.read()  # until the process exits (the suite's timeout is the net)
    err = proc.stderr.read()
    assert proc.wait() == 0, err
    return out


def test_desk_process_listens_on_loopback_and_stops_when_stdin_closes(tmp_path):
    site = desk_site(tmp_path)
    proc, client = start_desk(site)
    try:
        assert client.get("")[0] == 200
        table = Path("/proc/net/tcp").read_text().splitlines()[1:]
        listening = [line.split() for line in table]
        mine = [cols[1] for cols in listening
                if cols[1].endswith(f":{client.port:04X}") and cols[3] == "0A"]
        assert mine == [f"0100007F:{client.port:04X}"]  # 127.0.0.1 only, not 0.0.0.0
    finally:
        proc.stdin.close()
    assert "review desk stopped (stdin closed)" in finish(proc)
    with pytest.raises(OSError):
        client.get("")


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGINT, signal.SIGTERM])
def test_desk_process_stops_when_its_terminal_does(tmp_path, sig):
    site = desk_site(tmp_path)
    proc, client = start_desk(site, stdin=subprocess.DEVNULL)  # not a pipe: not watched
    assert client.get("")[0] == 200
    proc.send_signal(sig)
    assert f"review desk stopped ({sig.name})" in finish(proc)


def test_desk_needs_a_reviewer_identity(tmp_path):
    site = desk_site(tmp_path)
    as_user(site, "ed")
    code, _, err = run(site, "review", "desk", "--no-browser")
    assert code == 2 and "is not a reviewer" in err
