"""The public site's chrome (govpub.chrome): identity, metadata, language, index box, site map.

Unit tests of the renderer-neutral parts, and real `govpub build`s of small sites
for what only a build shows (the browser tests in test_browser_site.py cover the
demo in Chromium).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from build_fixtures import build, make_site, notice, page_html
from factory import NOW

from govpub import i18n
from govpub.checker import check_repository
from govpub.chrome.html import split_heading, wrap_tables
from govpub.chrome.identity import public_security_code
from govpub.chrome.language import page_language
from govpub.chrome.metadata import page_metadata, text_of
from govpub.config import load_policy
from govpub.disclosure.assign import assign
from govpub.disclosure.indexbox import index_box_html, index_box_rows
from govpub.sitemodel import build_site_model

TZ = ZoneInfo("Asia/Shanghai")
SCRIPT = "<script>alert(1)</script>"


def _meta(html: str) -> dict[str, str]:
    return {name: unescape(content) for name, content in re.findall(
        r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', html)}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = {
        "notices/2026-11-20-x.md": notice(
            title=json.dumps(f"{SCRIPT} 通知", ensure_ascii=False),
            summary=json.dumps('摘要"><img src=x onerror=alert(3)>', ensure_ascii=False),
            doc_number="国知办发〔2026〕12号", written="2026-11-18", topic="科技、教育\\专利",
            body="正文第一段。\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n"),
        "notices/2026-11-21-y.md": notice(title="第二个通知", published="2026-11-21T10:00:00+08:00",
                                          status="repealed"),
        "en/about.md": notice(title="About", category=None, lang="en"),
    }
    root = make_site(tmp_path_factory.mktemp("chrome"), files)
    assign(load_policy(root), today=NOW.date())
    assert build(root) == 0
    return root, root / "site"


def test_a_missing_identity_field_stops_the_build_with_file_and_line(tmp_path):
    root = make_site(tmp_path)
    site_yml = root / "site_config/site.yml"
    text = site_yml.read_text(encoding="utf-8")
    site_yml.write_text(text.replace('  postcode: "100088"\n', ""), encoding="utf-8")
    contact_line = text.splitlines().index("contact:") + 1
    proc = subprocess.run([sys.executable, "-m", "govpub", "--root", str(root), "--lang", "en",
                           "build"], capture_output=True, text=True, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"site_config/site.yml:{contact_line}: contact: " in proc.stderr
    assert "postcode" in proc.stderr and "every page must show the site's identity" in proc.stderr
    assert not (root / "site").exists()  # nothing half built
    site_yml.write_text(re.sub(r"(?m)^icp: .*\n", "", text), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "govpub", "--root", str(root), "--lang", "zh-CN",
                           "build"], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "icp" in proc.stderr
    assert "每个页面都必须展示网站标识信息" in proc.stderr


def test_footer_pages_that_are_not_published_are_left_out(site):
    _root, site_dir = site
    page = page_html(site_dir, "notices/2026-11-20-x")
    footer = page.split('<footer class="md-footer gp-footer">')[1]
    assert "网站地图" in footer and "关于本站" not in footer  # the demo's about page is absent
    assert "主办单位：国家知识产权局" in footer and "京ICP备06014012号" in footer
    assert 'href="https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=' \
           '11010802025209"' in footer
    assert "government-mark-placeholder.svg" in footer  # the demo has no mark image yet
    assert "Material for MkDocs" not in page


def test_build_warns_about_footer_pages_it_cannot_link(tmp_path):
    root = make_site(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "govpub", "--root", str(root), "--lang", "en",
                           "build", "--now", "2026-11-28T12:00"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert ("warning: site.yml footer_pages.zh.about: content/about/about-site.md is not "
            "published; the footer leaves the link out") in proc.stdout


def test_page_metadata_is_complete_and_escaped(site):
    _root, site_dir = site
    page = page_html(site_dir, "notices/2026-11-20-x")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    meta = _meta(page)
    assert meta["ArticleTitle"] == f"{SCRIPT} 通知"
    assert meta["Description"] == meta["description"] == '摘要"><img src=x onerror=alert(3)>'
    assert meta["PubDate"] == "2026-11-20 10:00"
    assert meta["ColumnName"] == "通知公告" and meta["ColumnType"] == "通知公告"
    assert meta["ContentSource"] == meta["Author"] == "国家知识产权局办公室"
    assert meta["SiteIDCode"] == "bm15000001" and meta["SiteDomain"] == "www.cnipa.gov.cn"
    assert meta["Url"] == meta["og:url"] == "https://www.cnipa.gov.cn/notices/2026-11-20-x/"
    assert meta["og:type"] == "article" and meta["og:locale"] == "zh_CN"
    assert '<link rel="canonical" href="https://www.cnipa.gov.cn/notices/2026-11-20-x/">' in page
    home = _meta(page_html(site_dir, ""))
    assert home["og:type"] == "website" and home["PubDate"]  # the site's newest time


def test_english_pages_get_english_chrome(site):
    _root, site_dir = site
    page = page_html(site_dir, "en/about")
    assert '<html lang="en"' in page
    footer = page.split('<footer class="md-footer gp-footer">')[1]
    assert "Organizer: China National Intellectual Property Administration" in footer
    assert "Site map" in footer and "网站地图" not in footer
    assert 'aria-label="Search this site"' in page and "Skip to the main content" in page
    assert _meta(page)["og:locale"] == "en_US"
    chinese = page_html(site_dir, "notices/2026-11-21-y")
    assert '<html lang="zh-CN"' in chinese and 'aria-label="搜索本站"' in chinese
    assert "跳到正文" in chinese and "Permanent link" not in chinese


def test_the_index_box_opens_every_numbered_page(site):
    _root, site_dir = site
    page = page_html(site_dir, "notices/2026-11-20-x")
    box = page.split('<section class="gp-index-box"')[1].split("</section>")[0]
    text = re.sub(r"<[^>]+>", " ", box)
    for expected in ("索引号", "CNIPA/2026-00001", "主题分类", "科技、教育\\专利", "发文机关",
                     "国家知识产权局办公室", "成文日期", "2026年11月18日", "发布日期",
                     "2026年11月20日", "文号", "国知办发〔2026〕12号", "有效性", "有效"):
        assert expected in unescape(text), expected
    assert page.index('id="gp-title"') < page.index("gp-index-box") < page.index("正文第一段")
    repealed = page_html(site_dir, "notices/2026-11-21-y")
    assert "已废止" in repealed and "CNIPA/2026-00002" in repealed


def test_the_disclosure_catalog_lists_numbered_documents_newest_first(site):
    _root, site_dir = site
    page = page_html(site_dir, "disclosure/catalog")
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.DOTALL)
    assert "索引号" in rows[0] and "有效性" in rows[0]
    assert "CNIPA/2026-00002" in rows[1] and "已废止" in rows[1]
    assert "CNIPA/2026-00001" in rows[2] and "国知办发〔2026〕12号" in rows[2]
    section = page_html(site_dir, "disclosure")
    assert 'href="catalog/"' in section
    data = json.loads((site_dir / "api/notices.json").read_text(encoding="utf-8"))
    assert {i["index_number"] for i in data["items"]} == {"CNIPA/2026-00001", "CNIPA/2026-00002"}


def test_the_site_map_lists_every_column_and_generated_page(site):
    root, site_dir = site
    page = page_html(site_dir, "sitemap")
    for href in ('href="../notices/"', 'href="../notices/2026-11-20-x/"', 'href="../catalog/"',
                 'href="../disclosure/"', 'href="../disclosure/catalog/"', 'href="../en/about/"',
                 'href="../open-data/"'):
        assert href in page, href
    assert re.search(r'<a href="../en/about/" lang="en">About</a>', page)
    model = build_site_model(check_repository(load_policy(root), NOW))
    assert len(re.findall(r"<loc>", (site_dir / "sitemap.xml").read_text())) >= len(model.pages)


def test_tables_become_labelled_scrolling_regions_and_headings_come_out():
    content = '<h1 id="t">标题<a class="headerlink" href="#t" title="Permanent link">¶</a></h1>' \
              "<p>x</p><table><tr><td>1</td></tr></table><table><tr><td>2</td></tr></table>"
    rest, heading = split_heading(content, "ignored")
    assert heading == {"id": "t", "html": "标题"} and rest.startswith("<p>x</p>")
    wrapped = wrap_tables(rest, "表格{number}", "滑动")
    assert wrapped.count('role="region" tabindex="0"') == 2
    assert 'aria-label="表格1"' in wrapped and 'aria-label="表格2"' in wrapped
    _plain, heading = split_heading("<p>正文</p>", f"{SCRIPT}标题")
    assert heading["id"] == "gp-title" and "<script>" not in heading["html"]


@pytest.mark.parametrize(("meta", "path", "expected"), [
    ({"lang": "en"}, "about/x.md", "en"),
    ({}, "en/x.md", "en"),
    ({"lang": "zh"}, "en/x.md", "zh-CN"),
    ({}, "notices/x.md", "zh-CN"),
    ({"lang": "klingon"}, "notices/x.md", "zh-CN"),
])
def test_page_language(meta, path, expected):
    assert page_language(meta, path) == expected


def test_index_box_rows_in_both_languages():
    meta = {"title": "甲", "source": "办公室", "published": "2026-03-01T10:00:00+08:00"}
    zh = index_box_rows(meta, "CNIPA/2026-00001", labels=_labels("zh-CN"), language="zh-CN",
                        tz=TZ, default_topic="综合政务")
    assert ("written", "成文日期", "2026年03月01日") in zh  # defaults to the publication date
    assert ("doc_number", "文号", "—") in zh and ("validity", "有效性", "有效") in zh
    en = index_box_rows(meta, "CNIPA/2026-00001", labels=_labels("en"), language="en", tz=TZ)
    assert ("published_date", "Date of publication", "2026-03-01") in en
    assert "<script>" not in index_box_html([("k", "<script>", "<b>")], "x")


def _labels(language):
    from govpub.chrome.labels import labels

    return labels(language)


def test_metadata_convention_and_description():
    tags = page_metadata(site={"domain": "d", "site_code": "c"}, identity={
        "name": "站", "name_en": "Site", "organizer": "局", "organizer_en": "Office"},
        language="en", title="T", url="https://x/", column={"title": "通知", "title_en":
        "Notices", "type": "notice", "kind": "notices"}, meta={"tags": ["a", "b"]},
        description="D", pub_date="2026-01-01 09:00", is_article=True)
    names = {name: content for _attr, name, content in tags}
    assert names["ColumnName"] == "Notices" and names["ColumnType"] == "Notices"
    assert names["Keywords"] == "a,b,Notices" and names["ContentSource"] == "Office"
    assert text_of("<p>一 <b>二</b></p>" + "字" * 200).startswith("一 二")
    assert len(text_of("字" * 300)) == 120


def test_public_security_record_code():
    assert public_security_code("京公网安备11010802025209号") == "11010802025209"
    assert public_security_code("沪公网安备 31010402000123 号") == "31010402000123"


def test_chinese_chrome_needs_no_process_language(monkeypatch):
    """The page chrome's language never follows the command's (GOVPUB_LANG=en here)."""
    monkeypatch.setenv("GOVPUB_LANG", "en")
    i18n.translations.cache_clear()
    assert _labels("zh-CN")["site_map"] == "网站地图"
    assert _labels("en")["site_map"] == "Site map"


def test_a_large_column_shows_its_newest_pages_and_the_way_to_the_rest(tmp_path, monkeypatch):
    from govpub.build.generated import generate_all
    from govpub.chrome import sitemap

    files = {f"notices/2026-11-{day:02d}-n.md": notice(title=f"通知{day}",
                                                       published=f"2026-11-{day:02d}T10:00:00+08:00")
             for day in range(1, 7)}
    root = make_site(tmp_path, files)
    model = build_site_model(check_repository(load_policy(root), NOW))
    monkeypatch.setattr(sitemap, "PAGES_PER_COLUMN", 3)
    page = sitemap.site_map_page(model, generate_all(model))["sitemap.md"]
    section = page.split("通知公告", 1)[1].split("\n## ", 1)[0]
    assert [f"通知{d}" for d in (6, 5, 4)] == re.findall(r"\[(通知\d)\]", section)
    assert "本栏目全部 6 个页面" in section
