"""Fetching against a real local server that misbehaves in every way the issue lists.

No outcome here depends on the machine's speed: every fetch gets a patient time
limit (a hang guard) except the one test about the deadline, whose server never
finishes its answer.
"""

import gzip
from zoneinfo import ZoneInfo

import pytest
from watch_fixtures import PATIENT_SECONDS, FeedServer, atom, rss

from govpub.watch.fetch import fetch, make_client
from govpub.watch.items import NotAFeed, parse_items

TZ = ZoneInfo("Asia/Shanghai")
CAP = 1_000_000
ITEMS = [{"title": "国务院关于加强知识产权保护的意见", "link": "https://www.gov.cn/a.htm",
          "guid": "g1", "date": "2026年11月20日 10:00", "category": "知识产权"}]


@pytest.fixture(scope="module")
def server():
    with FeedServer() as srv:
        srv.routes.update({
            "/ok": {"body": rss(ITEMS), "etag": '"v1"'},
            "/500": {"status": 500},
            "/loop": {"redirect": "/loop"},
            "/hop": {"redirect": "/ok"},
            "/truncated": {"truncate": rss(ITEMS)[:120]},
            "/html": {"body": "<html><body><h1>系统维护中</h1></body></html>".encode(),
                      "content_type": "text/html"},
            "/big": {"big": 50 * 1024 * 1024},
            "/bomb": {"gzip_bomb": 200 * 1024 * 1024},
            "/trickle": {"trickle": True},
            "/gb2312": {"body": rss(ITEMS, encoding="gb2312")},
            "/gbk": {"body": rss([{**ITEMS[0], "title": "国务院关于“十五五”规划的通知（喆）"}],
                                 encoding="gbk")},
            "/atom": {"body": atom(ITEMS)},
            "/empty": {"body": rss([])},
            "/gzip-ok": {"body": rss(ITEMS)},
        })
        yield srv


@pytest.fixture(scope="module")
def client():
    with make_client("govpub-watch-test/1", timeout=PATIENT_SECONDS, max_redirects=3) as c:
        yield c


def get(client, server, path, **kw):
    kw.setdefault("timeout", PATIENT_SECONDS)
    return fetch(client, server.url(path), root=None, max_bytes=CAP, **kw)


def test_ok_then_304_with_etag(client, server):
    first = get(client, server, "/ok")
    assert first.ok and first.status == 200 and first.etag == '"v1"'
    items = parse_items(first.body, first.headers, TZ)
    assert items[0].title == ITEMS[0]["title"] and items[0].source_time.hour == 10
    again = get(client, server, "/ok", etag=first.etag)
    assert again.ok and again.not_modified and again.body == b""
    assert ("/ok", '"v1"') in server.conditional
    assert server.user_agent == "govpub-watch-test/1"


@pytest.mark.parametrize("path, error", [
    ("/500", "HTTP 500"),
    ("/missing", "HTTP 404"),
    ("/loop", "too many redirects"),
    ("/big", "byte cap"),
    ("/bomb", "byte cap"),
])
def test_failures_are_results_not_exceptions(client, server, path, error):
    result = get(client, server, path)
    assert not result.ok
    assert error in result.error
    assert result.body == b""


def test_redirect_within_limit_is_followed(client, server):
    result = get(client, server, "/hop")
    assert result.ok and b"<rss" in result.body


def test_truncated_body_is_a_failure(client, server):
    result = get(client, server, "/truncated")
    if result.ok:  # if the transport did not notice, the parser must
        with pytest.raises(NotAFeed):
            parse_items(result.body, result.headers, TZ)
    else:
        assert "RemoteProtocolError" in result.error or "incomplete" in result.error.lower()


def test_html_error_page_is_not_a_feed(client, server):
    result = get(client, server, "/html")
    assert result.ok
    with pytest.raises(NotAFeed, match="not a feed"):
        parse_items(result.body, result.headers, TZ)


def test_empty_feed_is_a_failure(client, server):
    result = get(client, server, "/empty")
    with pytest.raises(NotAFeed, match="no items"):
        parse_items(result.body, result.headers, TZ)


def test_trickling_server_is_cut_off_by_the_overall_deadline(client, server):
    # the server never finishes and never pauses long enough for the client's read
    # timeout (PATIENT_SECONDS): only the overall deadline can end this fetch
    result = get(client, server, "/trickle", timeout=1)
    assert not result.ok and result.error == "timed out after 1 s (server too slow)"
    assert result.body == b""


@pytest.mark.parametrize("path, title", [
    ("/gb2312", ITEMS[0]["title"]),
    ("/gbk", "国务院关于“十五五”规划的通知（喆）"),
    ("/atom", ITEMS[0]["title"]),
])
def test_chinese_encodings_and_atom(client, server, path, title):
    result = get(client, server, path)
    assert result.ok
    items = parse_items(result.body, result.headers, TZ)
    assert items[0].title == title
    assert items[0].link == "https://www.gov.cn/a.htm"


def test_gzip_encoded_feed_within_cap_is_decoded(tmp_path):
    from govpub.watch.fetch import _Decoder

    decoder = _Decoder("gzip", CAP)
    packed = gzip.compress(rss(ITEMS))
    for i in range(0, len(packed), 7):
        decoder.feed(packed[i:i + 7])
    assert decoder.finish() == rss(ITEMS)


def test_local_files_and_file_urls(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss(ITEMS))
    by_path = fetch(None, "feed.xml", root=tmp_path, max_bytes=CAP, timeout=1)
    assert by_path.ok and by_path.body == rss(ITEMS)
    by_url = fetch(None, feed.as_uri(), root=tmp_path, max_bytes=CAP, timeout=1)
    assert by_url.body == by_path.body
    unchanged = fetch(None, "feed.xml", root=tmp_path, max_bytes=CAP, timeout=1,
                      last_modified=by_path.last_modified)
    assert unchanged.not_modified
    assert not fetch(None, "nope.xml", root=tmp_path, max_bytes=CAP, timeout=1).ok
    assert "cap" in fetch(None, "feed.xml", root=tmp_path, max_bytes=10, timeout=1).error
    assert not fetch(None, "gopher://x/y", root=tmp_path, max_bytes=CAP, timeout=1).ok


def test_hostile_links_are_dropped_and_texts_capped():
    body = rss([{"title": "国务院" * 2000, "link": "javascript:alert(1)", "guid": "x"},
                {"title": "ok", "link": "https://www.gov.cn/a.htm"}])
    items = parse_items(body, {}, TZ)
    assert items[0].link is None and len(items[0].title) == 1000
    assert items[1].link == "https://www.gov.cn/a.htm"
