"""The search index (Pagefind) of a built site: only published pages, only their text,
the same bytes for the same pages, covered by the manifest, steered by nothing outside."""

from __future__ import annotations

import json

import pytest
from build_fixtures import build, make_site, page_html
from search_fixtures import (
    LATER,
    LEAK,
    bundle_contains,
    bundle_files,
    indexed_urls,
    records,
    search_site_files,
    signed_paths,
)

from govpub.errors import BuildError
from govpub.search import index as search_index

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    files = search_site_files()
    root = make_site(tmp_path_factory.mktemp("search"), files, sign=signed_paths(files))
    assert build(root) == 0
    return root, root / "site"


def test_the_index_holds_every_published_page_and_nothing_held_back(searched):
    _root, site = searched
    urls = indexed_urls(site)
    for url in ("/notices/2026-11-01-annual-fee/", "/notices/2026-11-02-hall/",
                "/catalog/113500100001/", "/guides/reexamination/", "/en/annual-fees/"):
        assert url in urls, (url, urls)
    # the quarantined page (never signed off) and the scheduled one are nowhere in the index
    assert not any(LEAK.lower() in url or "later" in url for url in urls)
    assert bundle_contains(site, LEAK) == []
    assert bundle_contains(site, LATER) == []
    # ... while a word of a published page is (the check can see into the index)
    assert bundle_contains(site, "凭证")


def test_listings_and_chrome_stay_out_of_the_index(searched):
    _root, site = searched
    urls = indexed_urls(site)
    for listing in ("/", "/notices/", "/catalog/", "/search/", "/en/search/"):
        assert listing not in urls, listing
    fee = next(r for r in records(site) if r["url"] == "/notices/2026-11-01-annual-fee/")
    text = fee["content"].replace("\u200b", "")
    assert "专利年费缴纳须知" in text and "缴费凭证" in text  # the heading and the text
    assert "国家知识产权局" not in text  # not the header, footer or navigation
    assert "¶" not in text  # nor the heading permalinks
    assert fee["meta"]["title"] == "专利年费缴纳须知"


def test_chinese_text_is_indexed_as_words(searched):
    _root, site = searched
    hall = next(r for r in records(site) if r["url"] == "/notices/2026-11-02-hall/")
    words = hall["content"].split("\u200b")
    # Pagefind's extended build segments Chinese into words (its dictionary has no 年费:
    # that one is two words, 年 and 费, and so is the query — see docs/build.md "Search")
    assert {"复审", "驳回", "缴纳", "专利"} <= set(words)
    assert "复审请求费" not in words


def test_a_hostile_title_is_text_in_the_index(searched):
    _root, site = searched
    mark = next(r for r in records(site) if r["url"] == "/notices/2026-11-04-mark/")
    # the title as the page shows it: text, which the search page inserts as text
    assert mark["meta"]["title"] == '<img src=x onerror="window.gpXss=1">商标注册提示'
    article = page_html(site, "notices/2026-11-04-mark").split("<article")[1].split("</article>")[0]
    assert "<img" not in article


def test_the_manifest_covers_the_index(searched):
    _root, site = searched
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    listed = json.dumps(manifest.get("files", manifest))
    for rel in bundle_files(site):
        assert f"pagefind/{rel}" in listed, rel


def test_only_the_parts_of_pagefind_the_site_uses_are_published(searched):
    _root, site = searched
    names = set(bundle_files(site))
    assert {"pagefind.js", "pagefind-entry.json"} <= names
    assert not any(name.startswith(("pagefind-ui", "pagefind-component-ui",
                                    "pagefind-modular-ui", "pagefind-highlight"))
                   for name in names)
    # Material's whole-index search is off: no index every reader downloads
    assert not (site / "search" / "search_index.json").exists()


def test_the_index_is_the_same_bytes_for_the_same_pages(searched, tmp_path):
    root, site = searched
    again = tmp_path / "again"
    assert build(root, "--site-dir", str(again)) == 0
    assert bundle_files(again) == bundle_files(site)


def test_no_pagefind_configuration_or_variable_steers_the_index(searched, tmp_path,
                                                                  monkeypatch):
    root, site = searched
    elsewhere = tmp_path / "elsewhere"
    for folder in (root, tmp_path):
        (folder / "pagefind.yml").write_text(
            f"output_path: {elsewhere}\nexclude_selectors: ['p']\nforce_language: en\n",
            encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAGEFIND_OUTPUT_PATH", str(elsewhere))
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "en")
    steered = tmp_path / "steered"
    try:
        assert build(root, "--site-dir", str(steered)) == 0
    finally:
        (root / "pagefind.yml").unlink()
    assert not elsewhere.exists()
    assert bundle_files(steered) == bundle_files(site)


def test_without_pagefind_the_build_fails_with_a_clear_message_and_keeps_the_site(
        searched, tmp_path, monkeypatch, capsys):
    root, _site = searched
    target = tmp_path / "kept"
    assert build(root, "--site-dir", str(target)) == 0
    before = (target / "index.html").read_bytes()

    def missing():
        raise FileNotFoundError("pagefind_extended")

    import pagefind_bin_extended

    monkeypatch.setattr(pagefind_bin_extended, "get_executable", missing)
    with pytest.raises(BuildError, match="Pagefind"):
        search_index.pagefind_binary()
    capsys.readouterr()
    assert build(root, "--site-dir", str(target)) == 2
    err = capsys.readouterr().err
    assert "Pagefind" in err and "Traceback" not in err
    assert (target / "index.html").read_bytes() == before
