"""Item identity and URL normalization."""

import pytest

from govpub.watch.identity import item_identity, normalize_url

BASE = "https://www.gov.cn/zhengce/content/202611/content_7012345.htm"


@pytest.mark.parametrize("variant", [
    BASE,
    "http://www.gov.cn/zhengce/content/202611/content_7012345.htm",
    "HTTPS://WWW.GOV.CN/zhengce/content/202611/content_7012345.htm",
    "https://www.gov.cn:443/zhengce/content/202611/content_7012345.htm",
    "https://www.gov.cn/zhengce/content/202611/content_7012345.htm/",
    "https://www.gov.cn/zhengce/content/202611/content_7012345.htm#top",
    "https://www.gov.cn/zhengce/content/202611/content_7012345.htm?utm_source=rss&utm_medium=x",
    "https://www.gov.cn/zhengce/content/202611/content_7012345.htm?spm=a.b.c&from=timeline",
    "  https://www.gov.cn//zhengce/content/202611/content_7012345.htm  ",
    "https://www.gov.cn./zhengce/content/202611/content_7012345.htm",
])
def test_variants_of_one_link_are_equal(variant):
    assert normalize_url(variant) == normalize_url(BASE)


def test_meaningful_query_parameters_stay_and_are_sorted():
    a = normalize_url("https://x.gov.cn/a?id=2&page=1&utm_campaign=z")
    assert a == normalize_url("https://x.gov.cn/a?page=1&id=2")
    assert a != normalize_url("https://x.gov.cn/a?id=3&page=1")


def test_trailing_slash_on_root_and_path():
    assert normalize_url("https://x.gov.cn") == normalize_url("https://x.gov.cn/")
    assert normalize_url("https://x.gov.cn/a/") == normalize_url("https://x.gov.cn/a")


def test_percent_encoding_and_idn_are_normalized():
    assert normalize_url("https://x.gov.cn/政策") == normalize_url(
        "https://x.gov.cn/%E6%94%BF%E7%AD%96")
    assert normalize_url("https://中国政府.cn/a").startswith("https://xn--")


@pytest.mark.parametrize("bad", [None, "", "javascript:alert(1)", "ftp://x/y", "mailto:a@b",
                                 "https:///nohost", "http://[::1", "a\nb", 42,
                                 "https://x/" + "a" * 5000])
def test_hostile_links_are_none(bad):
    assert normalize_url(bad) is None


def test_identity_prefers_guid_then_link_then_title_and_date():
    assert item_identity("abc-1", BASE, "t", "d") == "guid:abc-1"
    assert item_identity(" ", BASE + "?utm_source=a", "t", "d") == "link:" + normalize_url(BASE)
    by_title = item_identity(None, None, "国务院通知", "2026-11-20")
    assert by_title.startswith("title:")
    assert by_title == item_identity("", "", "国务院通知 ", "2026-11-20")
    assert by_title != item_identity("", "", "国务院通知", "2026-11-21")
    assert item_identity(None, None, None, None) is None


def test_guid_that_is_a_url_is_normalized():
    assert item_identity("http://www.gov.cn/a/?utm_source=x", None, "t", None) == \
        item_identity("https://www.gov.cn/a", None, "t", None)
