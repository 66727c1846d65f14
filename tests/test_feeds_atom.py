"""Atom feeds: feedparser without bozo, a strict RFC 4287 structure check, limits, escaping."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET

import feedparser
import pytest
from feeds_validation import A, assert_valid_atom
from opendata_fixtures import CONTENT, model_of, site_model, write_repo

from govpub.feeds import MAX_ENTRIES, feed_files, write_feeds
from govpub.feeds.atom import Entry, Feed, render


@pytest.fixture(scope="module")
def feeds(tmp_path_factory):
    return feed_files(site_model(tmp_path_factory.mktemp("feeds")))


def test_every_feed_parses_without_bozo_and_is_valid_atom(feeds):
    assert set(feeds) == {"feeds/notices.xml", "feeds/policies.xml", "feeds/reproduced.xml",
                          "feeds/all.xml"}
    for path, data in feeds.items():
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert_valid_atom(data)


def test_entries_have_site_time_absolute_urls_and_source(feeds):
    parsed = feedparser.parse(feeds["feeds/policies.xml"])
    entry = parsed.entries[0]
    assert entry.link == "https://www.example.gov.cn/policies/patent-law/"
    assert entry.id == entry.link
    assert entry.author == "全国人民代表大会常务委员会"
    root = ET.fromstring(feeds["feeds/policies.xml"])
    e = root.find(A + "entry")
    assert e.find(A + "published").text == "2020-10-17T00:00:00+08:00"
    assert e.find(A + "updated").text == "2026-06-01T00:00:00+08:00"
    assert root.find(A + "updated").text == "2026-06-01T00:00:00+08:00"
    all_ids = [e.id for e in feedparser.parse(feeds["feeds/all.xml"]).entries]
    assert all_ids[0] == "https://www.example.gov.cn/reproduced/2026-11-25-state-council/"
    assert len(all_ids) == 6


def test_a_naive_published_time_is_written_in_the_site_zone(feeds):
    root = ET.fromstring(feeds["feeds/all.xml"])
    times = {e.find(A + "id").text: e.find(A + "published").text
             for e in root.findall(A + "entry")}
    assert times["https://www.example.gov.cn/catalog/000100000001/"] == \
        "2026-11-01T09:00:00+08:00"


def test_only_the_newest_fifty_entries_are_kept(tmp_path):
    content = {k: v for k, v in CONTENT.items() if not k.startswith("notices/")}
    for day in range(1, 61):
        content[f"notices/n{day:02d}.md"] = textwrap.dedent(f"""\
            ---
            title: 公告 {day}
            source: 办公室
            published: 2026-09-{1 + day // 24:02d}T{day % 24:02d}:00:00
            disclosure: proactive
            ---
            Body.
            """)
    feeds = feed_files(model_of(write_repo(tmp_path / "r", content)))
    root = assert_valid_atom(feeds["feeds/notices.xml"])
    titles = [e.find(A + "title").text for e in root.findall(A + "entry")]
    assert len(titles) == MAX_ENTRIES
    assert titles[0] == "公告 60" and titles[-1] == "公告 11"


def test_hostile_text_is_escaped_and_stays_well_formed():
    hostile = 'A & B <script>alert(1)</script> ]]> "q" \x01\x0b end'
    data = render(Feed(id="https://x.example/feeds/a.xml", title=hostile,
                       self_link="https://x.example/feeds/a.xml?a=1&b=2",
                       alternate_link="https://x.example/", updated="2026-01-01T00:00:00+08:00",
                       author="<me>", lang="zh-CN",
                       entries=(Entry(id="https://x.example/p/", title=hostile,
                                      link='https://x.example/p/"onmouseover="x',
                                      published="2026-01-01T00:00:00+08:00",
                                      updated="2026-01-01T00:00:00+08:00", author="&",
                                      categories=("<c>",), summary=hostile),)))
    assert_valid_atom(data)
    parsed = feedparser.parse(data)
    assert not parsed.bozo
    assert parsed.entries[0].title == 'A & B <script>alert(1)</script> ]]> "q"  end'
    assert b"<script>" not in data


def test_an_empty_column_still_gives_a_valid_feed(tmp_path):
    content = {k: v for k, v in CONTENT.items() if not k.startswith("policies/")}
    feeds = feed_files(model_of(write_repo(tmp_path / "r", content)))
    root = assert_valid_atom(feeds["feeds/policies.xml"])
    assert root.find(A + "updated").text == "1970-01-01T08:00:00+08:00"
    assert not feedparser.parse(feeds["feeds/policies.xml"]).bozo


def test_write_feeds_writes_files(tmp_path, feeds):
    write_feeds(site_model(tmp_path), tmp_path / "site")
    assert (tmp_path / "site" / "feeds" / "all.xml").read_bytes() == feeds["feeds/all.xml"]
