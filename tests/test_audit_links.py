"""`govpub audit --links`: approved external sites checked against a real local HTTP server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from comments_audit_fixtures import dump, make_repo

from govpub.cli import main


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path.startswith("/ok/"):
            self.send_response(200)
        elif self.path.startswith("/moved/"):
            self.send_response(301)
            self.send_header("Location", "/new/")
        else:
            self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_links_option_reports_broken_and_moved_sites(tmp_path, server, capsys):
    root = make_repo(tmp_path)
    approved = [{"site": f"{server}/{name}/", "approved_by": "办公室",
                 "approved_at": "2026-11-01", "allow_http": True}
                for name in ("ok", "gone", "moved")]
    (root / "site_config" / "links.yml").write_text(dump({"approved": approved}),
                                                    encoding="utf-8")
    args = ["--root", str(root), "audit", "--now", "2026-11-28T10:00", "--format", "json"]
    main(args)
    offline = json.loads(capsys.readouterr().out)
    assert not [f for f in offline if f["rule"] == "GP713"]  # no requests without --links
    main([*args, "--links"])
    health = [f for f in json.loads(capsys.readouterr().out) if f["rule"] == "GP713"]
    assert [(f["severity"], f["message"].split(":")[2].split("/")[1]) for f in health] == [
        ("error", "gone"), ("warning", "moved")]
    assert "HTTP 404" in health[0]["message"] and "/new/" in health[1]["message"]


def test_audit_lists_its_checks(capsys):
    assert main(["audit", "--list"]) == 0
    out = capsys.readouterr().out
    ids = [line.split()[0] for line in out.splitlines() if line.startswith("GP7")]
    assert ids == [f"GP7{n:02d}" for n in range(1, 15)]
    assert "What it checks:" in out and "Fix:" in out
