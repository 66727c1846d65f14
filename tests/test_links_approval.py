"""External-link approval: GP601/602/603, `govpub links`, check_approved_links."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from integrity_fixtures import TZ, findings_of, full_findings, make_site, page
from patience import PATIENT_SECONDS

from govpub.cli import main
from govpub.links.approval import load_links_config, parse_external
from govpub.links.health import check_approved_links


def test_unapproved_approved_and_http_links(tmp_path):
    body = "\n".join([
        "[政策](https://www.gov.cn/zhengce/)",  # 9 approved domain
        "[条约](https://www.wipo.int/treaties/en/)",  # 10 approved prefix
        "[其他](https://www.wipo.int/about/)",  # 11 outside the prefix: GP601
        "[未批准](https://unknown.example.com/a)",  # 12 GP601
        "[明文](http://www.gov.cn/a)",  # 13 GP602
        "[旧站](http://old.example.org/a)",  # 14 allow_http: ok
        "[子域](https://sub.www.gov.cn/)",  # 15 domain entries do not cover subdomains
        "[本站](https://www.example.gov.cn/notices/)",  # 16 own site: internal
        "[相对](../guides/a.md) [邮件](mailto:ipr@cnipa.gov.cn)",  # 17 not external
        "[伪装](https://evil.example\\@www.gov.cn/)",  # 18 browsers go to evil.example
    ])
    root = make_site(tmp_path, {"notices/a.md": page(body, online_url="https://x.example/")})
    assert findings_of(root, "GP60") == [
        ("GP601", "content/notices/a.md", 6),  # online_url in front matter
        ("GP601", "content/notices/a.md", 11),
        ("GP601", "content/notices/a.md", 12),
        ("GP602", "content/notices/a.md", 13),
        ("GP601", "content/notices/a.md", 15),
        ("GP601", "content/notices/a.md", 18),
        ("GP603", "site_config/links.yml", 10),  # old.example.org, approved 2024 for 180 days
    ]
    messages = [f.message for f in full_findings(root, "GP601")]
    assert all("site_config/links.yml" in m and "approve" in m for m in messages)
    gp603 = full_findings(root, "GP603")[0]
    assert str(gp603.severity) == "warning"


def test_allow_entry_suppresses_gp601(tmp_path):
    text = page("[x](https://unknown.example.com/)",
                allow="[{rule: GP601, reason: 临时链接，已经办公室同意}]")
    root = make_site(tmp_path, {"notices/a.md": text})
    assert findings_of(root, "GP601") == []


def test_missing_links_yml_means_nothing_is_approved(tmp_path):
    root = make_site(tmp_path, {"notices/a.md": page("[x](https://www.gov.cn/)")},
                     links_yml=None)
    assert findings_of(root, "GP60") == [("GP601", "content/notices/a.md", 8)]


@pytest.mark.parametrize("yml,where", [
    ("approved:\n  - site: www.gov.cn\n    approved_by: 办公室\n", "links.yml:2"),
    ("approved:\n  - site: www.gov.cn\n    approved_by: x\n    approved_at: 2026-13-01\n",
     "links.yml:2"),
    ("approved:\n  - site: 'bad host!'\n    approved_by: x\n    approved_at: 2026-01-01\n",
     "links.yml:2"),
])
def test_config_errors_are_one_line_exit_2(tmp_path, capsys, yml, where):
    root = make_site(tmp_path, {"notices/a.md": page("[x](https://www.gov.cn/)")}, links_yml=yml)
    assert main(["--root", str(root), "links"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and where in err and "Traceback" not in err


@pytest.mark.parametrize("url,host", [
    ("https://WWW.GOV.CN./a", "www.gov.cn"),
    ("https://user@www.gov.cn/", "www.gov.cn"),
    ("https://www.gov.cn@evil.example/", "evil.example"),
    ("https://evil.example\\@www.gov.cn/", "evil.example"),
    ("//www.gov.cn/x", "www.gov.cn"),
    ("ht\ttps://www.gov.cn/", "www.gov.cn"),
    ("https://中国政府网.中国/", "xn--fiqs8sirgfmhq98a.xn--fiqs8s"),
])
def test_hostile_urls_are_parsed_like_browsers(url, host):
    assert parse_external(url).host == host


@pytest.mark.parametrize("url,host", [
    ("/\t/www.gov.cn/x", "www.gov.cn"), ("\\\\www.gov.cn/x", "www.gov.cn"),
    (" //www.gov.cn", "www.gov.cn"), ("/\\www.gov.cn", "www.gov.cn"),
    ("../catalog/a.md", None), ("a//b", None), ("/x//y", None), ("#top", None), ("", None),
    ("  ", None), ("\x00/", None), (None, None),
])
def test_links_without_a_colon_are_external_only_as_slash_slash_host(url, host):
    target = parse_external(url)
    assert (target.host if target else None) == host


def test_govpub_links_lists_pages(tmp_path, capsys):
    root = make_site(tmp_path, {
        "notices/a.md": page("[x](https://www.gov.cn/a)\n[y](https://unknown.example.com/)"),
        "guides/b.md": page("见 https://www.gov.cn/a"),
    })
    assert main(["--root", str(root), "links", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records == [
        {"url": "https://unknown.example.com/", "host": "unknown.example.com",
         "status": "unapproved", "approved_by": None,
         "pages": [{"path": "content/notices/a.md", "line": 9}]},
        {"url": "https://www.gov.cn/a", "host": "www.gov.cn", "status": "approved",
         "approved_by": "国家知识产权局办公室",
         "pages": [{"path": "content/guides/b.md", "line": 8},
                   {"path": "content/notices/a.md", "line": 8}]},
    ]
    assert main(["--root", str(root), "links"]) == 0
    out = capsys.readouterr().out
    assert "2 external link(s) to 2 site(s)" in out and "content/guides/b.md:8" in out


class _Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path.startswith("/ok/"):
            self.send_response(200)
        elif self.path.startswith("/moved/"):
            self.send_response(301)
            self.send_header("Location", "/elsewhere/")
        elif self.path.startswith("/nohead/"):
            self.send_response(405)
        else:
            self.send_response(404)
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path.startswith("/nohead/") else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_check_approved_links_reports_ok_redirected_broken(tmp_path, server):
    entries = "".join(
        f"  - {{site: '{server}/{p}/', approved_by: x, approved_at: 2026-01-01, "
        f"allow_http: true}}\n" for p in ("ok", "moved", "gone", "nohead"))
    root = make_site(tmp_path, {}, links_yml="approved:\n" + entries)
    results = check_approved_links(load_links_config(root, TZ), timeout=PATIENT_SECONDS)
    assert [(r.status, r.code) for r in results] == [
        ("ok", 200), ("redirected", 301), ("broken", 404), ("ok", 200)]
    assert results[1].location == f"{server}/elsewhere/"


def test_unreachable_site_is_broken_not_an_exception(tmp_path):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    root = make_site(tmp_path, {}, links_yml=(
        f"approved:\n  - {{site: 'http://127.0.0.1:{port}/', approved_by: x, "
        "approved_at: 2026-01-01, allow_http: true}\n"))
    [result] = check_approved_links(load_links_config(root, TZ), timeout=PATIENT_SECONDS)
    assert result.status == "broken" and result.code is None
