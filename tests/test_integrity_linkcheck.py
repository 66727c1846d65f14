"""Link health of a built site: both tools find exactly the planted broken links."""

from __future__ import annotations

import subprocess
import sys

import pytest

from govpub.errors import BuildError
from govpub.integrity.linkcheck import check_site_links, parse_lychee


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("lc")
    docs = base / "docs"
    (docs / "n").mkdir(parents=True)
    (docs / "index.md").write_text(
        "# Home\n\n[a](n/a.md) [anchor](n/a.md#sec) [ext](https://www.gov.cn/)\n\n"
        "[missing page](n/missing.md)\n\n[missing anchor](n/a.md#nope)\n", encoding="utf-8")
    (docs / "n" / "a.md").write_text("# A\n\n## sec\n\n[home](../index.md)\n", encoding="utf-8")
    (base / "mkdocs.yml").write_text(
        "site_name: t\ntheme: {name: mkdocs}\nvalidation: {links: {not_found: ignore}}\n",
        encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(base / "mkdocs.yml"),
                    "-d", str(base / "site")], check=True, capture_output=True)
    return base / "site"


@pytest.mark.parametrize("tool", ["lychee", "linkchecker"])
def test_broken_page_and_anchor_are_found_and_nothing_else(site, tool):
    broken = check_site_links(site, tool=tool)
    assert sorted((b.source, b.url.rstrip("/").replace("/#", "#")) for b in broken) == [
        ("index.html", "n/a#nope"), ("index.html", "n/missing.md")]
    assert all(b.line for b in broken)


def test_not_a_site(tmp_path):
    with pytest.raises(BuildError, match=r"no index\.html"):
        check_site_links(tmp_path)


def test_unknown_tool(site):
    with pytest.raises(BuildError, match="unknown link checker"):
        check_site_links(site, tool="wget")


def test_parse_lychee_report(tmp_path):
    report = {"error_map": {str(tmp_path / "b.html"): [
        {"url": f"file://{tmp_path}/x/", "status": {"text": "File not found"},
         "span": {"line": 3}}]}}
    [b] = parse_lychee(report, tmp_path)
    assert (b.source, b.url, b.reason, b.line) == ("b.html", "x/", "File not found", 3)
