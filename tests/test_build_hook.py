"""hooks/govpub_guard.py: the same gate for people who run plain `mkdocs build`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from build_fixtures import NOW_TEXT, REPO, basic_files, files_containing, make_site, notice
from search_fixtures import bundle_contains, indexed_urls, records

pytestmark = pytest.mark.slow

TOKEN = "HOOKLEAK5521"
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    files = basic_files()
    files[f"notices/2026-11-26-{TOKEN}.md"] = notice(title=f"未审核 {TOKEN}",
                                                    published="'2026-11-26T09:00:00+08:00'")
    signed = [p for p in files if TOKEN not in p]
    root = make_site(tmp_path_factory.mktemp("hook"), files, sign=signed)
    # The repository's own mkdocs.yml, with its relative paths pointed at this checkout.
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("hooks/govpub_guard.py", str(REPO / "hooks/govpub_guard.py"))
    config = config.replace("custom_dir: src/govpub/theme",
                            f"custom_dir: {REPO / 'src/govpub/theme'}")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GOVPUB_NOW": NOW_TEXT, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([MKDOCS, "build", "-q", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_plain_mkdocs_build_drops_blocked_pages(repo, tmp_path):
    out = tmp_path / "plain"
    run = mkdocs(repo, "--site-dir", str(out))
    assert run.returncode == 0, run.stderr
    assert (out / "notices/2026-11-20-fees/index.html").is_file()
    assert files_containing(out, TOKEN) == []
    # the same generated pages and metadata as `govpub build`
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "关于服务大厅开放时间的通知" in home
    item = (out / "catalog/113500100001/index.html").read_text(encoding="utf-8")
    assert "法定办结时限" in item and "Ⅳ" in item
    fees = (out / "notices/2026-11-20-fees/index.html").read_text(encoding="utf-8")
    assert 'datetime="2026-11-20T10:00+08:00"' in fees
    assert "https://www.cnipa.gov.cn/notices/2026-11-20-fees/" in \
        (out / "sitemap.xml").read_text(encoding="utf-8")
    # the same search: govpub's index of the published pages (the page's text only), the
    # search page, and the header's search box from the site-wide settings
    assert "/notices/2026-11-20-fees/" in indexed_urls(out)
    assert "/notices/" not in indexed_urls(out) and bundle_contains(out, TOKEN) == []
    assert any(r["meta"].get("title") for r in records(out))
    assert 'data-gp-search-bundle="../search-index/"' in \
        (out / "search/index.html").read_text(encoding="utf-8")
    assert 'action="../../search/"' in fees


def test_plain_mkdocs_build_strict_fails_on_blocking_findings(repo, tmp_path):
    out = tmp_path / "strict"
    run = mkdocs(repo, "--strict", "--site-dir", str(out))
    assert run.returncode != 0
    assert "GP201" in run.stderr and f"2026-11-26-{TOKEN}.md" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (out / "index.html").exists()


class _TagsAsData(yaml.SafeLoader):
    """Reads MkDocs' python tags (the toc slugify) as plain data, to compare configs."""


_TagsAsData.add_multi_constructor(
    "tag:yaml.org,2002:python/",
    lambda loader, suffix, node: (suffix, loader.construct_mapping(node, deep=True)
                                  if isinstance(node, yaml.MappingNode) else node.value))


def test_default_config_matches_the_repository_config():
    root = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TagsAsData)
    default = yaml.load((REPO / "src/govpub/build/mkdocs-default.yml").read_text(
        encoding="utf-8"), Loader=_TagsAsData)
    for key in ("plugins", "markdown_extensions", "validation", "extra_css", "extra_javascript",
                "use_directory_urls"):
        assert root[key] == default[key], key
    assert {k: v for k, v in root["theme"].items() if k != "custom_dir"} == \
        {k: v for k, v in default["theme"].items() if k != "custom_dir"}
