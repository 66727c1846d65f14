"""Reading api/reproductions.json defensively, from a folder or a deployed site URL."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from watch_fixtures import PATIENT_SECONDS, FeedServer

from govpub.watch.config import SiteSource
from govpub.watch.fetch import make_client
from govpub.watch.identity import normalize_url
from govpub.watch.reproductions import live_match, load_reproductions, parse_reproductions

TZ = ZoneInfo("Asia/Shanghai")
SOURCE = "https://www.gov.cn/zhengce/content_1.htm"
DOC = {"generated": "2026-11-20T12:00:00+08:00", "items": [
    {"title": "转载", "url": "https://example.gov.cn/r/1/", "published": "2026-11-20T11:00:00+08:00",
     "source_url": "http://www.gov.cn/zhengce/content_1.htm/?utm_source=x",
     "source_title": "t", "publisher": "国务院", "source_published": None},
    {"title": "earlier copy", "url": "https://example.gov.cn/r/0/",
     "published": "2026-11-20T10:30:00+08:00", "source_url": SOURCE},
    {"title": "no source", "url": "https://example.gov.cn/r/2/", "published": "2026-11-20"},
    {"title": "bad date", "url": "u", "published": "soon", "source_url": SOURCE},
    {"title": "javascript", "url": "u", "published": "2026-11-20", "source_url": "javascript:x"},
    "not an object", None, 42,
]}


def test_parse_keeps_only_usable_entries():
    entries = parse_reproductions(json.dumps(DOC).encode(), TZ)
    assert [e.title for e in entries] == ["转载", "earlier copy"]


@pytest.mark.parametrize("raw, message", [
    (b"\xff\xfe", "not UTF-8 JSON"),
    (b"{", "not UTF-8 JSON"),
    (b"[]", "no items list"),
    (b'{"items": {}}', "no items list"),
])
def test_unusable_documents_are_errors(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_reproductions(raw, TZ)


def test_from_a_deployed_site_url_earliest_wins_and_drafts_do_not_count():
    with FeedServer() as server, make_client("t", PATIENT_SECONDS, 2) as client:
        server.routes["/site/api/reproductions.json"] = {"body": json.dumps(DOC).encode(),
                                                         "content_type": "application/json"}
        found, error = load_reproductions(SiteSource(url=server.url("/site/")), client, tz=TZ,
                                          timeout=PATIENT_SECONDS, root=None)
        assert error is None
        match = live_match(found, normalize_url(SOURCE), datetime(2026, 11, 20, 12, tzinfo=TZ))
        assert match.url == "https://example.gov.cn/r/0/"
        assert live_match(found, normalize_url(SOURCE),
                          datetime(2026, 11, 20, 10, 0, tzinfo=TZ)) is None   # not yet live
        server.routes["/site/api/reproductions.json"] = {"status": 503}
        found, error = load_reproductions(SiteSource(url=server.url("/site")), client, tz=TZ,
                                          timeout=PATIENT_SECONDS, root=None)
        assert found == {} and "HTTP 503" in error


def test_missing_local_site_says_how_to_fix(tmp_path):
    found, error = load_reproductions(SiteSource(path=tmp_path / "site"), None, tz=TZ,
                                      timeout=2, root=tmp_path)
    assert found == {} and "build the site" in error
