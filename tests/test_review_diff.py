"""`govpub review diff`: what a reader sees changed, at the scale of characters (Chinese)
and words (Latin), with who changed what in which commit; PDF and DOCX by their text."""

from __future__ import annotations

import pytest

try:
    from desk_fixtures import as_user, pdf_pages, run, word_document, write_bytes
    from review_fixtures import make_site
except ImportError:  # tests/ imported as a package
    from tests.desk_fixtures import as_user, pdf_pages, run, word_document, write_bytes
    from tests.review_fixtures import make_site

from govpub.review.readertext import html_text
from govpub.review.textdiff import (
    DELETE,
    EQUAL,
    INSERT,
    Piece,
    diff_text,
    diff_tokens,
    diff_units,
    plain_pieces,
    tokens,
)

PARAGRAPH = ("根据《专利法实施细则》有关规定，申请人应当于2026年1月31日前缴纳年费，逾期未缴纳的，"
             "将按照有关规定处理。请各位申请人注意办理时间，以免影响权利，如有疑问请拨打咨询电话。")


def approved_then_edited(tmp_path, before: str, after: str, *, title="关于缴纳年费的提示",
                         new_title=None, editor="ed"):
    site = make_site(tmp_path)
    site.page("notices/fee.md", title=title, body=before)
    site.commit("ed", "notice: fee")
    as_user(site, "li-wei")
    # a sign-off committed by the reviewer; these tests are about the diff, and some first
    # versions (a link to a missing page) are ones `review approve` would refuse
    site.signoff("notices/fee.md", "li-wei")
    site.commit("li-wei", "review: approve content/notices/fee.md")
    site.page("notices/fee.md", title=new_title or title, body=after)
    site.commit(editor, "notice: correct the month")
    return site


# -- the diff itself -------------------------------------------------------------------------


def test_one_changed_character_in_a_long_chinese_paragraph(tmp_path):
    site = approved_then_edited(tmp_path, PARAGRAPH, PARAGRAPH.replace("1月", "2月"))
    code, out, _ = run(site, "review", "diff", "content/notices/fee.md")
    assert code == 0
    assert "2026年[-1-]{+2+}月31日" in out
    # the paragraph is not shown as removed and added whole
    assert "[-根据" not in out and "{+根据" not in out
    assert out.count("[-") == 1 and out.count("{+") == 1


def test_latin_text_differs_by_words(tmp_path):
    before = "The annual fee is due on 31 January 2026 at the service hall."
    after = "The annual fee is due on 28 February 2026 at the service hall."
    site = approved_then_edited(tmp_path, before, after)
    _, out, _ = run(site, "review", "diff", "content/notices/fee.md")
    assert "due on [-31 January-]{+28 February+} 2026" in out


def test_front_matter_fields_are_named_and_markup_is_not_shown(tmp_path):
    before = "## 缴费方式\n\n请通过**网上缴费**办理。"
    after = "## 缴费方式\n\n请通过**网上缴费**或者**窗口缴费**办理。"
    site = approved_then_edited(tmp_path, before, after, new_title="关于缴纳专利年费的提示")
    _, out, _ = run(site, "review", "diff", "content/notices/fee.md")
    assert "front matter: title\n    关于缴纳{+专利+}年费的提示" in out
    assert "请通过网上缴费{+或者窗口缴费+}办理。" in out
    assert "**" not in out and "##" not in out
    assert "front matter: source" not in out  # unchanged fields are not listed


def test_a_changed_link_target_and_a_hidden_comment_are_shown(tmp_path):
    before = "详见[办事指南](../guides/a.md)。"
    after = "详见[办事指南](../guides/b.md)。\n\n<!-- 内部：此条待领导审定 -->"
    site = approved_then_edited(tmp_path, before, after)
    _, out, _ = run(site, "review", "diff", "content/notices/fee.md")
    assert "办事指南 ⟨../guides/[-a.md-]{+b.md+}⟩" in out
    assert "{+<!-- 内部：此条待领导审定 -->+}" in out


def test_a_change_no_reader_sees_points_to_the_source_diff(tmp_path):
    site = approved_then_edited(tmp_path, "第一段。", "第一段。   ")
    _, out, _ = run(site, "review", "diff", "content/notices/fee.md")
    assert "nothing a reader sees changed, but the source did" in out
    _, out, _ = run(site, "review", "diff", "--source", "content/notices/fee.md")
    assert "-第一段。\n+第一段。   \n" in out


def test_a_new_page_is_shown_in_full(tmp_path):
    site = make_site(tmp_path)
    site.page("notices/new.md", title="新通知", body=PARAGRAPH + "\n\n第二段。")
    site.commit("ed", "notice: new")
    as_user(site, "li-wei")
    _, out, _ = run(site, "review", "diff", "content/notices/new.md")
    assert "no approved version in git history — the whole file is new to review" in out
    assert f"body text\n    {PARAGRAPH}\n    第二段。" in out
    assert "front matter: title\n    新通知" in out
    assert "[-" not in out and "{+" not in out


def test_who_changed_what_in_which_commit(tmp_path):
    site = approved_then_edited(tmp_path, "第一段。\n\n第二段。", "第一段。\n\n第二段。",
                                new_title="新标题", editor="ed")
    site.page("notices/fee.md", title="新标题", body="第一段。\n\n第二段（修改）。")
    wang = site.commit("wang-fang", "notice: body")
    _, out, _ = run(site, "review", "diff", "content/notices/fee.md")
    lines = out.splitlines()
    title_line = next(line for line in lines if "“notice: correct the month”" in line)
    assert "ed <ed@example.gov.cn>" in title_line
    assert title_line.endswith("changed: front matter: title")
    body_line = next(line for line in lines if line.lstrip().startswith(wang[:12]))
    assert "wang-fang <wang.fang@example.gov.cn>" in body_line
    assert body_line.endswith("changed: body text")
    assert lines.index(title_line) < lines.index(body_line)  # oldest first
    assert "第二段{+（修改）+}。" in out


def test_the_digest_to_approve_is_printed(tmp_path):
    site = approved_then_edited(tmp_path, "一。", "二。")
    _, out, _ = run(site, "review", "diff", "content/notices/fee.md")
    from govpub.digest import digest_for

    digest = digest_for("notices/fee.md", (site.root / "content/notices/fee.md").read_bytes())
    assert (f"govpub review approve content/notices/fee.md --digest {digest}") in out


# -- attachments -----------------------------------------------------------------------------


def attachment_site(tmp_path, name: str, before: bytes, after: bytes):
    site = make_site(tmp_path)
    write_bytes(site, f"content/notices/{name}", before)
    site.commit("ed", "attachment")
    as_user(site, "li-wei")
    # committed by the reviewer by hand: a first version marked 内部资料 is one that
    # `review approve` refuses, and these tests are about the diff
    site.signoff(f"notices/{name}", "li-wei")
    site.commit("li-wei", f"review: approve content/notices/{name}")
    write_bytes(site, f"content/notices/{name}", after)
    site.commit("ed", "attachment: new version")
    return site


def test_pdf_text_is_compared_page_by_page(tmp_path):
    before = pdf_pages("Application form", "Fee due 31 January 2026\nPay online",
                       "Contact the service hall")
    after = pdf_pages("Application form", "Inserted notes page",
                      "Fee due 28 February 2026\nPay online", "Contact the service hall")
    site = attachment_site(tmp_path, "form.pdf", before, after)
    code, out, _ = run(site, "review", "diff", "content/notices/form.pdf")
    assert code == 0
    assert "binary file" not in out
    assert "page 2 (added)\n    {+Inserted notes page+}" in out
    assert "page 3 (was page 2)\n  line 1:\n    Fee due [-31 January-]{+28 February+} 2026" in out
    # the unchanged pages, renumbered or not, are not shown
    assert "Application form" not in out and "service hall" not in out


def test_docx_text_is_compared_by_character(tmp_path):
    before = word_document(["专利费用减缴请求书", "请于2026年1月31日前提交。"], header="内部资料")
    after = word_document(["专利费用减缴请求书", "请于2026年2月28日前提交。"], header="公开")
    site = attachment_site(tmp_path, "form.docx", before, after)
    _, out, _ = run(site, "review", "diff", "content/notices/form.docx")
    # the one kept character between two changes is folded in: the date reads as a whole
    assert "请于2026年[-1月31-]{+2月28+}日前提交。" in out
    assert "header 1\n  line 1:\n    [-内部资料-]{+公开+}" in out


def test_an_image_is_compared_by_size(tmp_path):
    site = attachment_site(tmp_path, "logo.png", b"\x89PNG-one", b"\x89PNG-two!")
    _, out, _ = run(site, "review", "diff", "content/notices/logo.png")
    assert "binary file: 8 bytes -> 9 bytes, no text to compare" in out


# -- the pieces ------------------------------------------------------------------------------


def test_tokens_are_characters_for_chinese_and_words_for_latin():
    assert tokens("2026年1月 fee-free days") == ["2026", "年", "1", "月", " ", "fee-free", " ",
                                                  "days"]


def test_a_kept_sliver_between_two_changes_is_folded_in():
    pieces = diff_tokens("春节期间开放", "国庆期间关闭")
    assert plain_pieces(pieces) == "[-春节-]{+国庆+}期间[-开放-]{+关闭+}"
    pieces = diff_tokens("甲的乙", "丙的丁")
    assert pieces == [Piece(DELETE, "甲的乙"), Piece(INSERT, "丙的丁")]


def test_long_kept_text_is_shortened_around_a_change():
    text = "前" * 100 + "一" + "后" * 100
    hunks = diff_text(text, text.replace("一", "二"))
    shown = plain_pieces(hunks[0].pieces)
    assert shown == "…" + "前" * 30 + "[-一-]{+二+}" + "后" * 30 + "…"


def test_a_huge_rewrite_is_shown_as_removed_and_added_whole(monkeypatch):
    from govpub.review import textdiff

    monkeypatch.setattr(textdiff, "MAX_TOKEN_WORK", 10)
    assert textdiff.diff_tokens("一二三四", "一二三五") == [
        Piece(DELETE, "一二三四"), Piece(INSERT, "一二三五")]


@pytest.mark.parametrize(("html", "text"), [
    ("<h2 id='a'>标题<a class='headerlink' href='#a'>¶</a></h2><p>正文</p>", "标题\n正文"),
    ("<table><tr><th>项目</th><th>金额</th></tr><tr><td>年费</td><td>900</td></tr></table>",
     "项目 | 金额\n年费 | 900"),
    ("<p>见<a href='https://x.example/'>https://x.example/</a></p>", "见https://x.example/"),
    ("<p><img alt='印章' src='seal.png'>文字<script>alert(1)</script></p>",
     "⟨印章 seal.png⟩文字"),
])
def test_html_becomes_the_reader_text(html, text):
    assert html_text(html) == text


def test_an_inserted_paragraph_does_not_disturb_its_edited_neighbours():
    old = ["第一段：申请人应当按时缴纳年费。", "第二段：逾期将按规定处理。"]
    new = ["第一段：申请人应当按时缴纳专利年费。", "新增的一段话。", "第二段：逾期将依法处理。"]
    shown = [(h.old_start, h.new_start, plain_pieces(h.pieces))
             for h in diff_units(old, new)]
    assert shown == [(1, 1, "第一段：申请人应当按时缴纳{+专利+}年费。"),
                     (2, 2, "{+新增的一段话。+}"),
                     (2, 3, "第二段：逾期将[-按规定-]{+依法+}处理。")]


def test_equal_pieces_only_are_no_hunk():
    assert diff_text("同样\n文字", "同样\n文字") == []
    assert [p.kind for p in diff_tokens("a", "a")] == [EQUAL]
