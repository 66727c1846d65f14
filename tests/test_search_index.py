"""The search index (Pagefind) of a built site: only published pages, only their text,
the same bytes for the same pages, covered by the manifest, steered by nothing outside."""

from __future__ import annotations

import json
import shutil

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
    shard_list,
)

from govpub.errors import BuildError
from govpub.search import index as search_index

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
    assert "专利年费缴纳须知" in text and "缴费凭证" in text  # the heading and the text
    assert "国家知识产权局" not in text  # not the header, footer or navigation
    assert "¶" not in text  # nor the heading permalinks
    assert fee["meta"]["title"] == "专利年费缴纳须知"
    # nor the block only printed (the address, source and times, repeated from the page)
    guide = next(r for r in records(site) if r["url"] == "/guides/reexamination/")
    assert "办理流程" in guide["content"].replace("\u200b", "")
    assert not [r["url"] for r in records(site)
                if f"gov.cn{r['url']}" in r["content"].replace("\u200b", "")]  # its address
    # nor the footer's badges as every result's image (Pagefind takes the first image after
    # the heading, wherever it is)
    assert not [r["url"] for r in records(site) if "image" in r["meta"]]


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
    assert {"shards.json", "0/pagefind.js", "0/pagefind-entry.json"} <= names
    assert not any(name.split("/")[-1].startswith(("pagefind-ui", "pagefind-component-ui",
                                                   "pagefind-modular-ui", "pagefind-highlight"))
                   for name in names)
    assert not any(name.split("/")[-1].startswith(".pages-") for name in names)
    # nor its web worker: the search page runs Pagefind on its own thread (noWorker)
    assert not any(name.endswith("pagefind-worker.js") for name in names)
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
    # without its shard list the previous index is not reused: every shard is indexed again
    (target / "pagefind" / "shards.json").unlink()

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


# --- the index in shards -----------------------------------------------------------------

SHARD_COUNT = 4


@pytest.fixture(scope="module")
def sharded(searched, tmp_path_factory):
    """The same site with its index in SHARD_COUNT shards (a site this small has one)."""
    root, _site = searched
    target = tmp_path_factory.mktemp("sharded") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "shard_count", lambda pages: SHARD_COUNT)
        assert build(root, "--site-dir", str(target)) == 0
    return target


def test_each_page_is_in_one_shard_the_one_its_path_hashes_to(searched, sharded):
    _root, site = searched
    found = records(sharded)
    assert [r["url"] for r in found] == [r["url"] for r in records(site)]  # each once
    assert len({r["shard"] for r in found}) > 1
    for record in found:
        rel = record["url"].lstrip("/") + "index.html"
        assert record["shard"] == search_index.shard_of(rel, SHARD_COUNT), record["url"]
    # each language lists exactly the shards that hold pages of it (the English search page
    # must never merge a shard without English pages: Pagefind would search its Chinese)
    holding: dict[str, set[str]] = {}
    for record in found:
        holding.setdefault("en" if record["language"] == "en" else "zh-cn", set()).add(
            record["shard"])
    assert {lang: set(names) for lang, names in languages(sharded).items()} == holding
    assert bundle_contains(sharded, LEAK) == [] and bundle_contains(sharded, LATER) == []


def test_a_sharded_index_is_the_same_bytes_for_the_same_pages(searched, sharded, tmp_path):
    root, _site = searched
    again = tmp_path / "again"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "shard_count", lambda pages: SHARD_COUNT)
        assert build(root, "--site-dir", str(again)) == 0
    assert bundle_files(again) == bundle_files(sharded)
    manifest = json.dumps(json.loads((again / "manifest.json").read_text(encoding="utf-8")))
    assert all(f"pagefind/{rel}" in manifest for rel in bundle_files(again))


def test_a_shard_count_follows_the_pages_in_powers_of_two(monkeypatch):
    monkeypatch.setattr(search_index, "MAX_SHARDS", 8)
    counts = [search_index.shard_count(pages) for pages in
              (0, 1, search_index.PAGES_PER_SHARD * 2 - 1, search_index.PAGES_PER_SHARD * 2,
               search_index.PAGES_PER_SHARD * 4, 10 ** 7)]
    assert counts == sorted(counts) and counts[0] == counts[2] == 1
    assert all(count & (count - 1) == 0 for count in counts)  # powers of two
    assert counts[3] == 2 and counts[4] == 4 and counts[-1] == 8


def test_a_shard_is_copied_where_it_cannot_be_linked(sharded, tmp_path, monkeypatch):
    def no_links(source, target):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(search_index, "shard_count", lambda pages: SHARD_COUNT)
    monkeypatch.setattr(search_index.os, "link", no_links)
    bundle = tmp_path / "bundle"
    outcome = search_index.write_bundle(sharded, bundle, previous=sharded / "pagefind")
    assert outcome.indexed == [] and len(outcome.reused) == len(shard_list(sharded)["shards"])
    assert bundle_files(sharded) == {
        rel: (bundle / rel).read_bytes() for rel in bundle_files(sharded)}
    # copies, not links to the site's files
    some = next(iter(shard_list(sharded)["shards"]))
    assert (bundle / some / "pagefind-entry.json").stat().st_nlink == 1


def test_a_shard_with_a_link_planted_in_it_is_indexed_again(sharded, tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "shard_count", lambda pages: SHARD_COUNT)
    previous = tmp_path / "previous"
    shutil.copytree(sharded / "pagefind", previous)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the browser", encoding="utf-8")
    planted, *others = shard_list(sharded)["shards"]
    (previous / planted / "planted.txt").symlink_to(secret)
    bundle = tmp_path / "bundle"
    outcome = search_index.write_bundle(sharded, bundle, previous=previous)
    assert outcome.indexed == [planted] and outcome.reused == others
    assert not (bundle / planted / "planted.txt").exists()
    assert bundle_files(sharded) == {
        rel: (bundle / rel).read_bytes() for rel in bundle_files(sharded)}
