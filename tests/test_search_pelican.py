"""The search index of a ``--renderer pelican`` build: the same post-build step over the
site Pelican wrote, so it too holds only the published pages, and the site has its search
pages (staged, generated pages: the same for both renderers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from build_fixtures import page_html
from search_fixtures import LATER, LEAK, bundle_contains, indexed_urls, records, search_site

import govpub

pytestmark = pytest.mark.slow

THEME = Path(govpub.__file__).parent / "theme"


@pytest.fixture(scope="module")
def pelican_site(tmp_path_factory):
    return search_site(tmp_path_factory, "search-pelican", "--renderer", "pelican") / "site"


def test_a_pelican_site_gets_an_index_of_its_published_pages_only(pelican_site):
    site = pelican_site
    assert (site / "search-index" / "index.json").is_file()
    urls = indexed_urls(site)
    for url in ("/notices/2026-11-01-annual-fee/", "/guides/reexamination/",
                "/en/annual-fees/"):
        assert url in urls, (url, urls)
    # the quarantined page (never signed off) and the scheduled one: in no file of the index
    assert not any(LEAK.lower() in url or "later" in url for url in urls)
    assert bundle_contains(site, LEAK) == []
    assert bundle_contains(site, LATER) == []
    assert bundle_contains(site, "凭证")  # while a published page's words are there
    # the Pelican theme marks each indexed page's text as the MkDocs theme does: listings
    # and the search pages stay out, the title is the page's heading
    for listing in ("/", "/notices/", "/search/", "/en/search/"):
        assert listing not in urls, listing
    fee = next(r for r in records(site) if r["url"] == "/notices/2026-11-01-annual-fee/")
    assert fee["meta"]["title"] == "专利年费缴纳须知" and "缴费凭证" in fee["content"]
    assert "¶" not in fee["content"] and "国家知识产权局" not in fee["content"]


def test_a_pelican_site_has_the_search_page_of_each_language(pelican_site):
    for path, bundle, words in (("search", "../search-index/", "搜索"),
                                ("en/search", "../../search-index/", "Search")):
        page = page_html(pelican_site, path)
        assert "data-gp-search " in page and f'data-gp-search-bundle="{bundle}"' in page
        assert 'id="gp-search-q"' in page and 'name="q"' in page and words in page
        # the index's first file asked for while the page loads, as in MkDocs, and the
        # build's count of term files, which lets the query's term file be asked for beside it
        assert f'<link rel="preload" href="{bundle}index.json" as="fetch" crossorigin>' in page
        index = json.loads((pelican_site / "search-index" / "index.json").read_text())
        language = "en" if path.startswith("en/") else "zh-cn"
        buckets = index["languages"][language]["buckets"]
        assert (f'<meta name="govpub-search-index" content="{bundle}" '
                f'data-buckets="{buckets}">') in page
        # and the search's script in the page itself, whole, as the MkDocs theme has it
        script = (THEME / "javascripts" / "govpub-search.js").read_text(encoding="utf-8")
        assert f"<script>{script.rstrip()}</script>" in page
        assert "govpub-search.js\"" not in page


def test_a_pelican_search_page_loads_its_footer_images_lazily(pelican_site):
    """The footer's images (the identity marks, below the fold) load lazily, as in the
    MkDocs theme: an SVG mark is a document of its own, laid out on the page's main
    thread, and the search page's first results waited behind it."""
    page = page_html(pelican_site, "search")
    footer = page[page.index("<footer"):]
    images = footer.count("<img ")
    assert images >= 2 and footer.count('<img loading="lazy" ') == images
