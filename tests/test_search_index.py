"""The search index (govpub's own) of a built site: only published pages, only their text,
the same bytes for the same pages, covered by the manifest, steered by nothing outside."""

from __future__ import annotations

import json
import os

import pytest
from build_fixtures import build, page_html
from search_fixtures import (
    LATER,
    LEAK,
    bundle_contains,
    bundle_files,
    indexed_urls,
    languages,
    records,
    search_site,
)

from govpub.search import index as search_index
from govpub.search.own import codec

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    root = search_site(tmp_path_factory, "search")
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
    assert "缴费凭证" in text  # the text (the heading is the title, below)
    assert "国家知识产权局" not in text  # not the header, footer or navigation
    assert "¶" not in text  # nor the heading permalinks
    assert fee["meta"]["title"] == "专利年费缴纳须知"
    # nor the block only printed (the address, source and times, repeated from the page)
    guide = next(r for r in records(site) if r["url"] == "/guides/reexamination/")
    assert "办理流程" in guide["content"].replace("\u200b", "")
    assert not [r["url"] for r in records(site)
                if f"gov.cn{r['url']}" in r["content"].replace("\u200b", "")]  # its address
    # nor the footer: its identity is no page's text
    assert not [r["url"] for r in records(site) if "ICP" in r["content"]]


def _postings(site, language: str, term: str) -> dict[str, int]:
    """url → score byte of the pages of ``language`` that carry ``term``."""
    buckets = languages(site)[language]["buckets"]
    path = site / "search-index" / language / "t" / f"{codec.bucket_of(term, buckets)}.gpi"
    entries = codec.split_entries(codec.gunzip_bytes(path.read_bytes()))
    numbers = {r["number"]: r["url"] for r in records(site) if r["language"] == language}
    return {numbers[n]: score for n, score in codec.decode_entry(entries[term]).items()}


def test_chinese_text_is_indexed_in_pairs_and_a_title_hit_scores_above_mentions(searched):
    _root, site = searched
    # Chinese text is indexed as pairs of characters (no dictionary: 年费 is a term, as
    # every word of two characters is); a query's words are split the same way
    fees = _postings(site, "zh-cn", "年费")
    hall, fee = "/notices/2026-11-02-hall/", "/notices/2026-11-01-annual-fee/"
    assert fee in fees and hall in fees
    # the page whose title has the word scores 128 or more; a page that only mentions it
    # (often) less: the browser multiplies by the term's IDF and adds, so a title hit ranks first
    assert fees[fee] >= 128 > fees[hall]
    assert {"复审", "驳回", "缴纳", "专利"} <= {t for t in ("复审", "驳回", "缴纳", "专利")
                                              if hall in _postings(site, "zh-cn", t)}
    # English pages are in an index of their own language
    assert "/en/annual-fees/" in _postings(site, "en", "annual")


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
    files = bundle_files(site)
    assert files
    for rel in files:
        assert f"search-index/{rel}" in listed, rel


def test_only_what_the_search_page_reads_is_published(searched):
    _root, site = searched
    names = set(bundle_files(site))
    assert "index.json" in names
    others = names - {"index.json"}
    assert others and all(
        name.split("/")[0] in ("zh-cn", "en") and (
            (name.split("/")[1] == "t" and name.endswith(".gpi"))
            or (name.split("/")[1] == "p" and name.endswith(".gpf"))) for name in others)
    # the state an update needs (paths, digests, stats) is the build's, kept in its cache
    assert not any("pages.json" in name for name in names)
    assert not (site / "pagefind").exists()
    # Material's whole-index search is off: no index every reader downloads
    assert not (site / "search" / "search_index.json").exists()


def test_the_index_is_the_same_bytes_for_the_same_pages(searched, tmp_path):
    root, site = searched
    again = tmp_path / "again"
    assert build(root, "--site-dir", str(again)) == 0
    assert bundle_files(again) == bundle_files(site)


def test_no_configuration_or_variable_steers_the_index(searched, tmp_path, monkeypatch):
    """Nothing configures the index: a configuration file of a search tool, variables of
    one, and another working folder change no byte of it."""
    root, site = searched
    elsewhere = tmp_path / "elsewhere"
    for folder in (root, tmp_path):
        (folder / "pagefind.yml").write_text(
            f"output_path: {elsewhere}\nexclude_selectors: ['p']\nforce_language: en\n",
            encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAGEFIND_OUTPUT_PATH", str(elsewhere))
    monkeypatch.setenv("GOVPUB_SEARCH_INDEX", str(elsewhere))
    steered = tmp_path / "steered"
    try:
        assert build(root, "--site-dir", str(steered)) == 0
    finally:
        (root / "pagefind.yml").unlink()
    assert not elsewhere.exists()
    assert bundle_files(steered) == bundle_files(site)


def test_a_damaged_or_foreign_state_means_a_full_index_not_a_wrong_one(searched, tmp_path):
    root, site = searched
    target = tmp_path / "kept"
    assert build(root, "--site-dir", str(target)) == 0
    state = search_index.state_path(target)
    assert state is not None and state.is_file()  # kept for the next build, outside the site
    for damage in ("{not json", json.dumps({"format": 2, "languages": {}, "pages": {
            "notices/2026-11-02-hall/index.html": ["zh-cn", 1, "0" * 64, [0, 0, 0, 0]]}})):
        state.write_text(damage, encoding="utf-8")
        assert build(root, "--site-dir", str(target)) == 0
        assert bundle_files(target) == bundle_files(site)


def test_an_index_is_copied_where_it_cannot_be_linked(searched, tmp_path, monkeypatch):
    _root, site = searched

    def no_links(source, target):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(search_index.os, "link", no_links)
    copy = tmp_path / "copy"
    search_index._copy_index(site / "search-index", copy)
    assert {p.relative_to(copy).as_posix(): p.read_bytes()
            for p in sorted(copy.rglob("*")) if p.is_file()} == bundle_files(site)
    assert os.stat(copy / "index.json").st_nlink == 1  # copies, not links to the site's files
