"""A clean site built with `govpub build`: pages, generated pages, metadata, post-build outputs."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from build_fixtures import build, make_site, page_html
from search_fixtures import indexed_urls, records

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("clean"))
    assert build(root) == 0
    return root, root / "site"


def test_every_approved_page_is_built(built):
    _root, site = built
    for url in ("notices/2026-11-20-fees/", "notices/2026-11-25-hours/",
                "catalog/113500100001/", "guides/patent-filing/"):
        assert (site / url / "index.html").is_file(), url
    assert (site / "attachments/forms/request.docx").is_file()


def test_home_page_lists_latest_notices_newest_first_and_the_catalog(built):
    _root, site = built
    home = page_html(site, "")
    newer = home.index("关于服务大厅开放时间的通知")
    older = home.index("关于调整专利收费的通知")
    assert newer < older
    assert "专利申请受理" in home and "113500100001" in home
    assert "12330" in home  # the supervision and contact channels of site.yml


def test_column_index_lists_its_pages(built):
    _root, site = built
    index = page_html(site, "notices")
    assert 'href="2026-11-25-hours/"' in index and 'href="2026-11-20-fees/"' in index
    assert index.index("2026-11-25-hours/") < index.index("2026-11-20-fees/")


def test_every_page_shows_source_and_time_in_the_site_time_zone(built):
    _root, site = built
    page = page_html(site, "notices/2026-11-20-fees")
    assert "国家知识产权局办公室" in page
    # published 02:00 UTC is 10:00 in Asia/Shanghai
    assert 'datetime="2026-11-20T10:00+08:00"' in page and "2026-11-20 10:00" in page
    numbered = page_html(site, "notices/2026-11-25-hours")
    assert "国知办发〔2026〕12号" in numbered


def test_service_item_page_is_a_guide(built):
    _root, site = built
    page = page_html(site, "catalog/113500100001")
    for text in ("办理时限", "法定办结时限", "20 个工作日", "承诺办结时限", "5 个工作日",
                 "网上办理深度", "Ⅳ", "https://cponline.cnipa.gov.cn/", "办理条件", "申请文件齐备",
                 "请求书", "办理流程", "确定申请日", "12330", "不收费"):
        assert text in page, text
    assert 'href="../../attachments/forms/request.docx"' in page
    assert 'href="../../guides/patent-filing/"' in page  # the guide that explains the item
    assert 'href="handout.pdf" download>' in page  # the hall's printable handout
    assert (site / "catalog" / "113500100001" / "handout.pdf").is_file()
    assert 'class="gp-print-meta"' in page and "113500100001" in page
    assert 'class="gp-print-meta"' in page_html(site, "guides/patent-filing")


def test_navigation_has_columns_not_pages(built):
    _root, site = built
    home = page_html(site, "")
    assert 'href="notices/"' in home
    nav = home[home.index('class="md-tabs"'):] if 'class="md-tabs"' in home else home
    assert "2026-11-25-hours/" not in nav.split("</nav>")[0]


def test_sitemap_has_absolute_urls_of_the_site(built):
    _root, site = built
    tree = ET.fromstring((site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in tree.findall("s:url/s:loc", ns)}
    assert "https://www.cnipa.gov.cn/notices/2026-11-20-fees/" in locs
    assert "https://www.cnipa.gov.cn/" in locs
    assert all(loc.startswith("https://www.cnipa.gov.cn/") for loc in locs)


def test_manifest_lists_every_file(built):
    _root, site = built
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    files = manifest.get("files", manifest)
    assert "index.html" in json.dumps(files)
    assert "notices/2026-11-20-fees/index.html" in json.dumps(files)


def test_search_index_holds_the_chinese_text(built):
    _root, site = built
    # the text as the page shows it (the index splits it into pairs of characters itself)
    assert any("收费" in record["content"] for record in records(site))


def test_quarantine_report_is_outside_the_site(built):
    root, site = built
    report = json.loads((root / ".govpub/quarantine.json").read_text(encoding="utf-8"))
    assert report["quarantined"] == []
    assert not (site / "quarantine.json").exists()


def test_no_preview_banner_or_marker_in_a_real_build(built):
    _root, site = built
    home = page_html(site, "")
    assert "md-banner" not in home and "govpub-preview" not in home
    assert not (site / ".govpub-preview").exists()


def test_search_index_points_to_pages_not_listings(built):
    _root, site = built
    urls = indexed_urls(site)
    assert "/notices/2026-11-20-fees/" in urls
    assert "/notices/" not in urls
