"""Feed dates: every shape the central feeds use, parsed with the feed's zone as default."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import feedparser
import pytest

from govpub.watch.dates import entry_date, parse_feed_date

SHANGHAI = ZoneInfo("Asia/Shanghai")
EXPECTED = datetime(2026, 11, 20, 10, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.mark.parametrize("raw", [
    "Fri, 20 Nov 2026 10:00:00 +0800",
    "Fri, 20 Nov 2026 10:00:00 CST",          # China Standard Time, not US Central
    "Fri, 20 Nov 2026 10:00:00 cst",
    "Fri, 20 Nov 2026 10:00:00 GMT+8",
    "Fri, 20 Nov 2026 10:00:00 GMT+08:00",
    "Fri, 20 Nov 2026 10:00:00 UTC+0800",
    "Fri, 20 Nov 2026 02:00:00 GMT",
    "Fri, 20 Nov 2026 02:00:00 UT",
    "20 Nov 2026 10:00 +08",
    "Friday, 20 November 2026 10:00:00 BJT",
    "Fri, 20 Nov 26 10:00:00 +0800",
    "2026-11-20T10:00:00+08:00",
    "2026-11-20T02:00:00Z",
    "2026-11-20T10:00:00.250+0800",
    "2026-11-20 10:00",                          # naive: feed zone, not UTC
    "2026-11-20T10:00:00",
    "2026/11/20 10:00",
    "2026/11/20 10:00:00",
    "2026.11.20 10:00",
    "2026年11月20日 10:00",
    "2026年11月20日10:00",
    "2026年11月20日 10时00分",
    "2026年11月20日 星期五 10:00",
    "２０２６年１１月２０日　１０：００",            # full-width digits and space
    "  2026-11-20 10:00:00 CST ",
])
def test_every_shape_means_ten_oclock_beijing(raw):
    parsed = parse_feed_date(raw, SHANGHAI)
    assert parsed is not None
    assert parsed.replace(microsecond=0) == EXPECTED
    assert parsed.utcoffset() is not None


@pytest.mark.parametrize("raw, expected", [
    ("2026-11-20", datetime(2026, 11, 20, tzinfo=SHANGHAI)),
    ("2026年11月20日", datetime(2026, 11, 20, tzinfo=SHANGHAI)),
    ("2026/1/5 9:05", datetime(2026, 1, 5, 9, 5, tzinfo=SHANGHAI)),
    ("Fri, 20 Nov 2026 10:00:00 EST", datetime(2026, 11, 20, 15, 0, tzinfo=UTC)),
    ("2026-11-20 24:00", datetime(2026, 11, 21, tzinfo=SHANGHAI)),
])
def test_dates_without_time_and_other_zones(raw, expected):
    assert parse_feed_date(raw, SHANGHAI) == expected


def test_naive_uses_the_configured_zone():
    assert parse_feed_date("2026-11-20 10:00", ZoneInfo("Europe/Berlin")) == datetime(
        2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("raw", [
    None, "", "   ", "yesterday", "2026-13-01", "2026-02-30 10:00", "2026-11-20 25:00",
    "Fri, 20 Nov 2026 10:00:00 XYZ", "Fri, 20 Foo 2026 10:00", "CST+8 2026-11-20",
    "2026-11-20 10:00 CST+8", "2026-11-20 10:00 +1900", "x" * 500, 12345,
])
def test_untrustworthy_dates_are_none(raw):
    assert parse_feed_date(raw, SHANGHAI) is None


def test_feedparser_gets_these_wrong_and_we_do_not():
    doc = (b"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>"
           b"<item><title>a</title><pubDate>Fri, 20 Nov 2026 10:00:00 CST</pubDate></item>"
           b"<item><title>b</title><pubDate>2026/11/20 10:00</pubDate></item>"
           b"<item><title>c</title><pubDate>Fri, 20 Nov 2026 10:00:00 GMT+8</pubDate></item>"
           b"</channel></rss>")
    entries = feedparser.parse(doc).entries
    for entry in entries:
        parsed, raw = entry_date(entry, SHANGHAI)
        assert parsed == EXPECTED, raw
    # the reason for this module: feedparser's own reading of CST is US Central
    us_central = entries[0].published_parsed
    assert us_central is None or us_central.tm_hour != 2


def test_never_raises_on_arbitrary_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=80))
    def check(raw):
        parsed = parse_feed_date(raw, SHANGHAI)
        assert parsed is None or parsed.utcoffset() is not None

    check()
