"""extract_links: every kind of link, with line and column; code is skipped."""

from __future__ import annotations

from govpub.links import Link, extract_links, mask_code


def test_every_kind_with_positions():
    text = "\n".join([
        'intro [a](https://www.gov.cn/x "t") and ![i](img/a.png)',
        "<https://www.wipo.int/> <ipr@cnipa.gov.cn>",
        '[ref]: https://flk.npc.gov.cn/  "title"',
        "[^1]: a footnote, not a link",
        "text https://www.cnipa.gov.cn/art/1.html。after",
        '<a href="https://www.npc.gov.cn/a">y</a> <img src=\'//cdn.example/y.png\'>',
        "[wiki](https://en.wikipedia.org/wiki/Foo_(bar)) [rel](../notices/a.md#top)",
        "[t](<https://www.gov.cn/a b>)",
    ])
    assert extract_links(text) == [
        Link("https://www.gov.cn/x", 1, 11, "inline"),
        Link("img/a.png", 1, 46, "image"),
        Link("https://www.wipo.int/", 2, 2, "autolink"),
        Link("mailto:ipr@cnipa.gov.cn", 2, 26, "autolink"),
        Link("https://flk.npc.gov.cn/", 3, 8, "reference"),
        Link("https://www.cnipa.gov.cn/art/1.html", 5, 6, "bare"),
        Link("https://www.npc.gov.cn/a", 6, 10, "html"),
        Link("//cdn.example/y.png", 6, 52, "html"),
        Link("https://en.wikipedia.org/wiki/Foo_(bar)", 7, 8, "inline"),
        Link("../notices/a.md#top", 7, 55, "inline"),
        Link("https://www.gov.cn/a b", 8, 5, "inline"),
    ]


def test_code_is_not_a_link():
    text = "`[no](https://code.example)`\n```\n[x](https://fenced.example)\n```\n~~~\nhttps://t.example\n~~~\n[yes](https://ok.example)"
    assert [link.url for link in extract_links(text)] == ["https://ok.example"]
    assert mask_code(text).count("\n") == text.count("\n")
    assert len(mask_code(text)) == len(text)


def test_link_text_url_is_not_reported_twice():
    assert [k.kind for k in extract_links("[https://www.gov.cn](https://www.gov.cn)")] == [
        "inline"]


def test_entities_in_html_are_decoded():
    assert extract_links('<a href="https://a.example/?x=1&amp;y=2">')[0].url == (
        "https://a.example/?x=1&y=2")


def test_unclosed_fence_hides_the_rest_and_nothing_raises():
    assert extract_links("```\n[x](https://a.example)") == []
    assert extract_links("") == []
    assert extract_links(None) == []  # type: ignore[arg-type]
