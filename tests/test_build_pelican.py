"""`govpub build --renderer pelican`: the same gate and staging, another static site generator."""

from __future__ import annotations

import json

import pytest
from build_fixtures import build, files_containing, make_site, notice, page_html
from test_build_gate import TOKEN, leaky_files

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = leaky_files()
    files["notices/2026-11-24-script.md"] = notice(
        title=json.dumps("<script>alert(1)</script> 标题"), status="repealed",
        published="'2026-11-24T09:00:00+08:00'")
    signed = [p for p in files if TOKEN not in p]
    root = make_site(tmp_path_factory.mktemp("pelican"), files, sign=signed)
    assert build(root, "--renderer", "pelican") == 0
    return root / "site"


def test_pages_indexes_and_attachments_are_built(site):
    assert "关于调整专利收费的通知" in page_html(site, "notices/2026-11-20-fees")
    index = page_html(site, "notices")
    assert 'href="2026-11-25-hours/"' in index
    assert "关于服务大厅开放时间的通知" in page_html(site, "")
    item = page_html(site, "catalog/113500100001")
    assert "法定办结时限" in item and 'href="../../attachments/forms/request.docx"' in item
    assert (site / "attachments/forms/request.docx").is_file()
    assert (site / "sitemap.xml").is_file()


def test_metadata_is_shown_and_escaped(site):
    page = page_html(site, "notices/2026-11-25-hours")
    assert "国知办发〔2026〕12号" in page and 'datetime="2026-11-25T09:30+08:00"' in page
    script = page_html(site, "notices/2026-11-24-script")
    assert "<script>alert" not in script and "&lt;script&gt;alert(1)&lt;/script&gt;" in script
    assert "govpub-status--repealed" in script


def test_quarantined_page_leaves_no_trace(site):
    assert files_containing(site, TOKEN) == []


def test_page_relative_links_are_not_rewritten(tmp_path):
    from govpub.build.render_pelican import _LINK, rewrite_link

    html = '<a data-page-relative href="handout.pdf">x</a> <a href="../guides/a.md">g</a>'
    out = _LINK.sub(lambda m: f'{m.group(1)}="{rewrite_link(m.group(2), "catalog/1.md")}"',
                    html)
    assert 'data-page-relative href="handout.pdf"' in out
    assert 'href="../../guides/a/"' in out


@pytest.mark.parametrize(("href", "source", "expected"), [
    ("000173001009/", "catalog/index.md", "000173001009/"),  # a folder keeps its slash
    ("./", "catalog/1.md", "../"),
    ("../", "catalog/index.md", "../"),
    ("../index.md", "a/b.md", "../../"),
    ("x.md#part", "a/index.md", "x/#part"),
    ("../attachments/f.docx", "catalog/1.md", "../../attachments/f.docx"),
    ("https://example.org/a.md", "a/b.md", "https://example.org/a.md"),
])
def test_links_point_where_mkdocs_points_them(href, source, expected):
    from govpub.build.render_pelican import rewrite_link

    assert rewrite_link(href, source) == expected


def test_a_pelican_build_between_two_mkdocs_builds_reuses_nothing_of_it(tmp_path, capsys):
    """The MkDocs render record never outlives a Pelican build of the same folder: the next
    MkDocs build renders every page again instead of keeping Pelican's HTML."""
    root = make_site(tmp_path)
    assert build(root) == 0
    assert build(root, "--renderer", "pelican") == 0
    pelican_pages = [p for p in (root / "site").rglob("*.html") if "theme/css/pelican.css"
                     in p.read_text(encoding="utf-8")]
    assert pelican_pages
    capsys.readouterr()
    assert build(root) == 0
    assert "reused" not in capsys.readouterr().out
    for page in pelican_pages:
        html = page.read_text(encoding="utf-8")
        assert "pelican.css" not in html and "md-header" in html, page


def test_a_pelican_preview_shows_unreviewed_pages_under_the_banners(tmp_path):
    from build_fixtures import NOW_TEXT, basic_files

    from govpub.build import PREVIEW_MARKER, BuildOptions, run_build

    files = basic_files()
    files["notices/2026-11-27-draft.md"] = notice(title="待审核通知",
                                                 published="'2026-11-27T09:00:00+08:00'")
    root = make_site(tmp_path, files, sign=[p for p in files if "draft" not in p])
    state = run_build(BuildOptions(root=root, preview=True, renderer="pelican",
                                   now_text=NOW_TEXT, echo=lambda _line: None))
    site = state.site_dir
    assert site == root / ".govpub/preview" and (site / PREVIEW_MARKER).is_file()
    draft = page_html(site, "notices/2026-11-27-draft")
    assert "待审核通知" in draft and "Not reviewed — not for publication" in draft
    assert '<meta name="govpub-preview" content="not-for-publication">' in draft
    approved = page_html(site, "notices/2026-11-20-fees")
    assert "Not reviewed — not for publication" not in approved
    assert "Preview — contains unreviewed content" in approved
    assert '<meta name="robots" content="noindex, nofollow">' in approved
