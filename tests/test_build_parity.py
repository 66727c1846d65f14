"""The demo built by both renderers is the same site to the public, page by page.

Builds a copy of this repository's demo with ``--renderer mkdocs`` and
``--renderer pelican`` and compares what a reader and a crawler get, not the
HTML (tests/site_parity.py reads it): the same files and page addresses; per
page the same ``<html lang>``, ``<title>``, ``<meta>`` metadata and canonical
link; the same visible text (whitespace normalised); the same internal link
targets (resolved against the page's address, fragments kept).

Left out by design, and only this (``site_parity.RENDERER_PARTS``): each
renderer's own navigation around the page — Material's header bar, navigation
tabs, sidebars (the navigation again and the table of contents), back-to-top
button and search dialog; the Pelican theme's header bar — plus Material's
``generator`` meta tag and each renderer's asset folders (``assets/``,
``theme/``) and Material's search index. The skip link, care-mode toolbar,
language link, heading, status banner, index box, text, document information
and footer all count.
"""

from __future__ import annotations

import shutil

import pytest
from build_fixtures import REPO
from site_parity import site_files, site_pages

from govpub.build import BuildOptions, run_build

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("parity") / "repo"
    for name in ("content", "review", "site_config", "disclosure"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    built = {}
    for renderer in ("mkdocs", "pelican"):
        state = run_build(BuildOptions(root=root, renderer=renderer,
                                       site_dir=root.parent / f"site-{renderer}",
                                       echo=lambda _line: None))
        assert not state.quarantined, sorted(state.quarantined)
        built[renderer] = state.site_dir
    pages = {renderer: site_pages(folder, renderer) for renderer, folder in built.items()}
    return state.model, built, pages


def test_the_same_files_and_page_addresses(sites):
    model, built, pages = sites
    assert site_files(built["mkdocs"]) == site_files(built["pelican"])
    assert set(pages["mkdocs"]) == set(pages["pelican"])
    addresses = set(pages["pelican"])
    assert {"/", "/404.html", "/en/404.html", "/catalog/", "/sitemap/"} <= addresses
    assert {"/" + page.url for page in model.pages} <= addresses


@pytest.mark.parametrize("field", ["lang", "title", "canonical", "meta"])
def test_every_page_has_the_same_language_title_and_metadata(sites, field):
    _model, _built, pages = sites
    differ = {url: (getattr(view, field), getattr(pages["pelican"][url], field))
              for url, view in pages["mkdocs"].items()
              if getattr(view, field) != getattr(pages["pelican"][url], field)}
    assert differ == {}


def test_every_page_shows_the_same_text(sites):
    _model, _built, pages = sites
    differ = [url for url, view in pages["mkdocs"].items()
              if view.text != pages["pelican"][url].text]
    for url in differ[:3]:  # the first differing words, to see why
        mkdocs, pelican = pages["mkdocs"][url].text, pages["pelican"][url].text
        pairs = zip(mkdocs, pelican, strict=False)
        start = next((i for i, (a, b) in enumerate(pairs) if a != b),
                     min(len(mkdocs), len(pelican)))
        print(url, repr(mkdocs[start - 40:start + 80]), repr(pelican[start - 40:start + 80]))
    assert differ == []


def test_every_page_links_to_the_same_places(sites):
    _model, _built, pages = sites
    differ = {url: (sorted(set(view.links) - set(pages["pelican"][url].links)),
                    sorted(set(pages["pelican"][url].links) - set(view.links)))
              for url, view in pages["mkdocs"].items() if view.links != pages["pelican"][url].links}
    assert differ == {}


def test_what_is_compared_is_the_whole_chrome(sites):
    """The comparison cannot pass on empty pages: the Pelican pages carry the chrome."""
    model, _built, pages = sites
    site = model.policy.site
    for url, view in pages["pelican"].items():
        english = view.lang == "en"
        assert ("Skip to the main content" if english else "跳到正文") in view.text, url
        assert ("High contrast" if english else "高对比度") in view.text, url
        assert site["site_code"] in view.text and site["icp"] in view.text, url
        assert "/sitemap/" in view.links, url
    item = model.of_type("service-item")[0]
    guide = pages["pelican"]["/" + item.url]
    assert "法定办结时限" in guide.text and "/" + item.url + "handout.pdf" in guide.links
    assert dict(((n, c) for _a, n, c in guide.meta))["SiteIDCode"] == site["site_code"]
    numbered = [p for p in model.pages if p.type in ("policy", "notice")]
    assert any("索引号" in pages["pelican"]["/" + p.url].text for p in numbered)
    assert pages["pelican"]["/en/404.html"].lang == "en"
