"""English pages show an English navigation, in both renderers (govpub.chrome.english_navigation).

MkDocs and Pelican know one navigation per site, made of the Chinese column
titles; an English reader gets the English home and the English pages instead,
in the tabs, the drawer and the logo link, every title escaped.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin

import pytest
from build_fixtures import build, make_site, notice, page_html

pytestmark = pytest.mark.slow

HOSTILE = "<img src=x onerror=alert(1)>"


def _text(fragment: str) -> list[str]:
    """The link texts of an HTML fragment, in order."""
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", a)).split())
            for a in re.findall(r"<a\b[^>]*>(.*?)</a>", fragment, flags=re.S)]


def _target(link: str, page_url: str = "/en/about/") -> str:
    """Where a link on ``page_url`` leads, from the site root."""
    return urljoin(page_url, re.search(r'href="([^"]*)"', link).group(1))


def _part(page: str, pattern: str) -> str:
    found = re.search(pattern, page, flags=re.S)
    assert found, pattern
    return found.group(0)


@pytest.fixture(scope="module", params=["mkdocs", "pelican"])
def built(request, tmp_path_factory):
    files = {
        "notices/2026-11-20-x.md": notice(title="第一个通知"),
        "en/about.md": notice(title="About", category=None, lang="en"),
        "en/zz-hostile.md": notice(title=f'"Fees {HOSTILE}"', category=None, lang="en"),
    }
    root = make_site(tmp_path_factory.mktemp(f"english-nav-{request.param}"), files)
    assert build(root, "--renderer", request.param) == 0
    return request.param, root / "site"


NAV = {"mkdocs": r'<nav class="md-tabs".*?</nav>', "pelican": r'<nav class="gp-header__nav".*?</nav>'}


def test_english_pages_show_the_english_home_and_pages_not_the_chinese_columns(built):
    renderer, site = built
    english = _text(_part(page_html(site, "en/about"), NAV[renderer]))
    assert english == ["Home", "About", f"Fees {HOSTILE}"]
    chinese = _text(_part(page_html(site, "notices/2026-11-20-x"), NAV[renderer]))
    assert chinese[0] == "首页" and "通知公告" in chinese and "About" not in chinese


def test_english_titles_are_text_not_markup(built):
    _renderer, site = built
    page = page_html(site, "en/about")
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_english_home_is_where_the_logo_and_the_first_tab_lead(built):
    renderer, site = built
    page = page_html(site, "en/about")
    logo = _part(page, r'<a [^>]*class="md-header__button md-logo"[^>]*>' if renderer == "mkdocs"
                 else r'<a class="gp-header__site"[^>]*>')
    assert _target(logo) == "/en/"
    home = _part(_part(page, NAV[renderer]), r'<a [^>]*>\s*Home\s*</a>')
    assert _target(home) == "/en/"


@pytest.mark.parametrize("built", ["mkdocs"], indirect=True)  # Pelican's header has no drawer
def test_the_drawer_of_an_english_page_lists_the_english_navigation(built):
    _renderer, site = built
    drawer = _part(page_html(site, "en/about"), r'<nav class="md-nav md-nav--primary.*?</nav>')
    assert _text(drawer)[1:] == ["Home", "About", f"Fees {HOSTILE}"]  # after the logo
    current = _part(drawer, r'<a [^>]*aria-current="page"[^>]*>.*?</a>')
    assert _text(current) == ["About"]
    chinese = _part(page_html(site, "notices/2026-11-20-x"),
                    r'<nav class="md-nav md-nav--primary.*?</nav>')
    assert "通知公告" in " ".join(_text(chinese)) and "About" not in _text(chinese)
