"""Paths that make URLs (issue 13, item 10): the naming rule, and percent-encoding of every
URL the build writes, tested with a hostile name allowed past the rule."""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote

import pytest
from factory import NOW, make_repo, notice

from govpub.checker import check_repository
from govpub.cli import main
from govpub.config import load_policy
from govpub.rules.path_name import suggested_path


def findings(tmp_path, files):
    result = check_repository(load_policy(make_repo(tmp_path, files)), NOW)
    return sorted((f.rule, f.path) for f in result.findings if f.rule == "GP221"), result


@pytest.mark.parametrize(("path", "suggested"), [
    ("notices/关于收费的通知 V2.md", "notices/v2.md"),
    ("notices/2026-11-20 Fee Notice.md", "notices/2026-11-20-fee-notice.md"),
    ("notices/通知.md", "notices/untitled.md"),
    ("Attachments/Form A.PDF", "attachments/form-a.pdf"),
])
def test_the_suggested_name_is_safe(path, suggested):
    assert suggested_path(path) == suggested


def test_spaces_upper_case_and_chinese_in_paths_are_errors_with_a_suggestion(tmp_path):
    found, result = findings(tmp_path, {
        "notices/2026-11-20 Fee Notice.md": notice(),
        "notices/关于收费的通知.md": notice(),
        "notices/2026-11-21-ok_name.v2.md": notice(),
        "attachments/Form A.pdf": b"%PDF-1.4\n",
    })
    assert found == [("GP221", "content/attachments/Form A.pdf"),
                     ("GP221", "content/notices/2026-11-20 Fee Notice.md"),
                     ("GP221", "content/notices/关于收费的通知.md")]
    message = next(f.message for f in result.findings if f.path.endswith("Fee Notice.md"))
    assert "rename it, e.g. to content/notices/2026-11-20-fee-notice.md" in message
    assert "notices/2026-11-20 Fee Notice.md" in result.blocked


def test_the_policy_records_folder_is_reserved(tmp_path):
    found, _ = findings(tmp_path, {"_policy/x.md": notice()})
    assert found == [("GP221", "content/_policy/x.md")]


# -- a hostile name that slips past the rule: every URL the build writes is encoded ---------

HOSTILE_NOTICE = 'notices/2026-11-20 关于#收费 100% "通知"&<x>.md'
HOSTILE_REPRO = "reproduced/2026-11-25 国务院 #1.md"
ALLOW = "[{rule: GP221, reason: 历史链接需保留}]"

REPRODUCTION = textwrap.dedent("""\
    ---
    title: 国务院关于进一步优化政务服务的意见
    source: 国务院
    published: 2026-11-25T08:00:00+08:00
    disclosure: proactive
    allow: [{rule: GP221, reason: 历史链接需保留}]
    reproduces:
      url: https://www.gov.cn/zhengce/content/2026-11/24/content_1.htm
      title: 国务院关于进一步优化政务服务的意见
      publisher: 国务院办公厅
      published: 2026-11-24T20:00:00
    ---
    转载正文。
    """)


def page_url(path: str) -> str:
    return path.removesuffix(".md") + "/"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    root = make_repo(tmp, {HOSTILE_NOTICE: notice(allow=ALLOW), HOSTILE_REPRO: REPRODUCTION,
                           "notices/2026-11-21-plain.md": notice(title="普通通知")})
    site = tmp / "out"
    code = main(["--root", str(root), "build", "--now", "2026-11-28T12:00:00+08:00",
                 "--site-dir", str(site)])
    assert code == 0
    return site, load_policy(root).base_url


def test_the_allowed_hostile_pages_are_published(hostile_site):
    site, _ = hostile_site
    assert (site / page_url(HOSTILE_NOTICE) / "index.html").is_file()
    assert (site / page_url(HOSTILE_REPRO) / "index.html").is_file()


def test_sitemap_urls_are_percent_encoded(hostile_site):
    site, base = hostile_site
    tree = ET.parse(site / "sitemap.xml")
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    expected = base + quote(page_url(HOSTILE_NOTICE), safe="/")
    assert expected in locs
    for loc in locs:
        assert re.fullmatch(r"https?://[A-Za-z0-9._~:/%!$&'()*+,;=@-]+", loc), loc
        assert "#" not in loc and " " not in loc
    assert unquote(expected.removeprefix(base)) == page_url(HOSTILE_NOTICE)


def test_feed_links_are_percent_encoded(hostile_site):
    site, base = hostile_site
    feeds = list((site / "feeds").glob("*.xml"))
    assert feeds
    hrefs = []
    for feed in feeds:
        tree = ET.parse(feed)
        hrefs += [e.get("href") for e in tree.iter("{http://www.w3.org/2005/Atom}link")]
        hrefs += [e.text for e in tree.iter("{http://www.w3.org/2005/Atom}id")]
    assert base + quote(page_url(HOSTILE_NOTICE), safe="/") in hrefs
    assert base + quote(page_url(HOSTILE_REPRO), safe="/") in hrefs
    for href in hrefs:
        assert " " not in href and '"' not in href and "#" not in href, href


def test_json_urls_are_percent_encoded(hostile_site):
    site, base = hostile_site
    data = json.loads((site / "api/reproductions.json").read_text(encoding="utf-8"))
    urls = [v for item in (data["items"] if isinstance(data, dict) else data)
            for k, v in item.items() if k == "url"]
    assert base + quote(page_url(HOSTILE_REPRO), safe="/") in urls


def test_links_in_pages_are_percent_encoded(hostile_site):
    site, _ = hostile_site
    index = (site / "notices" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*)"', index)
    assert quote(page_url(HOSTILE_NOTICE).removeprefix("notices/"), safe="/") in {
        h.removeprefix("./") for h in hrefs}
    assert not [h for h in hrefs if " " in h or "<" in h]
