"""Tamper evidence: build, sign, then alter / delete / add — verify reports each exactly."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from patience import PATIENT_SECONDS

from govpub.cli import main
from govpub.errors import BuildError, ConfigError
from govpub.integrity.manifest import (
    MANIFEST,
    SIGNATURE,
    public_key_line,
    signing_key_for,
    write_manifest,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A real (tiny) MkDocs build, signed; plus a repository holding the public key."""
    base = tmp_path_factory.mktemp("built")
    docs = base / "docs"
    (docs / "notices").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n[通知](notices/a.md)\n", encoding="utf-8")
    (docs / "notices" / "a.md").write_text("# 通知\n\n正文。\n", encoding="utf-8")
    (base / "mkdocs.yml").write_text("site_name: t\ntheme: {name: mkdocs}\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                    str(base / "mkdocs.yml"), "-d", str(base / "site")], check=True)
    key = Ed25519PrivateKey.generate()
    key_file = base / "outside-repo" / "manifest-key"
    key_file.parent.mkdir()
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.OpenSSH,
                                           serialization.NoEncryption()))
    write_manifest(base / "site", key=key_file)
    repo = base / "repo"
    (repo / "site_config").mkdir(parents=True)
    (repo / "site_config" / "manifest-key.pub").write_text(public_key_line(key))
    return base / "site", repo


def verify(repo, target, *extra):
    return main(["--root", str(repo), "verify", str(target), "--format", "json",
                 "--timeout", str(PATIENT_SECONDS), *extra])


def report(capsys):
    return json.loads(capsys.readouterr().out)


def test_untouched_site_verifies(built, capsys):
    site, repo = built
    assert verify(repo, site) == 0
    out = report(capsys)
    assert out["ok"] and out["signature"] == "good" and out["checked"] > 5
    assert "notices/a/index.html" in json.loads((site / MANIFEST).read_text())["files"]


def test_manifest_is_deterministic(built, tmp_path):
    site, _ = built
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    before = (copy / MANIFEST).read_bytes()
    write_manifest(copy)
    assert (copy / MANIFEST).read_bytes() == before
    assert not (copy / SIGNATURE).exists()  # unsigned rewrite drops the stale signature


def test_each_tampering_is_reported_exactly(built, tmp_path, capsys):
    site, repo = built
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    page = copy / "notices" / "a" / "index.html"
    data = bytearray(page.read_bytes())
    data[100] ^= 1  # one byte
    page.write_bytes(bytes(data))
    (copy / "404.html").unlink()
    (copy / "notices" / "evil.html").write_text("<script>x</script>")
    assert verify(repo, copy) == 1
    out = report(capsys)
    assert (out["altered"], out["missing"], out["unexpected"]) == (
        ["notices/a/index.html"], ["404.html"], ["notices/evil.html"])
    assert out["signature"] == "good"


def test_forged_manifest_fails_the_signature(built, tmp_path, capsys):
    site, repo = built
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    (copy / "index.html").write_text("defaced")
    manifest = json.loads((copy / MANIFEST).read_text())
    manifest["files"].pop("index.html")
    (copy / MANIFEST).write_text(json.dumps(manifest))
    assert verify(repo, copy) == 1
    assert report(capsys)["signature"] == "bad"
    (copy / SIGNATURE).unlink()
    assert verify(repo, copy) == 1
    assert report(capsys)["signature"] == "missing"


def test_text_output_and_symlink(built, tmp_path, capsys):
    site, repo = built
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    (copy / "link.html").symlink_to("/etc/passwd")
    assert main(["--root", str(repo), "verify", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "unexpected: link.html" in out and "FAILED:" in out
    with pytest.raises(BuildError):
        write_manifest(copy)


@pytest.fixture
def served(built):
    site, _ = built
    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", site
    httpd.shutdown()
    httpd.server_close()


def test_url_form(built, served, tmp_path, capsys):
    url, _ = served
    _, repo = built
    assert verify(repo, url) == 0
    out = report(capsys)
    assert out["ok"] and out["unexpected"] is None
    assert main(["--root", str(repo), "verify", url, "--timeout", str(PATIENT_SECONDS)]) == 0
    assert "cannot be detected over HTTP" in capsys.readouterr().out


def test_url_form_reports_altered_and_missing(built, tmp_path, capsys):
    site, repo = built
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    (copy / "index.html").write_text("defaced")
    (copy / "sitemap.xml").unlink()
    handler = partial(SimpleHTTPRequestHandler, directory=str(copy))
    handler.log_message = lambda *a: None
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        assert verify(repo, f"http://127.0.0.1:{httpd.server_address[1]}") == 1
    finally:
        httpd.shutdown()
        httpd.server_close()
    out = report(capsys)
    assert (out["altered"], out["missing"]) == (["index.html"], ["sitemap.xml"])


def test_hostile_manifest_paths_are_not_followed(tmp_path, capsys):
    site = tmp_path / "site"
    site.mkdir()
    (site / MANIFEST).write_text(json.dumps({"version": 1, "algorithm": "sha256", "files": {
        "../../etc/passwd": "0" * 64, "/etc/hosts": "0" * 64}}))
    assert main(["--root", str(tmp_path), "verify", str(site), "--format", "json"]) == 1
    out = report(capsys)
    assert len(out["errors"]) == 2 and out["missing"] == []


def test_missing_manifest_and_bad_target(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["--root", str(tmp_path), "verify", str(tmp_path / "empty")]) == 1
    assert "no manifest.json" in capsys.readouterr().out
    assert main(["--root", str(tmp_path), "verify", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govpub: error:") and err.count("\n") == 1


def test_signing_key_must_be_outside_the_repository(tmp_path, monkeypatch):
    from types import SimpleNamespace
    P = SimpleNamespace(root=tmp_path, site={"signing_key": "keys/manifest-key"})
    monkeypatch.delenv("GOVPUB_SIGNING_KEY", raising=False)
    with pytest.raises(ConfigError, match="inside the repository"):
        signing_key_for(P)
    monkeypatch.setenv("GOVPUB_SIGNING_KEY", "/etc/govpub/key")
    assert signing_key_for(P) == Path("/etc/govpub/key")


def test_wrong_key_type_is_a_config_error(tmp_path):
    site = tmp_path / "s"
    site.mkdir()
    (site / "a.txt").write_text("x")
    bad = tmp_path / "k"
    bad.write_text("not a key")
    with pytest.raises(ConfigError, match="not a readable"):
        write_manifest(site, key=bad)


def test_signature_is_base64_ed25519(built):
    site, _ = built
    assert len(base64.b64decode((site / SIGNATURE).read_text())) == 64


@pytest.mark.parametrize("hashes", [
    {},
    {"index.html": "a" * 64},
    {"b/专利.html": "1" * 64, 'a/"q"\\x.html': "2" * 64, "a/line\nbreak, \"x\": {}": "3" * 64,
     "\u2028\x00\x1f é.pdf": "4" * 64, "a": "5" * 64, "a/": "6" * 64},
])
def test_manifest_bytes_are_those_of_json_with_indent(hashes):
    """manifest.json keeps the bytes of json.dumps(indent=1, sort_keys=True) (the format of
    DESIGN.md and every manifest signed so far), though the table goes through the C encoder."""
    from govpub.integrity.manifest import manifest_bytes

    data = {"version": 1, "algorithm": "sha256", "files": hashes}
    expected = (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    assert manifest_bytes(dict(reversed(list(hashes.items())))) == expected
